package dev.skewless.testing;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Counts how often each value of one aspect of a property's examples came up, so the test can
 * assert afterwards that its generators reached every case it means to cover: a weakened
 * generator then fails the test instead of silently testing less.
 *
 * <pre>{@code
 * Coverage decisions = new Coverage("decision");
 * qt().withExamples(3000).forAll(cases()).checkAssert(c -> {
 *     decisions.collect(kindOf(c));
 *     ...
 * });
 * decisions.assertAtLeast(1.0, "forward", "410");
 * }</pre>
 *
 * Collect once per example, before the example's assertions. Only assert after the run has
 * passed: when a property fails, QuickTheories replays examples while shrinking, and those count
 * too. Not thread-safe (QuickTheories runs examples one at a time).
 */
public final class Coverage {
    private final String aspect;
    private final Map<String, Integer> counts = new TreeMap<>();
    private int total;

    /** @param aspect what is counted, for failure messages (e.g. {@code "decision"}) */
    public Coverage(String aspect) {
        this.aspect = aspect;
    }

    /** Counts one example as having {@code value}. */
    public void collect(String value) {
        counts.merge(value, 1, Integer::sum);
        total++;
    }

    /** Examples collected. */
    public int total() {
        return total;
    }

    /** Percentage (0..100) of the examples that had {@code value}; 0 before any example. */
    public double percentage(String value) {
        return total == 0 ? 0 : 100.0 * counts.getOrDefault(value, 0) / total;
    }

    /**
     * Fails unless each of {@code values} came up in at least {@code percent} percent of the examples
     * (and at least one example was collected).
     */
    public void assertAtLeast(double percent, String... values) {
        if (total == 0) {
            throw new AssertionError(aspect + ": no examples collected");
        }
        for (String value : values) {
            if (percentage(value) < percent) {
                throw new AssertionError(String.format(Locale.ROOT,
                        "%s \"%s\" came up in %.2f%% of the examples, less than the %.2f%% required; %s",
                        aspect, value, percentage(value), percent, this));
            }
        }
    }

    /** e.g. {@code decision (3000 examples): 410 12.03%, forward 51.40%, ...}. */
    @Override
    public String toString() {
        return counts.keySet().stream()
                .map(v -> String.format(Locale.ROOT, "%s %.2f%%", v, percentage(v)))
                .collect(Collectors.joining(", ", aspect + " (" + total + " examples): ", ""));
    }
}
