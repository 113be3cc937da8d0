package dev.skewless.plan.routing;

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
 * Requests outside the App's path/host scope are {@link RouteDecision.NotMatched}. With no live
 * version, what would go to live gets a 503 instead.
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

    public RoutingTable {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(routing, "routing");
        pathPatterns = List.copyOf(pathPatterns);
        hostHeaders = List.copyOf(hostHeaders);
        routable = List.copyOf(routable);
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
}
