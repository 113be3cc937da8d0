package dev.skewless.plan.observed;

import dev.skewless.plan.action.ScalingPolicySpec;

/**
 * A target tracking policy on one of the App's scalable targets, read back into the shape the
 * planner writes, so drift is an inequality.
 *
 * @param arn  the policy's ARN
 * @param spec what it does
 */
public record ObservedScalingPolicy(String arn, ScalingPolicySpec spec) {
}
