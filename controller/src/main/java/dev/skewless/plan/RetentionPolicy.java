package dev.skewless.plan;

import dev.skewless.model.RetentionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a superseded version's retention ends.
 *
 * <p>The window is {@code supersededAt + (per-version override or the App default)}, clamped to
 * the App's {@code [min, max]}. With idle expiry on, a version that has seen no request for
 * {@code idleExpiry} ends early, but never before {@code supersededAt + min}; nothing outlives
 * {@code supersededAt + max}.
 */
public final class RetentionPolicy {
    private RetentionPolicy() {}

    /** Reason recorded when the retention window ran out. */
    public static final String REASON_RETENTION = "Retention";
    /** Reason recorded when the version expired early for lack of traffic. */
    public static final String REASON_IDLE = "Idle";

    /**
     * The verdict for one version at {@code now}.
     *
     * @param expiresAt when the version expires (or expired): the window's end, or the idle expiry
     *                  once it happened
     * @param expired   whether it has expired
     * @param reason    {@link #REASON_RETENTION} or {@link #REASON_IDLE} when expired
     * @param nextCheck when the verdict could next change (window end or projected idle expiry)
     */
    public record Verdict(Instant expiresAt, boolean expired, String reason, Instant nextCheck) {}

    /**
     * @param spec          the App's retention
     * @param override      the version's own window, or null
     * @param supersededAt  when the version was superseded
     * @param lastRequestAt when it last saw a request (or since when it has seen none); empty when
     *                      traffic is unknown, which disables idle expiry
     * @param now           the clock
     */
    public static Verdict evaluate(
            RetentionSpec spec, Duration override, Instant supersededAt, Optional<Instant> lastRequestAt, Instant now) {
        Instant windowEnd = supersededAt.plus(spec.windowFor(override));
        if (!now.isBefore(windowEnd)) {
            return new Verdict(windowEnd, true, REASON_RETENTION, windowEnd);
        }
        if (spec.idleExpiry() != null && lastRequestAt.isPresent()) {
            Instant earliest = supersededAt.plus(spec.min());
            Instant idleEnd = lastRequestAt.get().plus(spec.idleExpiry());
            Instant idleAt = idleEnd.isAfter(earliest) ? idleEnd : earliest;
            if (idleAt.isBefore(windowEnd)) {
                if (!now.isBefore(idleAt)) {
                    return new Verdict(idleAt, true, REASON_IDLE, idleAt);
                }
                return new Verdict(windowEnd, false, null, idleAt);
            }
        }
        return new Verdict(windowEnd, false, null, windowEnd);
    }
}
