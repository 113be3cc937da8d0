package dev.skewless.plan.routing;

import dev.skewless.model.RoutingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Renders a {@link RoutingTable} into ALB-shaped listener rules that decide exactly as
 * {@link RoutingTable#route} does.
 *
 * <p>The ALB evaluates a listener's rules in priority order and the first rule whose conditions all
 * match wins, so the rule order encodes the routing rules:
 * <ol>
 *   <li>navigation, so a page load is never pinned;</li>
 *   <li>per carrier, in the order header, query, cookie: a pin rule per routable version, then that
 *       carrier's expired catch-all. Grouping by carrier is what makes "header, else query, else
 *       cookie" hold: a request whose header names an expired version meets the header catch-all
 *       before any query rule, so it gets {@code onExpired} even if its query names a live
 *       version;</li>
 *   <li>unpinned, scoped only (or the listener's default action when the App owns the
 *       listener).</li>
 * </ol>
 * Within a carrier, pins run live first, then newest to oldest: the ALB bills every rule evaluated
 * beyond the first ten, and most pinned traffic is to recent versions. That order also settles a
 * request carrying several values: the first routable version in the list wins, in both renderings.
 *
 * <p>Every rule carries the App's scoping (path patterns, host headers), so rules of other Apps on
 * a shared listener are never shadowed; with no scoping the rules use {@code /*}, since an ALB rule
 * needs at least one condition.
 */
public final class AlbRuleRenderer {
    /** The path pattern scoping an App that declares neither path patterns nor host headers. */
    public static final String ANY_PATH = "/*";
    /** The header browsers send cookies in. */
    public static final String COOKIE_HEADER = "Cookie";

    private AlbRuleRenderer() {}

    /** The rules in evaluation order, and the listener default when the App owns the listener. */
    public static RenderedRules render(RoutingTable table) {
        List<RuleCondition> scope = scoping(table);
        List<RenderedRule> rules = new ArrayList<>();
        rules.add(rule(RuleRole.navigate(), scope,
                new RuleCondition.HttpHeader(RoutingTable.NAVIGATION_HEADER, List.of(RoutingTable.NAVIGATION_VALUE)),
                table.liveDecision()));
        for (Carrier carrier : table.carriers()) {
            for (String version : table.routable()) {
                rules.add(rule(RuleRole.pin(carrier, version), scope,
                        pinCondition(table.routing(), carrier, version), RouteDecision.Forward.to(version)));
            }
            rules.add(rule(RuleRole.expired(carrier), scope,
                    catchAllCondition(table.routing(), carrier), table.expiredDecision()));
        }
        if (table.ownsListener()) {
            return new RenderedRules(rules, table.unpinnedDecision());
        }
        rules.add(new RenderedRule(RuleRole.unpinned(), scope, table.unpinnedDecision()));
        return new RenderedRules(rules, null);
    }

    /** The App's scoping conditions, which every rendered rule starts with. */
    public static List<RuleCondition> scoping(RoutingTable table) {
        List<RuleCondition> scope = new ArrayList<>(2);
        if (!table.pathPatterns().isEmpty()) {
            scope.add(new RuleCondition.PathPattern(table.pathPatterns()));
        }
        if (!table.hostHeaders().isEmpty()) {
            scope.add(new RuleCondition.HostHeader(table.hostHeaders()));
        }
        if (scope.isEmpty()) {
            scope.add(new RuleCondition.PathPattern(List.of(ANY_PATH)));
        }
        return List.copyOf(scope);
    }

    private static RenderedRule rule(RuleRole role, List<RuleCondition> scope, RuleCondition condition,
            RouteDecision action) {
        return new RenderedRule(role, Stream.concat(scope.stream(), Stream.of(condition)).toList(), action);
    }

    private static RuleCondition pinCondition(RoutingSpec routing, Carrier carrier, String version) {
        return switch (carrier) {
            case HEADER -> new RuleCondition.HttpHeader(routing.header(), List.of(version));
            case QUERY -> new RuleCondition.QueryString(List.of(new RuleCondition.KeyValue(routing.query(), version)));
            case COOKIE -> {
                // The cookie alone, first, last, or in the middle of "a=b; c=d" as browsers join them.
                String pair = routing.cookie() + "=" + version;
                yield new RuleCondition.HttpHeader(COOKIE_HEADER,
                        List.of(pair, pair + ";*", "*; " + pair, "*; " + pair + ";*"));
            }
        };
    }

    private static RuleCondition catchAllCondition(RoutingSpec routing, Carrier carrier) {
        return switch (carrier) {
            case HEADER -> new RuleCondition.HttpHeader(routing.header(), List.of("*"));
            case QUERY -> new RuleCondition.QueryString(List.of(new RuleCondition.KeyValue(routing.query(), "*")));
            case COOKIE -> {
                String name = routing.cookie() + "=";
                yield new RuleCondition.HttpHeader(COOKIE_HEADER, List.of(name + "*", "*; " + name + "*"));
            }
        };
    }
}
