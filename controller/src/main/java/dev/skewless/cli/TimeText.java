package dev.skewless.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as people read them in a table: {@code 45s}, {@code 12m}, {@code 5h}, {@code 3d}, {@code in 23h}. */
final class TimeText {
    private TimeText() {}

    /** How long ago {@code t} was, e.g. {@code 5m}; {@code -} when unknown. */
    static String age(Instant t, Instant now) {
        if (t == null) {
            return "-";
        }
        return span(Duration.between(t, now));
    }

    /** {@code in 23h} for a future time, {@code 5m ago} for a past one, {@code -} when unknown. */
    static String relative(Instant t, Instant now) {
        if (t == null) {
            return "-";
        }
        Duration d = Duration.between(now, t);
        return d.isNegative() ? span(d.negated()) + " ago" : "in " + span(d);
    }

    /** An instant to the second with its age: {@code 2025-01-01T00:00:00Z (5m ago)}. */
    static String stamp(Instant t, Instant now) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS) + " (" + relative(t, now) + ")";
    }

    /**
     * A duration people read at a glance without being misled by truncation: seconds under 2
     * minutes, minutes and seconds under 10 minutes ({@code 2m59s}, not {@code 2m}), minutes under
     * 2 hours, hours and minutes under 2 days ({@code 5h14m}), then days and hours.
     */
    static String span(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (s < 2 * 3600) {
            return s / 60 + "m";
        }
        if (s < 2 * 86400) {
            long m = s % 3600 / 60;
            return s / 3600 + "h" + (m == 0 ? "" : m + "m");
        }
        long h = s % 86400 / 3600;
        return s / 86400 + "d" + (h == 0 ? "" : h + "h");
    }
}
