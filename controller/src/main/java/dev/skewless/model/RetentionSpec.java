package dev.skewless.model;

import java.time.Duration;

/**
 * How long a superseded version stays routable.
 *
 * @param defaultWindow window after a version is superseded (24h unless set)
 * @param min           lower bound for any window, and the earliest idle expiry
 * @param max           hard cap: no version outlives {@code supersededAt + max}
 * @param idleExpiry    expire early (after {@code min}) once the version saw no requests for this
 *                      long; null disables idle expiry
 * @param maxVersions   most versions holding resources at once (live, ready, superseded,
 *                      provisioning)
 */
public record RetentionSpec(
        Duration defaultWindow, Duration min, Duration max, Duration idleExpiry, int maxVersions) {
    /** Default window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /** Default minimum. */
    public static final Duration DEFAULT_MIN = Duration.ofMinutes(5);
    /** Default maximum. */
    public static final Duration DEFAULT_MAX = Duration.ofDays(7);
    /** Default cap on retained versions. */
    public static final int DEFAULT_MAX_VERSIONS = 10;
    /** All defaults. */
    public static final RetentionSpec DEFAULT =
            new RetentionSpec(DEFAULT_WINDOW, DEFAULT_MIN, DEFAULT_MAX, null, DEFAULT_MAX_VERSIONS);

    public RetentionSpec {
        defaultWindow = defaultWindow == null ? DEFAULT_WINDOW : defaultWindow;
        min = min == null ? DEFAULT_MIN : min;
        max = max == null ? DEFAULT_MAX : max;
        maxVersions = maxVersions <= 0 ? DEFAULT_MAX_VERSIONS : maxVersions;
    }

    /** The window for a version: its override (or the default) clamped to [min, max]. */
    public Duration windowFor(Duration override) {
        Duration w = override == null ? defaultWindow : override;
        if (w.compareTo(min) < 0) {
            return min;
        }
        return w.compareTo(max) > 0 ? max : w;
    }
}
