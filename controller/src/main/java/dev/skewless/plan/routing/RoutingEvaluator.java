package dev.skewless.plan.routing;

/** Implements {@link RoutingTable#route}. (Being written.) */
final class RoutingEvaluator {
    private RoutingEvaluator() {}

    static RouteDecision route(RoutingTable table, HttpRequest request) {
        throw new UnsupportedOperationException("not yet written");
    }
}
