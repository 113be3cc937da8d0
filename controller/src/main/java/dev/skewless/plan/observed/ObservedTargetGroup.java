package dev.skewless.plan.observed;

import dev.skewless.model.HealthCheckSpec;
import java.time.Duration;
import java.util.Map;

/**
 * A target group carrying skewless ownership tags.
 *
 * @param arn                 ARN
 * @param name                name
 * @param port                port
 * @param healthCheck         health check as configured
 * @param deregistrationDelay as configured
 * @param registeredTargets   targets registered
 * @param healthyTargets      of which healthy
 * @param tags                tags
 */
public record ObservedTargetGroup(
        String arn, String name, int port, HealthCheckSpec healthCheck, Duration deregistrationDelay,
        int registeredTargets, int healthyTargets, Map<String, String> tags) {
    public ObservedTargetGroup {
        tags = Map.copyOf(tags);
    }
}
