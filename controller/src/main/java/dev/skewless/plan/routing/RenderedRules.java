package dev.skewless.plan.routing;

import java.util.List;

/**
 * The rendering of one {@link RoutingTable}.
 *
 * @param rules           in evaluation order (navigation, pins and catch-alls per carrier, unpinned)
 * @param listenerDefault the listener's default action when the App owns the listener; else null
 */
public record RenderedRules(List<RenderedRule> rules, RouteDecision listenerDefault) {
    public RenderedRules {
        rules = List.copyOf(rules);
    }
}
