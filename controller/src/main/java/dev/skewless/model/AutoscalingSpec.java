package dev.skewless.model;

import java.time.Duration;

/**
 * Target tracking for a version's service through Application Auto Scaling, applied while the
 * version is live or the canary (see {@code docs/decisions/030-autoscaling.md}). Exactly one
 * target is set: {@code cpuPercent} or {@code requestsPerTarget}.
 *
 * @param minCount          fewest tasks; also the count a new version is provisioned at
 * @param maxCount          most tasks
 * @param cpuPercent        average CPU utilisation of the service to hold (1..100), or null
 * @param requestsPerTarget ALB requests per task per minute to hold, or null
 * @param scaleInCooldown   wait after a scale-in before the next one; null means 300 s
 * @param scaleOutCooldown  wait after a scale-out before the next one; null means 300 s
 */
public record AutoscalingSpec(
        int minCount,
        int maxCount,
        Integer cpuPercent,
        Integer requestsPerTarget,
        Duration scaleInCooldown,
        Duration scaleOutCooldown) {
    /** Application Auto Scaling's own default for ECS target tracking. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(300);

    public AutoscalingSpec {
        scaleInCooldown = scaleInCooldown == null ? DEFAULT_COOLDOWN : scaleInCooldown;
        scaleOutCooldown = scaleOutCooldown == null ? DEFAULT_COOLDOWN : scaleOutCooldown;
    }

    /** What the policy tracks. */
    public enum Metric {
        /** {@code ECSServiceAverageCPUUtilization}. */
        CPU,
        /** {@code ALBRequestCountPerTarget} of the version's target group. */
        REQUESTS
    }

    /** The tracked metric (CPU when both or neither are set; validation refuses those). */
    public Metric metric() {
        return cpuPercent == null && requestsPerTarget != null ? Metric.REQUESTS : Metric.CPU;
    }

    /** The value the policy holds the metric at. */
    public int targetValue() {
        return metric() == Metric.REQUESTS ? requestsPerTarget : cpuPercent == null ? 0 : cpuPercent;
    }

    /** {@code count} within {@code [minCount, maxCount]}. */
    public int clamp(int count) {
        return Math.max(minCount, Math.min(maxCount, count));
    }
}
