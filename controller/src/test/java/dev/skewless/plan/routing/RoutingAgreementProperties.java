package dev.skewless.plan.routing;

import static dev.skewless.testing.Gens.booleans;
import static dev.skewless.testing.Gens.constant;
import static dev.skewless.testing.Gens.frequency;
import static dev.skewless.testing.Gens.ints;
import static dev.skewless.testing.Gens.listOf;
import static dev.skewless.testing.Gens.longs;
import static dev.skewless.testing.Gens.oneOf;
import static dev.skewless.testing.Gens.orNull;
import static dev.skewless.testing.Gens.pick;
import static dev.skewless.testing.Gens.shuffle;
import static dev.skewless.testing.Gens.strings;
import static dev.skewless.testing.Gens.stringsOf;
import static dev.skewless.testing.Gens.uniqueListOf;
import static dev.skewless.testing.Gens.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.OnExpired;
import dev.skewless.model.RoutingSpec;
import dev.skewless.testing.Coverage;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The evaluator ({@link RoutingTable#route}, what the local router runs) and the rendered ALB rules
 * (run through {@link AlbListenerModel}) decide every request alike, and rules of other Apps on the
 * listener do not change what the App's requests get.
 *
 * <p>Each property counts what its examples covered ({@link Coverage}) and, once the run has
 * passed, asserts that every rule and decision kind came up often enough, so a generator that
 * stops reaching a case fails the test. A failure reports the seed; rerun it with
 * {@code -DQT_SEED=<seed>}.
 */
public class RoutingAgreementProperties {

    // QuickTheories starts from the all-minimum and all-maximum draws, then draws at random; the
    // generators themselves favour the edges (empty values, case changes, no live, weight 0/100).
    static final int EXAMPLES = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RouteDecision NOT_MATCHED = new RouteDecision.NotMatched();

    /** A table, a request, and where on the listener the App's priority range starts. */
    public record Case(RoutingTable table, HttpRequest request, int firstPriority, long gapSeed) {}

    /** Another App's rule on the same listener: before or after the App's range. */
    record ForeignRule(boolean before, int extra, int offset) {}

    record ForeignCase(Case base, List<ForeignRule> foreign) {}

    /** An App's scoping: its path patterns and its host patterns (either may be empty). */
    record Scoping(List<String> pathPatterns, List<String> hostHeaders) {}

    @Test
    void theAlbDecidesLikeTheEvaluator() {
        Coverage rules = new Coverage("rule");
        Coverage decisions = new Coverage("decision");

        qt().withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
            RenderedRules rendered = AlbRuleRenderer.render(c.table());
            AlbListenerModel.Outcome alb = listener(c, rendered, List.of()).evaluate(c.request());
            RouteDecision evaluated = c.table().route(c.request());
            rules.collect(alb.name());
            decisions.collect(kind(evaluated));

            assertThat(alb.action())
                    .as("ALB took %s for %s with %s", alb.name(), c.request(), c.table())
                    .isEqualTo(evaluated);
            if (!inScope(c.table(), c.request())) {
                assertThat(evaluated).isEqualTo(c.table().ownsListener() ? c.table().unpinnedDecision() : NOT_MATCHED);
            }
        });

        assertMostExamplesRan(rules);
        rules.assertAtLeast(1.0, "navigate", "pin.header", "expired.header", "pin.query", "expired.query",
                "pin.cookie", "expired.cookie", "unpinned", "default");
        decisions.assertAtLeast(1.0, "forward", "split", "410", "503", "not matched");
    }

    @Test
    void foreignRulesOutsideTheRangeDoNotChangeTheAppsOutcome() {
        Coverage scopes = new Coverage("scope");
        Coverage takenBy = new Coverage("taken by");

        qt().withExamples(EXAMPLES).forAll(foreignCases()).checkAssert(fc -> {
            Case c = fc.base();
            RenderedRules rendered = AlbRuleRenderer.render(c.table());
            List<AlbListenerModel.Rule> foreign = foreignRules(c, rendered, fc.foreign());
            AlbListenerModel.Outcome alb = listener(c, rendered, foreign).evaluate(c.request());
            RouteDecision evaluated = c.table().route(c.request());
            boolean inScope = inScope(c.table(), c.request());
            scopes.collect(inScope ? "in scope" : "out of scope");
            takenBy.collect(alb.name().startsWith("foreign") ? "foreign" : "app or default");

            if (inScope) {
                assertThat(alb.action()).as("ALB took %s", alb.name()).isEqualTo(evaluated);
            } else if (!alb.name().startsWith("foreign")) {
                // Out of scope a foreign rule may take the request (it is not the App's); if none does,
                // the App's default (not matched, or the unpinned decision when it owns the listener) applies.
                assertThat(alb.action()).isEqualTo(evaluated);
            }
        });

        assertMostExamplesRan(scopes);
        takenBy.assertAtLeast(5.0, "foreign");
        scopes.assertAtLeast(20.0, "in scope");
    }

    @Test
    void fixedResponsesAreValidJsonWithinAlbsLimit() {
        qt().withExamples(EXAMPLES).forAll(appNames(), liveIds()).checkAssert((app, live) -> {
            RouteDecision.Respond expired = RoutingTable.expiredResponse(app, live);
            RouteDecision.Respond noLive = RoutingTable.noLiveResponse(app);

            for (RouteDecision.Respond r : List.of(expired, noLive)) {
                assertThat(r.contentType()).isEqualTo("application/json");
                assertThat(r.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
            }
            JsonNode e = json(expired.body());
            assertThat(expired.status()).isEqualTo(410);
            assertThat(e.get("error").asText()).isEqualTo("version_expired");
            assertThat(e.get("live").isNull()).isEqualTo(live == null);
            if (live != null) {
                assertThat(e.get("live").asText()).isEqualTo(live);
            }
            JsonNode n = json(noLive.body());
            assertThat(noLive.status()).isEqualTo(503);
            assertThat(n.get("error").asText()).isEqualTo("no_live_version");
            if (app.length() <= 64) {
                assertThat(e.get("message").asText()).contains(app);
                assertThat(n.get("message").asText()).contains(app);
            }
        });
    }

    /**
     * QuickTheories skips a draw it has already tried, so a generator that collapses to a few
     * values runs few examples; the coverage percentages alone would not notice.
     */
    private static void assertMostExamplesRan(Coverage coverage) {
        assertThat(coverage.total()).as("examples run").isGreaterThanOrEqualTo(EXAMPLES * 9 / 10);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- listeners ----

    /** The ALB listener the case's table renders to: its rules at the case's priorities, and the default action. */
    public static AlbListenerModel albListener(Case c) {
        return listener(c, AlbRuleRenderer.render(c.table()), List.of());
    }

    /** The App's rules at its priorities, the foreign ones, and the default action the App implies. */
    private static AlbListenerModel listener(Case c, RenderedRules rendered, List<AlbListenerModel.Rule> foreign) {
        List<AlbListenerModel.Rule> rules = new ArrayList<>(foreign);
        List<Integer> priorities = priorities(c, rendered);
        for (int i = 0; i < rendered.rules().size(); i++) {
            RenderedRule rule = rendered.rules().get(i);
            rules.add(new AlbListenerModel.Rule(priorities.get(i), rule.conditions(), rule.action(), name(rule.role())));
        }
        RouteDecision defaultAction = c.table().ownsListener() ? rendered.listenerDefault() : NOT_MATCHED;
        return new AlbListenerModel(rules, defaultAction);
    }

    /** Increasing from {@code firstPriority}, with gaps as a planner that allocated stably leaves them. */
    private static List<Integer> priorities(Case c, RenderedRules rendered) {
        Random gaps = new Random(c.gapSeed());
        List<Integer> priorities = new ArrayList<>();
        int priority = c.firstPriority();
        for (int i = 0; i < rendered.rules().size(); i++) {
            priorities.add(priority);
            priority += 1 + gaps.nextInt(3);
        }
        return priorities;
    }

    /**
     * Rules scoped to what the App's scoping cannot match: the App's path patterns all start with
     * {@code /a} or {@code /A}, its host patterns all end in {@code .example.com}.
     */
    private static List<AlbListenerModel.Rule> foreignRules(Case c, RenderedRules rendered, List<ForeignRule> specs) {
        RoutingTable table = c.table();
        RuleCondition scope = !table.pathPatterns().isEmpty()
                ? new RuleCondition.PathPattern(List.of("/zz-foreign/*", "/z?"))
                : new RuleCondition.HostHeader(List.of("*.foreign.test"));
        int first = c.firstPriority();
        int last = priorities(c, rendered).getLast();
        Set<Integer> used = new HashSet<>();
        List<AlbListenerModel.Rule> rules = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ForeignRule spec = specs.get(i);
            int priority = spec.before() ? 1 + spec.offset() % (first - 1) : last + 1 + spec.offset() % (50_000 - last);
            while (!used.add(priority)) {
                priority = spec.before() ? 1 + priority % (first - 1) : last + 1 + (priority - last) % (50_000 - last);
            }
            List<RuleCondition> conditions = new ArrayList<>(List.of(scope));
            switch (spec.extra()) {
                case 1 -> conditions.add(new RuleCondition.HttpHeader(table.routing().header(), List.of("*")));
                case 2 -> conditions.add(new RuleCondition.QueryString(
                        List.of(new RuleCondition.KeyValue(table.routing().query(), "*"))));
                case 3 -> conditions.add(new RuleCondition.HttpHeader(
                        RoutingTable.NAVIGATION_HEADER, List.of(RoutingTable.NAVIGATION_VALUE)));
                case 4 -> conditions.add(new RuleCondition.QueryString(List.of(new RuleCondition.KeyValue(null, "*"))));
                default -> { }
            }
            rules.add(new AlbListenerModel.Rule(priority, conditions,
                    new RouteDecision.Respond(418, "text/plain", "foreign " + i), "foreign " + i));
        }
        return rules;
    }

    private static boolean inScope(RoutingTable table, HttpRequest request) {
        return AlbListenerModel.matchesAll(AlbRuleRenderer.scoping(table), request);
    }

    private static String name(RuleRole role) {
        return switch (role.kind()) {
            case NAVIGATE -> "navigate";
            case UNPINNED -> "unpinned";
            case PIN -> "pin." + role.carrier().tagName();
            case EXPIRED -> "expired." + role.carrier().tagName();
            case STANDBY -> throw new IllegalStateException("the renderer never renders standby rules");
        };
    }

    private static String kind(RouteDecision decision) {
        return switch (decision) {
            case RouteDecision.Forward f -> f.targets().size() == 1 ? "forward" : "split";
            case RouteDecision.Respond r -> Integer.toString(r.status());
            case RouteDecision.NotMatched n -> "not matched";
        };
    }

    // ---- generators ----

    /** Random tables with random requests for them (also drives the local router's agreement property). */
    public static Gen<Case> cases() {
        return cases(in -> new Scoping(anyPathPatterns().generate(in), anyHostPatterns().generate(in)),
                requestPaths(), requestHosts(), ints(1, 40_000));
    }

    private static Gen<ForeignCase> foreignCases() {
        Gen<ForeignRule> foreign = in -> new ForeignRule(
                booleans().generate(in), ints(0, 4).generate(in), ints(0, 49_999).generate(in));
        Gen<Case> base = cases(anchoredScoping(), requestPathsNearAnchoredScope(), requestHosts(), ints(1_000, 40_000));
        Gen<List<ForeignRule>> foreigns = listOf(foreign, 1, 4);
        return in -> new ForeignCase(base.generate(in), foreigns.generate(in));
    }

    private static Gen<String> appNames() {
        return oneOf(
                pick("shop", "my-app", "a", "quote\"back\\slash", "tab\tnew\nline\u0001", "caf\u00e9 \u2028 \ud83d\ude80"),
                strings(0, 40),
                strings(900, 2000),
                stringsOf("\ud83d\ude80\"\\", 300, 600));
    }

    private static Gen<String> liveIds() {
        return orNull(stringsOf("aZ09._-", 1, 64), 0.2);
    }

    private static Gen<Case> cases(Gen<Scoping> scoping, Gen<String> paths, Gen<String> hosts, Gen<Integer> firstPriority) {
        Gen<List<String>> pools = versionPools();
        Gen<Long> gapSeeds = longs();
        return in -> {
            List<String> pool = pools.generate(in);
            RoutingTable table = tables(pool, scoping).generate(in);
            HttpRequest request = requests(table, pool, paths, hosts).generate(in);
            return new Case(table, request, firstPriority.generate(in), gapSeeds.generate(in));
        };
    }

    /** Version ids as the records allow them, with case-only differences and dots. */
    private static Gen<List<String>> versionPools() {
        Gen<String> id = oneOf(
                pick("v1", "V1", "v1.2", "V1.2", "2026.11.25-1", "abc", "ABC", "a_b", "x-y.z", "v10"),
                stringsOf("aAbB019._-", 1, 6));
        return uniqueListOf(id, 1, 8);
    }

    private static Gen<RoutingTable> tables(List<String> pool, Gen<Scoping> scoping) {
        Gen<String> lives = orNull(pick(pool), 0.2);
        Gen<List<String>> orders = shuffle(pool);
        Gen<Integer> counts = ints(0, pool.size());
        Gen<Boolean> liveRoutable = frequency(weighted(9, constant(true)), weighted(1, constant(false)));
        Gen<RoutingSpec> routing = in -> new RoutingSpec(
                pick("x-deployment-id", "X-Build-Id", "x-v").generate(in),
                pick("dpl", "V", "_ver").generate(in),
                orNull(pick("dpl", "Skew_V", "b"), 0.3).generate(in),
                pick(OnExpired.values()).generate(in));
        Gen<int[]> canaries = orNull(in -> new int[] {ints(0, 1000).generate(in), ints(0, 100).generate(in)}, 0.4);
        Gen<String> apps = pick("shop", "my-app", "odd \"app\"");
        return in -> {
            String live = lives.generate(in);
            List<String> order = orders.generate(in);
            int count = counts.generate(in);
            List<String> routable = new ArrayList<>();
            if (live != null && liveRoutable.generate(in)) {
                routable.add(live);
            }
            order.stream().filter(v -> !v.equals(live)).limit(count).forEach(routable::add);
            RoutingSpec spec = routing.generate(in);
            Scoping scope = scoping.generate(in);
            boolean owns = booleans().generate(in);
            int[] split = canaries.generate(in);
            String name = apps.generate(in);

            List<String> candidates = routable.stream().filter(v -> !v.equals(live)).toList();
            RoutingTable.CanarySplit canarySplit = split == null || candidates.isEmpty() ? null
                    : new RoutingTable.CanarySplit(candidates.get(split[0] % candidates.size()), split[1]);
            return new RoutingTable(name, spec, scope.pathPatterns(), scope.hostHeaders(), owns, live, canarySplit,
                    routable);
        };
    }

    private static Gen<HttpRequest> requests(RoutingTable table, List<String> pool, Gen<String> paths,
            Gen<String> hosts) {
        RoutingSpec routing = table.routing();
        List<String> routable = table.routable().isEmpty() ? pool : table.routable();
        Gen<String> pin = frequency(
                weighted(4, pick(routable).flatMap(RoutingAgreementProperties::caseVariants)),
                weighted(3, pick(pool).flatMap(RoutingAgreementProperties::caseVariants)),
                weighted(2, pick("", "*", "gone", "v1,v2", "v1 ", "V1.2;x")),
                weighted(1, stringsOf("aAbB019._-*?", 0, 5)));

        Gen<List<String>> navigation = frequency(
                weighted(12, constant(List.of())),
                weighted(2, pick(List.of("navigate"), List.of("NAVIGATE"), List.of("Navigate"))),
                weighted(1, pick(List.of("cors"), List.of("no-cors"), List.of("same-origin"),
                        List.of("navigate "), List.of("cors", "navigate"))));
        Gen<List<String>> header = frequency(
                weighted(6, constant(List.of())),
                weighted(3, listOf(pin, 1, 1)),
                weighted(1, listOf(pin, 2, 3)));
        Gen<String> paramKey = frequency(
                weighted(6, caseVariants(routing.query())),
                weighted(2, pick("a", "x" + routing.query(), routing.query() + "x", "dpl2")));
        Gen<String> paramValue = frequency(weighted(5, pin), weighted(1, constant(null)));
        Gen<HttpRequest.QueryParam> param = in -> new HttpRequest.QueryParam(paramKey.generate(in), paramValue.generate(in));
        Gen<List<HttpRequest.QueryParam>> query = frequency(
                weighted(5, constant(List.of())),
                weighted(4, listOf(param, 1, 3)));
        Gen<List<String>> cookies = frequency(
                weighted(4, constant(List.of())),
                weighted(6, listOf(cookieHeader(routing.cookie() == null ? "dpl" : routing.cookie(), pin), 1, 2)));

        Gen<String> scopedPaths = table.pathPatterns().isEmpty() ? paths : frequency(
                weighted(1, paths),
                weighted(1, pick(table.pathPatterns()).flatMap(p -> instances(p, "/"))));
        Gen<String> scopedHosts = table.hostHeaders().isEmpty() ? hosts : frequency(
                weighted(1, hosts),
                weighted(1, pick(table.hostHeaders()).flatMap(h -> instances(h, ".")).flatMap(h -> caseVariants(h))));
        Gen<String> headerNames = caseVariants(routing.header());
        Gen<String> cookieNames = pick("Cookie", "cookie");
        return in -> {
            String host = scopedHosts.generate(in);
            String path = scopedPaths.generate(in);
            List<String> nav = navigation.generate(in);
            List<String> pins = header.generate(in);
            List<HttpRequest.QueryParam> params = query.generate(in);
            List<String> cookieHeaders = cookies.generate(in);
            String headerName = headerNames.generate(in);
            String cookieName = cookieNames.generate(in);

            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Accept", List.of("*/*"));
            if (!nav.isEmpty()) {
                headers.put("sec-fetch-mode", nav);
            }
            if (!pins.isEmpty()) {
                headers.put(headerName, pins);
            }
            if (!cookieHeaders.isEmpty()) {
                headers.put(cookieName, cookieHeaders);
            }
            return new HttpRequest(host, path, headers, params);
        };
    }

    /** Mostly {@code a=b; c=d} as browsers send it; now and then something a client library might. */
    private static Gen<String> cookieHeader(String carrier, Gen<String> pin) {
        Gen<String> name = frequency(
                weighted(5, caseVariants(carrier)),
                weighted(3, pick("sid", "theme", "x" + carrier, carrier + "2", "_" + carrier)));
        Gen<String> value = frequency(weighted(3, pin), weighted(1, stringsOf("abc123=", 0, 6)));
        Gen<String> pair = in -> name.generate(in) + "=" + value.generate(in);
        Gen<List<String>> pairs = listOf(pair, 1, 4);
        Gen<String> oddSeparators = pick(";", ";  ", " ; ", "; ;");
        return frequency(
                weighted(9, pairs.map(p -> String.join("; ", p))),
                weighted(1, in -> {
                    List<String> p = pairs.generate(in);
                    return String.join(oddSeparators.generate(in), p);
                }),
                weighted(1, pick(carrier, " " + carrier + "=v1", carrier + "=v1;", "; " + carrier + "=V1")));
    }

    /** Strings matching the ALB pattern {@code pattern}, wildcards filled from {@code separator}-ish pieces. */
    private static Gen<String> instances(String pattern, String separator) {
        Gen<String> stars = pick("", "x", separator, "a" + separator + "B", "api", "v1.2");
        Gen<String> questionMarks = pick("x", "A", separator);
        return in -> {
            StringBuilder out = new StringBuilder();
            pattern.chars().forEach(ch -> out.append(switch (ch) {
                case '*' -> stars.generate(in);
                case '?' -> questionMarks.generate(in);
                default -> Character.toString(ch);
            }));
            return out.toString();
        };
    }

    private static Gen<String> caseVariants(String s) {
        StringBuilder swapped = new StringBuilder();
        s.chars().forEach(ch -> swapped.append(Character.isUpperCase(ch)
                ? Character.toLowerCase((char) ch) : Character.toUpperCase((char) ch)));
        return frequency(
                weighted(4, constant(s)),
                weighted(1, pick(s.toUpperCase(Locale.ROOT), s.toLowerCase(Locale.ROOT), swapped.toString())));
    }

    private static Gen<String> pathPieces(String start) {
        return listOf(pick("/", "api", "API", "v1", "x", "*", "?", ".js", "ws"), 0, 4)
                .map(p -> start + String.join("", p));
    }

    private static Gen<List<String>> anyPathPatterns() {
        Gen<String> pattern = oneOf(
                pick("/api/*", "/*", "*", "/api", "/a?i/*", "*.js", "/API/*", "/api/v?/*", "/ws", "/*/x*"),
                pathPieces("/"), pathPieces(""));
        return frequency(
                weighted(2, constant(List.of())),
                weighted(5, listOf(pattern, 1, 3)));
    }

    private static Gen<List<String>> anyHostPatterns() {
        Gen<String> pattern = pick(
                "app.example.com", "*.example.com", "APP.Example.com", "a?p.example.com", "*", "*.test", "ap*");
        return frequency(
                weighted(3, constant(List.of())),
                weighted(2, listOf(pattern, 1, 2)));
    }

    /**
     * Path patterns that can only match paths starting with {@code /a} or {@code /A}, host patterns
     * that can only match hosts ending in {@code .example.com}; at least one of them.
     */
    private static Gen<Scoping> anchoredScoping() {
        Gen<List<String>> paths = listOf(oneOf(
                        pick("/api/*", "/api", "/a?i/*", "/API/*", "/app*", "/a*.js", "/a*", "/a*/*"),
                        pathPieces("/a"), pathPieces("/A")),
                1, 2);
        Gen<List<String>> hosts = listOf(pick(
                        "app.example.com", "*.example.com", "APP.Example.com", "a?p.example.com", "*.app.example.com"),
                1, 2);
        return oneOf(
                paths.map(p -> new Scoping(p, List.of())),
                hosts.map(h -> new Scoping(List.of(), h)),
                in -> new Scoping(paths.generate(in), hosts.generate(in)));
    }

    private static Gen<String> requestPathsNearAnchoredScope() {
        return frequency(
                weighted(6, pick("/api", "/api/", "/api/users/1", "/app.js", "/a/x", "/API/users", "/apx/x",
                        "/api/v1/x", "/Api/x", "/a?i/x", "/ab")),
                weighted(2, pathPieces("/a")),
                weighted(4, pick("/zz-foreign/x", "/zz", "/z1", "/zz-foreign/api/x")),
                weighted(1, pathPieces("/")));
    }

    private static Gen<String> requestPaths() {
        return frequency(
                weighted(6, pick("/", "/api", "/api/", "/api/users/1", "/API/users", "/apx/x", "/api/v1/x",
                        "/ws", "/ws/", "/app.js", "/static/app.js", "/a/x", "/Api/x", "/api/*", "/a?i/x")),
                weighted(3, pathPieces("/")),
                weighted(1, pick("/zz-foreign/x", "/zz", "/z1")));
    }

    private static Gen<String> requestHosts() {
        return orNull(pick("app.example.com", "APP.EXAMPLE.COM", "www.example.com", "apx.example.com",
                "ap.example.com", "x.app.example.com", "other.test", "x.foreign.test"), 0.1);
    }
}
