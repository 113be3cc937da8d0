package dev.skewless.plan.observed;

/**
 * An ECS service registered with Application Auto Scaling, found by the resource id of a service
 * the App owns.
 *
 * @param resourceId  {@code service/<cluster>/<service>}
 * @param arn         the scalable target's ARN (null where the provider has none)
 * @param minCapacity fewest tasks
 * @param maxCapacity most tasks
 */
public record ObservedScalableTarget(String resourceId, String arn, int minCapacity, int maxCapacity) {
}
