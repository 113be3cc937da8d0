/**
 * The routing table: one pure evaluator deciding where every request goes
 * ({@link dev.skewless.plan.routing.RoutingTable#route}), and its rendering into ALB-shaped
 * listener rules ({@link dev.skewless.plan.routing.AlbRuleRenderer}). The local router evaluates
 * the table in-process; the ALB evaluates the rendered rules; tests prove both agree.
 */
package dev.skewless.plan.routing;
