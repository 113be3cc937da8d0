package dev.skewless.platform.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link LocalComputePlatform}.
 *
 * @param workDir            working directory of every process (relative commands in
 *                           {@code App.spec.local.command} resolve against it)
 * @param logDir             stdout and stderr of each task go to
 *                           {@code <logDir>/<app>/<version>/task-<slot>.stdout.log} and {@code .stderr.log}
 * @param processLedger      file listing the processes started, so a run killed with {@code -9}
 *                           has its leftovers killed by the next one; null for none
 * @param probeInterval      how often tasks are health-checked (the version's own interval is
 *                           meant for ALB and is too slow for a laptop; its path, thresholds and
 *                           matcher are used)
 * @param probeTimeout       longest wait for a health answer (the version's timeout if shorter)
 * @param startGrace         how long a new task may take to become healthy before it counts as a
 *                           failed launch and is replaced
 * @param stopGrace          between SIGTERM and SIGKILL when stopping a task
 * @param restartBackoffMin  wait before relaunching after the first failure
 * @param restartBackoffMax  the wait doubles per consecutive failure up to this
 * @param maxFailedLaunches  launches of a new task definition that may fail before its rollout is
 *                           FAILED (as the ECS deployment circuit breaker does); no more launches
 *                           of it until the service gets a new one
 * @param shutdownHook       whether a JVM shutdown hook closes the platform (stopping every process)
 */
public record LocalPlatformConfig(
        Path workDir,
        Path logDir,
        Path processLedger,
        Duration probeInterval,
        Duration probeTimeout,
        Duration startGrace,
        Duration stopGrace,
        Duration restartBackoffMin,
        Duration restartBackoffMax,
        int maxFailedLaunches,
        boolean shutdownHook) {

    public LocalPlatformConfig {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(logDir, "logDir");
        positive(probeInterval, "probeInterval");
        positive(probeTimeout, "probeTimeout");
        positive(startGrace, "startGrace");
        positive(stopGrace, "stopGrace");
        positive(restartBackoffMin, "restartBackoffMin");
        positive(restartBackoffMax, "restartBackoffMax");
        if (restartBackoffMax.compareTo(restartBackoffMin) < 0) {
            throw new IllegalArgumentException("restartBackoffMax " + restartBackoffMax + " is below restartBackoffMin " + restartBackoffMin);
        }
        if (maxFailedLaunches < 1) {
            throw new IllegalArgumentException("maxFailedLaunches must be at least 1, got " + maxFailedLaunches);
        }
    }

    /**
     * Probes every 500ms (2s timeout), 60s to start, 5s to stop, restarts after 0.5s doubling to
     * 30s, 5 failed launches fail a rollout, ledger {@code <logDir>/processes.pid}, shutdown hook on.
     */
    public static LocalPlatformConfig defaults(Path workDir, Path logDir) {
        return new LocalPlatformConfig(workDir, logDir, logDir.resolve("processes.pid"), Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(30), 5, true);
    }

    public LocalPlatformConfig withProbeInterval(Duration v) {
        return new LocalPlatformConfig(workDir, logDir, processLedger, v, probeTimeout, startGrace, stopGrace, restartBackoffMin,
                restartBackoffMax, maxFailedLaunches, shutdownHook);
    }

    public LocalPlatformConfig withStartGrace(Duration v) {
        return new LocalPlatformConfig(workDir, logDir, processLedger, probeInterval, probeTimeout, v, stopGrace, restartBackoffMin,
                restartBackoffMax, maxFailedLaunches, shutdownHook);
    }

    public LocalPlatformConfig withRestartBackoff(Duration min, Duration max) {
        return new LocalPlatformConfig(workDir, logDir, processLedger, probeInterval, probeTimeout, startGrace, stopGrace, min, max,
                maxFailedLaunches, shutdownHook);
    }

    public LocalPlatformConfig withMaxFailedLaunches(int v) {
        return new LocalPlatformConfig(workDir, logDir, processLedger, probeInterval, probeTimeout, startGrace, stopGrace,
                restartBackoffMin, restartBackoffMax, v, shutdownHook);
    }

    public LocalPlatformConfig withShutdownHook(boolean v) {
        return new LocalPlatformConfig(workDir, logDir, processLedger, probeInterval, probeTimeout, startGrace, stopGrace,
                restartBackoffMin, restartBackoffMax, maxFailedLaunches, v);
    }

    /** The wait before relaunching after {@code failures} consecutive failures (1 = the first). */
    public Duration backoff(int failures) {
        Duration d = restartBackoffMin;
        for (int i = 1; i < failures && d.compareTo(restartBackoffMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(restartBackoffMax) > 0 ? restartBackoffMax : d;
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
