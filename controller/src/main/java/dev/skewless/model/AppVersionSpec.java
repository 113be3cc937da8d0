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
        boolean revoked) {
    public AppVersionSpec {
        Objects.requireNonNull(image, "image");
        env = env == null ? Map.of() : Map.copyOf(env);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        healthCheck = healthCheck == null ? HealthCheckSpec.DEFAULT : healthCheck;
    }

    /** Copy with {@code revoked} set. */
    public AppVersionSpec withRevoked(boolean value) {
        return new AppVersionSpec(image, cpu, memory, desiredCount, containerPort, env, secrets, healthCheck, retention, value);
    }
}
