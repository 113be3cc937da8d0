/**
 * {@link dev.skewless.router.TrafficRouter} for {@code ./skewless dev}: listeners, rules and target
 * groups kept in memory for the planner, and an in-process HTTP reverse proxy that routes every
 * request with the production evaluator ({@code RoutingTable.route}) and serves the web builds of
 * the retained versions side by side.
 */
package dev.skewless.router.local;
