package dev.skewless.plan.observed;

import dev.skewless.plan.action.AlbAction;
import java.util.List;

/**
 * A listener as listed in one pass.
 *
 * @param arn                          listener ARN
 * @param rules                        every non-default rule, ours and foreign
 * @param defaultAction                the default action
 * @param loadBalancerRuleCount        non-default rules on all listeners of its load balancer
 *                                     (ALB quota: 100, adjustable)
 * @param loadBalancerTargetGroupCount target groups attached to its load balancer (quota: 100, hard)
 */
public record ObservedListener(
        String arn, List<ObservedRule> rules, AlbAction defaultAction, int loadBalancerRuleCount,
        int loadBalancerTargetGroupCount) {
    public ObservedListener {
        rules = List.copyOf(rules);
    }
}
