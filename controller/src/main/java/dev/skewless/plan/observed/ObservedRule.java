package dev.skewless.plan.observed;

import dev.skewless.plan.action.ListenerRuleSpec;
import java.util.Map;

/**
 * A non-default listener rule as listed, foreign or ours.
 *
 * @param arn      rule ARN
 * @param priority its priority
 * @param spec     conditions and action
 * @param tags     its tags (ours carry the ownership tags and the rule role)
 */
public record ObservedRule(String arn, int priority, ListenerRuleSpec spec, Map<String, String> tags) {
    public ObservedRule {
        tags = Map.copyOf(tags);
    }
}
