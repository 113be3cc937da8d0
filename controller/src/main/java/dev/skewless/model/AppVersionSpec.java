package dev.skewless.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one version runs.
 *
 * @param image         container image (normally tagged with the version id)
 * @param cpu           Fargate CPU units (256, 512, 1024, 2048, 4096, 8192, 16384)
 * @param memory        Fargate memory in MiB; must be a valid pair with {@code cpu}
 * @param desiredCount  tasks while provisioning, ready or live
 * @param containerPort port the container listens on (the target group's port)
 * @param env           plain environment variables
 * @param secrets       environment variables filled from Secrets Manager or SSM ARNs
 * @param healthCheck   the target group health check
 * @param retention     per-version retention window, bounded by the App's min and max; null uses
 *                      the App's default
 * @param revoked       true takes the version out of service at once (its pins get
 *                      {@code onExpired}), whatever its retention
 * @param autoscaling   target tracking while live or canary; null runs {@code desiredCount}
 *                      tasks. When set, {@code desiredCount} is not used: a new version starts
 *                      at {@code autoscaling.minCount}
 */
public record AppVersionSpec(
        String image,
        int cpu,
        int memory,
        int desiredCount,
        int containerPort,
        Map<String, String> env,
        Map<String, String> secrets,
        HealthCheckSpec healthCheck,
        Duration retention,
        boolean revoked,
        AutoscalingSpec autoscaling) {
    public AppVersionSpec {
        Objects.requireNonNull(image, "image");
        env = env == null ? Map.of() : Map.copyOf(env);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        healthCheck = healthCheck == null ? HealthCheckSpec.DEFAULT : healthCheck;
    }

    /** A spec without autoscaling. */
    public AppVersionSpec(String image, int cpu, int memory, int desiredCount, int containerPort, Map<String, String> env,
            Map<String, String> secrets, HealthCheckSpec healthCheck, Duration retention, boolean revoked) {
        this(image, cpu, memory, desiredCount, containerPort, env, secrets, healthCheck, retention, revoked, null);
    }

    /** Copy with {@code revoked} set. */
    public AppVersionSpec withRevoked(boolean value) {
        return new AppVersionSpec(image, cpu, memory, desiredCount, containerPort, env, secrets, healthCheck, retention, value,
                autoscaling);
    }

    /** Copy with {@code autoscaling} set (null removes it). */
    public AppVersionSpec withAutoscaling(AutoscalingSpec value) {
        return new AppVersionSpec(image, cpu, memory, desiredCount, containerPort, env, secrets, healthCheck, retention, revoked,
                value);
    }

    /** The tasks a new version is provisioned at: {@code autoscaling.minCount}, else {@code desiredCount}. */
    public int initialCount() {
        return autoscaling != null ? autoscaling.minCount() : desiredCount;
    }
}
