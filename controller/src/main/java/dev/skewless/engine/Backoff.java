package dev.skewless.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Per-key exponential backoff: the n-th consecutive failure (counting from 0) waits
 * {@code min(cap, base * 2^n)}, spread by {@link Jitter} so that many keys failing together (an
 * AWS throttle) do not retry in lockstep.
 *
 * @param base   delay before jitter after the first failure
 * @param cap    longest delay before jitter
 * @param jitter how the delay is randomised
 */
public record Backoff(Duration base, Duration cap, Jitter jitter) {
    /** 1s doubling up to 5 minutes, full jitter. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), Jitter.FULL);

    /** How a delay {@code d} is randomised. */
    public enum Jitter {
        /** Exactly {@code d} (for deterministic tests). */
        NONE,
        /** Uniform in {@code [0, d]}: spreads retries best (AWS's recommendation). */
        FULL,
        /** Uniform in {@code [d/2, d]}: spreads retries but never retries at once. */
        EQUAL
    }

    public Backoff {
        Objects.requireNonNull(jitter, "jitter");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base " + base + ", cap " + cap);
        }
    }

    /** The delay before jitter after {@code failures} earlier consecutive failures. */
    public Duration ceiling(int failures) {
        long baseNanos = base.toNanos();
        // base <= cap >> n guarantees base << n <= cap, so the shift cannot overflow.
        if (failures >= Long.SIZE - 1 || baseNanos > (cap.toNanos() >> failures)) {
            return cap;
        }
        return Duration.ofNanos(baseNanos << failures);
    }

    /** The jittered delay after {@code failures} earlier consecutive failures. */
    public Duration delay(int failures, RandomGenerator random) {
        long ceiling = ceiling(failures).toNanos();
        return switch (jitter) {
            case NONE -> Duration.ofNanos(ceiling);
            case FULL -> Duration.ofNanos(random.nextLong(ceiling + 1));
            case EQUAL -> Duration.ofNanos(ceiling / 2 + random.nextLong(ceiling - ceiling / 2 + 1));
        };
    }
}
