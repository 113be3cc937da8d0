package dev.skewless.plan.routing;

import dev.skewless.model.OnExpired;
import dev.skewless.model.RoutingSpec;
import java.util.List;
import java.util.Objects;

/**
 * Everything that decides where one App's requests go, as of one planner pass.
 *
 * <p>{@link #route} applies the four rules of the brief, in order:
 * <ol>
 *   <li>navigations ({@code Sec-Fetch-Mode: navigate}) go to live, never pinned;</li>
 *   <li>a pin (header, else query parameter, else cookie) naming a routable version goes to it;</li>
 *   <li>any other pin gets {@code onExpired}: a 410 JSON body naming live, or live itself;</li>
 *   <li>unpinned requests go to live, or are split with the canary.</li>
 * </ol>
 * Requests outside the App's path/host scope are {@link RouteDecision.NotMatched}, unless the App
 * owns the listener: then the listener's default action takes them on the ALB, so they get the
 * unpinned decision here too. With no live version, what would go to live gets a 503 instead.
 *
 * <p>The decisions shared by the evaluator and the ALB renderer ({@link #liveDecision},
 * {@link #expiredDecision}, {@link #unpinnedDecision}, and the fixed response bodies) live here, so
 * the two cannot drift apart.
 *
 * @param app          the App's name
 * @param routing      carriers and {@code onExpired}
 * @param pathPatterns scoping path patterns (ALB syntax); empty means any path
 * @param hostHeaders  scoping host headers (ALB syntax); empty means any host
 * @param ownsListener whether unpinned traffic uses the listener's default action
 * @param live         the live version, or null when none is ready yet
 * @param canary       the canary actually in effect (routable, not live, weight 1..100), or null
 * @param routable     versions whose pins are honoured, in rule order: live first, then newest to
 *                     oldest (most pinned traffic matches early; ALB bills rules evaluated past ten)
 */
public record RoutingTable(
        String app,
        RoutingSpec routing,
        List<String> pathPatterns,
        List<String> hostHeaders,
        boolean ownsListener,
        String live,
        CanarySplit canary,
        List<String> routable) {

    /** Header every navigation carries. */
    public static final String NAVIGATION_HEADER = "Sec-Fetch-Mode";
    /** Its value for full page loads. */
    public static final String NAVIGATION_VALUE = "navigate";

    /** Content type of skewless's fixed responses. */
    public static final String JSON = "application/json";
    /** ALB's limit on a fixed-response body; skewless's bodies are ASCII, so characters are bytes. */
    public static final int MAX_FIXED_RESPONSE_BODY = 1024;

    public RoutingTable {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(routing, "routing");
        pathPatterns = List.copyOf(pathPatterns);
        hostHeaders = List.copyOf(hostHeaders);
        routable = List.copyOf(routable);
        if (live != null) {
            expiredResponse(app, live); // fails now, not on a request, if live cannot fit the 410 body
        }
    }

    /**
     * A canary in effect.
     *
     * @param version the canary version
     * @param weight  percent of unpinned traffic, 1..100
     */
    public record CanarySplit(String version, int weight) {}

    /** Decides where {@code request} goes. Pure; safe to call from any thread. */
    public RouteDecision route(HttpRequest request) {
        return RoutingEvaluator.route(this, request);
    }

    /** The enabled carriers, in the order they are checked: header, query, then cookie if on. */
    public List<Carrier> carriers() {
        return routing.cookieEnabled()
                ? List.of(Carrier.HEADER, Carrier.QUERY, Carrier.COOKIE)
                : List.of(Carrier.HEADER, Carrier.QUERY);
    }

    /** What goes to live: a forward to it, or the 503 response while there is none. */
    public RouteDecision liveDecision() {
        return live == null ? noLiveResponse(app) : RouteDecision.Forward.to(live);
    }

    /** What an unpinned request gets: live, the canary split, or the 503 while there is no live. */
    public RouteDecision unpinnedDecision() {
        if (live == null || canary == null) {
            return liveDecision();
        }
        // Both entries stay even at weight 0, so a weight change modifies the rule's weights only.
        return new RouteDecision.Forward(List.of(
                new RouteDecision.WeightedVersion(live, 100 - canary.weight()),
                new RouteDecision.WeightedVersion(canary.version(), canary.weight())));
    }

    /** What a pin naming no routable version gets: the 410 response, or live ({@code onExpired}). */
    public RouteDecision expiredDecision() {
        return routing.onExpired() == OnExpired.FALLBACK ? liveDecision() : expiredResponse(app, live);
    }

    /**
     * 410 for a pin to a version that is gone: {@code {"error":"version_expired","message":...,
     * "live":"<live>"}}, {@code live} JSON null when there is none. The client reads {@code live} to
     * decide whether reloading helps.
     */
    public static RouteDecision.Respond expiredResponse(String app, String live) {
        return new RouteDecision.Respond(410, JSON, fitted(
                "{\"error\":\"version_expired\",\"message\":\"This version of ",
                app,
                " is no longer available. Reload to get the current version.\",\"live\":"
                        + (live == null ? "null" : "\"" + escaped(live) + "\"") + "}"));
    }

    /** 503 while no version of the App is live: {@code {"error":"no_live_version","message":...}}. */
    public static RouteDecision.Respond noLiveResponse(String app) {
        return new RouteDecision.Respond(503, JSON, fitted(
                "{\"error\":\"no_live_version\",\"message\":\"No version of ",
                app,
                " is live yet.\"}"));
    }

    /**
     * {@code before + app + after} with the app name escaped and, if needed, cut at a code point
     * so the body fits ALB's limit (app names are short DNS labels; this only guards the limit).
     */
    private static String fitted(String before, String app, String after) {
        int budget = MAX_FIXED_RESPONSE_BODY - before.length() - after.length();
        if (budget < 0) {
            throw new IllegalArgumentException("version id too long for a fixed response of "
                    + MAX_FIXED_RESPONSE_BODY + " bytes");
        }
        StringBuilder body = new StringBuilder(before);
        for (int codePoint : app.codePoints().toArray()) {
            String piece = escaped(Character.toString(codePoint));
            if (piece.length() > budget) {
                break;
            }
            body.append(piece);
            budget -= piece.length();
        }
        return body.append(after).toString();
    }

    /** JSON string content; everything outside printable ASCII is escaped, so length is byte size. */
    private static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
