package dev.skewless.store.dynamodb;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Settings of a {@link DynamoLeaderLease}.
 *
 * @param name         which lease (one per controller deployment sharing a table)
 * @param duration     how long an acquisition or renewal holds the lease
 * @param heartbeat    how often the holder renews (and a standby tries to acquire); a holder that
 *                     lost the lease notices within one heartbeat
 * @param safetyMargin how long before the lease's expiry the holder stops considering itself
 *                     leader: covers clock drift between replicas and the time a write spends
 *                     in flight
 */
public record LeaseConfig(String name, Duration duration, Duration heartbeat, Duration safetyMargin) {
    /** Defaults: a 15 s lease renewed every 5 s, given up locally 3 s early. */
    public static final LeaseConfig DEFAULT = new LeaseConfig("controller", Duration.ofSeconds(15), Duration.ofSeconds(5),
            Duration.ofSeconds(3));

    public LeaseConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        if (safetyMargin.isNegative() || safetyMargin.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("safety margin " + safetyMargin + " must be in [0, duration " + duration + ")");
        }
        // A heartbeat must land while the lease is still locally valid, or the holder flaps.
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(duration.minus(safetyMargin)) >= 0) {
            throw new IllegalArgumentException("heartbeat " + heartbeat + " must be shorter than duration minus safety margin ("
                    + duration.minus(safetyMargin) + ")");
        }
    }

    /** A holder id unique to this process: host, pid and a random suffix. */
    public static String defaultHolder() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        return runtime + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
