package dev.skewless.model.validation;

import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of ALB's per-rule quotas the rules of one App use, counted the way the ALB renderer
 * writes them. Keep this in step with {@code AlbRuleRenderer}: if the renderer's values change,
 * the budget here must change with them, or manifests pass validation and then fail in AWS.
 *
 * <p>Every rule carries the App's scoping (one value per path pattern and per host header). On
 * top of that:
 * <ul>
 *   <li>navigation: {@code Sec-Fetch-Mode: navigate}, 1 value;</li>
 *   <li>header carrier: pin {@code <id>} 1 value, catch-all {@code *} 1 value;</li>
 *   <li>query carrier: pin {@code <q>=<id>} 1 value, catch-all {@code <q>=*} 1 value;</li>
 *   <li>cookie carrier: pin {@code <c>=<id>}, {@code <c>=<id>;*}, {@code *; <c>=<id>},
 *       {@code *; <c>=<id>;*} (4 values), catch-all {@code <c>=*}, {@code *; <c>=*} (2 values);</li>
 *   <li>unpinned: scoping only.</li>
 * </ul>
 * Wildcards are counted per {@code *} or {@code ?} character.
 */
final class AlbRuleBudget {
    /** ALB: condition values per rule. */
    static final int MAX_VALUES = 5;
    /** ALB: wildcards per rule. */
    static final int MAX_WILDCARDS = 5;

    // Version ids never hold wildcards; any id stands in for them when counting.
    private static final String SOME_ID = "v";

    private AlbRuleBudget() {}

    /**
     * The extra condition values one rule of a carrier adds to the scoping.
     *
     * @param rule   e.g. {@code cookie pin rule}
     * @param values the values the renderer writes
     */
    record CarrierRule(String rule, List<String> values) {
        int wildcards() {
            return values.stream().mapToInt(Formats::wildcards).sum();
        }
    }

    /** A carrier and the rules it adds per version (pin) and per App (expired catch-all). */
    record CarrierRules(String field, String carrier, CarrierRule pin, CarrierRule catchAll) {
        int maxValues() {
            return Math.max(pin.values().size(), catchAll.values().size());
        }

        int maxWildcards() {
            return Math.max(pin.wildcards(), catchAll.wildcards());
        }
    }

    /** The carriers an App uses: header and query always, cookie when enabled. */
    static List<CarrierRules> carriers(RoutingSpec routing) {
        List<CarrierRules> out = new ArrayList<>();
        out.add(new CarrierRules("header", "header",
                new CarrierRule("header pin rule", List.of(SOME_ID)),
                new CarrierRule("header catch-all rule", List.of("*"))));
        String q = routing.query();
        out.add(new CarrierRules("query", "query parameter",
                new CarrierRule("query pin rule", List.of(q + "=" + SOME_ID)),
                new CarrierRule("query catch-all rule", List.of(q + "=*"))));
        if (routing.cookieEnabled()) {
            String c = routing.cookie();
            String pair = c + "=" + SOME_ID;
            out.add(new CarrierRules("cookie", "cookie",
                    new CarrierRule("cookie pin rule", List.of(pair, pair + ";*", "*; " + pair, "*; " + pair + ";*")),
                    new CarrierRule("cookie catch-all rule", List.of(c + "=*", "*; " + c + "=*"))));
        }
        return out;
    }

    /** Condition values every rule spends on scoping. */
    static int scopingValues(RouterSpec router) {
        return router.pathPatterns().size() + router.hostHeaders().size();
    }

    /** Wildcards every rule spends on scoping. */
    static int scopingWildcards(RouterSpec router) {
        int n = 0;
        for (String p : router.pathPatterns()) {
            n += Formats.wildcards(p);
        }
        for (String h : router.hostHeaders()) {
            n += Formats.wildcards(h);
        }
        return n;
    }

    /**
     * Rules an App needs with exactly one version: navigation, a pin and an expired catch-all per
     * carrier, and the unpinned rule unless the App owns the listener (then the listener's default
     * action serves unpinned traffic).
     */
    static int rulesForOneVersion(RoutingSpec routing, boolean ownsListener) {
        return 1 + 2 * carriers(routing).size() + (ownsListener ? 0 : 1);
    }

    /**
     * Rules an App needs to release at all: the live version and the next one side by side (the
     * planner admits a new version only when its rules fit next to the retained ones).
     */
    static int rulesForRelease(RoutingSpec routing, boolean ownsListener) {
        return rulesForOneVersion(routing, ownsListener) + carriers(routing).size();
    }

    /** The same count in words, for messages. */
    static String describeRulesForOneVersion(RoutingSpec routing, boolean ownsListener) {
        int carriers = carriers(routing).size();
        return "1 navigation + " + carriers + " pin + " + carriers + " expired catch-all"
                + (ownsListener ? "" : " + 1 unpinned");
    }
}
