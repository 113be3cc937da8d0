package dev.skewless.plan.routing;

import java.util.List;

/**
 * One ALB-shaped listener rule rendered from a {@link RoutingTable}, before priorities are
 * assigned (the planner allocates them stably inside the App's range, in list order).
 *
 * @param role       what the rule is for
 * @param conditions ANDed conditions, always including the App's path/host scoping
 * @param action     a {@link RouteDecision.Forward} or {@link RouteDecision.Respond}
 */
public record RenderedRule(RuleRole role, List<RuleCondition> conditions, RouteDecision action) {
    public RenderedRule {
        conditions = List.copyOf(conditions);
    }

    /** Condition values used, against ALB's quota of 5 per rule. */
    public int conditionValueCount() {
        return conditions.stream().mapToInt(RuleCondition::valueCount).sum();
    }
}
