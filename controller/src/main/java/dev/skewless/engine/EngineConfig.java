package dev.skewless.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the reconcile engine.
 *
 * @param workers         passes running at once (each on its own virtual thread)
 * @param resyncPeriod    how often every App is enqueued regardless of events (level-triggered
 *                        repair of anything changed behind our back)
 * @param shutdownGrace   how long {@link ReconcileEngine#close()} lets in-flight passes finish
 *                        before interrupting them
 * @param backoff         per-App retry delays after failed passes
 * @param statusHeartbeat an unchanged status is rewritten (to refresh {@code lastReconcileTime})
 *                        only when the stored one is older than this, so a steady state does not
 *                        write on every pass
 */
public record EngineConfig(int workers, Duration resyncPeriod, Duration shutdownGrace, Backoff backoff,
        Duration statusHeartbeat) {
    /** 4 workers, 60s resync, 20s grace, {@link Backoff#DEFAULT}, 5 minute heartbeat. */
    public static final EngineConfig DEFAULT = new EngineConfig(
            4, Duration.ofSeconds(60), Duration.ofSeconds(20), Backoff.DEFAULT, Duration.ofMinutes(5));

    public EngineConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        requirePositive(resyncPeriod, "resyncPeriod");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(statusHeartbeat, "statusHeartbeat");
    }

    public EngineConfig withWorkers(int v) {
        return new EngineConfig(v, resyncPeriod, shutdownGrace, backoff, statusHeartbeat);
    }

    public EngineConfig withResyncPeriod(Duration v) {
        return new EngineConfig(workers, v, shutdownGrace, backoff, statusHeartbeat);
    }

    public EngineConfig withShutdownGrace(Duration v) {
        return new EngineConfig(workers, resyncPeriod, v, backoff, statusHeartbeat);
    }

    public EngineConfig withBackoff(Backoff v) {
        return new EngineConfig(workers, resyncPeriod, shutdownGrace, v, statusHeartbeat);
    }

    public EngineConfig withStatusHeartbeat(Duration v) {
        return new EngineConfig(workers, resyncPeriod, shutdownGrace, backoff, v);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
