package dev.skewless.plan.action;

import dev.skewless.model.HealthCheckSpec;
import java.time.Duration;
import java.util.Map;

/**
 * A version's target group: target type {@code ip}, HTTP.
 *
 * @param name                deterministic, at most 32 characters
 * @param port                the container port
 * @param vpcId               the VPC, or null for the provider to use the listener's
 * @param listenerArn         the listener the group will serve (lets the provider find the VPC)
 * @param healthCheck         health check settings
 * @param deregistrationDelay how long deregistering targets keep serving in-flight requests
 * @param tags                ownership tags
 */
public record TargetGroupSpec(
        String name,
        int port,
        String vpcId,
        String listenerArn,
        HealthCheckSpec healthCheck,
        Duration deregistrationDelay,
        Map<String, String> tags) {
    public TargetGroupSpec {
        tags = Map.copyOf(tags);
    }
}
