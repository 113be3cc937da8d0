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
 */
public record EngineConfig(int workers, Duration resyncPeriod, Duration shutdownGrace, Backoff backoff) {
    /** 4 workers, 60s resync, 20s grace, {@link Backoff#DEFAULT}. */
    public static final EngineConfig DEFAULT = new EngineConfig(
            4, Duration.ofSeconds(60), Duration.ofSeconds(20), Backoff.DEFAULT);

    public EngineConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        requirePositive(resyncPeriod, "resyncPeriod");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(backoff, "backoff");
    }

    public EngineConfig withWorkers(int v) {
        return new EngineConfig(v, resyncPeriod, shutdownGrace, backoff);
    }

    public EngineConfig withResyncPeriod(Duration v) {
        return new EngineConfig(workers, v, shutdownGrace, backoff);
    }

    public EngineConfig withShutdownGrace(Duration v) {
        return new EngineConfig(workers, resyncPeriod, v, backoff);
    }

    public EngineConfig withBackoff(Backoff v) {
        return new EngineConfig(workers, resyncPeriod, shutdownGrace, v);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
