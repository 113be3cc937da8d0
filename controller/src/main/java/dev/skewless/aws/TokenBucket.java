package dev.skewless.aws;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A classic token bucket: {@code ratePerSecond} tokens refill continuously up to {@code burst};
 * {@link #acquire()} takes one, waiting as long as it takes.
 *
 * <p>It waits with {@link Thread#sleep} outside any monitor and guards its state with a
 * {@link ReentrantLock}, so virtual threads waiting for a token unmount instead of pinning their
 * carrier.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long refilledAt;

    /**
     * @param ratePerSecond tokens added per second (&gt; 0)
     * @param burst         most tokens held at once (&gt;= 1); the bucket starts full
     */
    public TokenBucket(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1, got " + ratePerSecond + "/" + burst);
        }
        this.ratePerNano = ratePerSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token, sleeping until one is available. Returns how long it waited. */
    public Duration acquire() {
        long waited = 0;
        while (true) {
            long waitNanos = tryTake();
            if (waitNanos == 0) {
                return Duration.ofNanos(waited);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an AWS call token", e);
            }
            waited += waitNanos;
        }
    }

    /** Takes a token if there is one (returns 0), else returns the nanoseconds until there will be. */
    long tryTake() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano));
        } finally {
            lock.unlock();
        }
    }
}
