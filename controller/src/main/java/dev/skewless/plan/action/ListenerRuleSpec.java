package dev.skewless.plan.action;

import dev.skewless.plan.routing.RuleCondition;
import java.util.List;

/**
 * Conditions and action of one listener rule, in provider terms (target groups by ARN). Desired
 * and observed rules use the same shape, so the planner compares them with {@code equals}.
 */
public record ListenerRuleSpec(List<RuleCondition> conditions, AlbAction action) {
    public ListenerRuleSpec {
        conditions = List.copyOf(conditions);
    }
}
