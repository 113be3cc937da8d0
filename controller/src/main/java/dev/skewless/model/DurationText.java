package dev.skewless.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way durations are written in records, manifests, messages and CLI output: a short form
 * such as {@code 500ms}, {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 24h} or {@code 7d}.
 * ISO-8601 ({@code PT24H}, {@code P7D}) is accepted on input too.
 *
 * <p>In the short form, units are written largest first, each at most once:
 * {@code d} (24 hours), {@code h}, {@code m}, {@code s}, {@code ms}.
 */
public final class DurationText {
    /** What the reader tells people when a duration does not parse. */
    public static final String EXPECTED = "a duration like 500ms, 90s, 30m, 1h30m, 24h or 7d (or ISO-8601 such as PT24H)";

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");
    private static final String[] UNIT_ORDER = {"d", "h", "m", "s", "ms"};
    private static final long MS_PER_DAY = Duration.ofDays(1).toMillis();

    private DurationText() {}

    /**
     * Parses the short form or ISO-8601.
     *
     * @throws IllegalArgumentException with a message saying what is allowed
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration; expected " + EXPECTED);
        }
        char first = Character.toUpperCase(t.charAt(0));
        if (first == 'P' || ((first == '-' || first == '+') && t.length() > 1 && Character.toUpperCase(t.charAt(1)) == 'P')) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid ISO-8601 duration; expected " + EXPECTED);
            }
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int pos = 0;
        int lastUnit = -1;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("'" + text + "' is not a duration; expected " + EXPECTED);
            }
            int unit = unitIndex(m.group(2));
            if (unit <= lastUnit) {
                throw new IllegalArgumentException("'" + text + "' repeats a unit or lists units out of order; write the largest unit first, e.g. 1h30m");
            }
            lastUnit = unit;
            try {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                });
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration");
            }
            pos = m.end();
        }
        return total;
    }

    /**
     * Writes the short form: whole days from two days up as {@code Nd} (so {@code 24h} stays
     * {@code 24h}), otherwise hours, minutes, seconds and milliseconds, zero parts left out.
     * Negative durations and sub-millisecond precision, which the short form cannot express, are
     * written in ISO-8601 so that {@link #parse} always reads back the same value.
     */
    public static String format(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        if (ms % MS_PER_DAY == 0 && ms / MS_PER_DAY >= 2) {
            return ms / MS_PER_DAY + "d";
        }
        StringBuilder out = new StringBuilder();
        append(out, ms / 3_600_000, "h");
        append(out, ms / 60_000 % 60, "m");
        append(out, ms / 1000 % 60, "s");
        append(out, ms % 1000, "ms");
        return out.toString();
    }

    private static void append(StringBuilder out, long n, String unit) {
        if (n != 0) {
            out.append(n).append(unit);
        }
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNIT_ORDER.length; i++) {
            if (UNIT_ORDER[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException(unit);
    }
}
