package dev.skewless.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that only moves when a test says so. Thread-safe. */
public final class TestingClock implements InstantSource {
    /** Where new clocks start: a fixed, readable instant. */
    public static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    public TestingClock() {
        this(START);
    }

    public TestingClock(Instant start) {
        now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock forward by {@code d} (not backwards) and returns the new time. */
    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards: " + d);
        }
        return now.updateAndGet(t -> t.plus(d));
    }

    /** Sets the clock to {@code t}, which must not be earlier than now. */
    public void set(Instant t) {
        now.updateAndGet(current -> {
            if (t.isBefore(current)) {
                throw new IllegalArgumentException("time does not go backwards: " + t + " < " + current);
            }
            return t;
        });
    }
}
