package dev.skewless.plan.routing;

import dev.skewless.model.RoutingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Implements {@link RoutingTable#route}. Every comparison is the one the ALB makes on the rules
 * {@link AlbRuleRenderer} renders (paths case-sensitively, hosts, header and query values and
 * query keys ASCII case-insensitively, {@code *}/{@code ?} wildcards in patterns), so the local
 * router and the ALB decide alike.
 */
final class RoutingEvaluator {
    private RoutingEvaluator() {}

    static RouteDecision route(RoutingTable table, HttpRequest request) {
        if (!inScope(table, request)) {
            // On a listener it owns, the App's default action also takes what its rules do not scope.
            return table.ownsListener() ? table.unpinnedDecision() : new RouteDecision.NotMatched();
        }
        if (request.header(RoutingTable.NAVIGATION_HEADER).stream()
                .anyMatch(v -> equalsIgnoreAsciiCase(v, RoutingTable.NAVIGATION_VALUE))) {
            return table.liveDecision();
        }
        for (Carrier carrier : table.carriers()) {
            List<String> pins = pins(table.routing(), carrier, request);
            if (!pins.isEmpty()) {
                // Only the first carrier present decides, even when a later one names a routable version.
                return routableNamedBy(table, pins)
                        .<RouteDecision>map(RouteDecision.Forward::to)
                        .orElseGet(table::expiredDecision);
            }
        }
        return table.unpinnedDecision();
    }

    private static boolean inScope(RoutingTable table, HttpRequest request) {
        boolean pathMatches = table.pathPatterns().isEmpty()
                || table.pathPatterns().stream().anyMatch(p -> wildcardMatches(p, request.path(), false));
        boolean hostMatches = table.hostHeaders().isEmpty()
                || (request.host() != null
                        && table.hostHeaders().stream().anyMatch(h -> wildcardMatches(h, request.host(), true)));
        return pathMatches && hostMatches;
    }

    /** The values {@code carrier} carries in {@code request}; empty when the carrier is absent. */
    private static List<String> pins(RoutingSpec routing, Carrier carrier, HttpRequest request) {
        return switch (carrier) {
            case HEADER -> request.header(routing.header());
            case QUERY -> request.query().stream()
                    .filter(p -> equalsIgnoreAsciiCase(p.key(), routing.query()))
                    .map(HttpRequest.QueryParam::value)
                    .toList();
            case COOKIE -> cookieValues(request.header("Cookie"), routing.cookie());
        };
    }

    /**
     * With several values, the routable version listed first wins (live, then newest): that is the
     * pin rule the ALB reaches first. Version ids compare case-insensitively, as ALB values do.
     */
    private static Optional<String> routableNamedBy(RoutingTable table, List<String> pins) {
        return table.routable().stream()
                .filter(version -> pins.stream().anyMatch(pin -> equalsIgnoreAsciiCase(pin, version)))
                .findFirst();
    }

    /**
     * Values of cookie {@code name} in {@code Cookie} headers. A pair counts where the ALB's cookie
     * patterns ({@code c=v}, {@code c=v;*}, {@code *; c=v}, {@code *; c=v;*}) can see it: at the
     * start of the header or right after {@code "; "}, the separator browsers send.
     */
    private static List<String> cookieValues(List<String> headers, String name) {
        List<String> values = new ArrayList<>();
        for (String header : headers) {
            String[] segments = header.split(";", -1);
            for (int i = 0; i < segments.length; i++) {
                String pair = segments[i];
                if (i > 0) {
                    if (!pair.startsWith(" ")) {
                        continue;
                    }
                    pair = pair.substring(1);
                }
                int eq = pair.indexOf('=');
                if (eq >= 0 && equalsIgnoreAsciiCase(pair.substring(0, eq), name)) {
                    values.add(pair.substring(eq + 1));
                }
            }
        }
        return values;
    }

    /** ALB pattern match: {@code *} any run of characters (including {@code /}), {@code ?} exactly one. */
    static boolean wildcardMatches(String pattern, String text, boolean ignoreCase) {
        int[] p = pattern.codePoints().toArray();
        int[] t = text.codePoints().toArray();
        int pi = 0;
        int ti = 0;
        int star = -1;
        int resume = 0;
        while (ti < t.length) {
            if (pi < p.length && p[pi] != '*' && (p[pi] == '?' || sameChar(p[pi], t[ti], ignoreCase))) {
                pi++;
                ti++;
            } else if (pi < p.length && p[pi] == '*') {
                star = pi++;
                resume = ti;
            } else if (star >= 0) {
                // Let the last star absorb one more character and retry from there.
                pi = star + 1;
                ti = ++resume;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    static boolean equalsIgnoreAsciiCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (!sameChar(a.charAt(i), b.charAt(i), true)) {
                return false;
            }
        }
        return true;
    }

    // ASCII folding only (the ALB model's too): Java's Unicode folding would also equate e.g.
    // KELVIN SIGN and 'k', which no HTTP token contains.
    private static boolean sameChar(int a, int b, boolean ignoreCase) {
        return a == b || (ignoreCase && lowerAscii(a) == lowerAscii(b));
    }

    private static int lowerAscii(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
