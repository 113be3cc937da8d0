package dev.skewless.plan.routing;

/** Renders a {@link RoutingTable} into ALB-shaped rules. (Being written.) */
public final class AlbRuleRenderer {
    private AlbRuleRenderer() {}

    /** The rules in evaluation order, and the listener default when the App owns the listener. */
    public static RenderedRules render(RoutingTable table) {
        throw new UnsupportedOperationException("not yet written");
    }
}
