package dev.skewless.model;

import java.time.Duration;

/**
 * Target group health check for a version.
 *
 * @param path               HTTP path probed
 * @param interval           time between probes (5s..300s)
 * @param timeout            probe timeout (2s..120s, shorter than interval)
 * @param healthyThreshold   consecutive successes to become healthy (2..10)
 * @param unhealthyThreshold consecutive failures to become unhealthy (2..10)
 * @param matcher            HTTP codes counted as healthy, e.g. {@code 200} or {@code 200-299}
 */
public record HealthCheckSpec(
        String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold, String matcher) {
    /** {@code /health}, every 15s, 5s timeout, 2 up, 3 down, 200. */
    public static final HealthCheckSpec DEFAULT =
            new HealthCheckSpec("/health", Duration.ofSeconds(15), Duration.ofSeconds(5), 2, 3, "200");

    public HealthCheckSpec {
        path = path == null ? DEFAULT_PATH : path;
        interval = interval == null ? Duration.ofSeconds(15) : interval;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        healthyThreshold = healthyThreshold == 0 ? 2 : healthyThreshold;
        unhealthyThreshold = unhealthyThreshold == 0 ? 3 : unhealthyThreshold;
        matcher = matcher == null ? "200" : matcher;
    }

    private static final String DEFAULT_PATH = "/health";
}
