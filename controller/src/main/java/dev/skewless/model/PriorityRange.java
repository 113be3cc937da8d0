package dev.skewless.model;

/**
 * An inclusive range of ALB listener rule priorities owned by one App. ALB priorities run from 1
 * to 50000; two Apps on one listener must not overlap.
 */
public record PriorityRange(int from, int to) {
    /** Lowest priority ALB accepts. */
    public static final int MIN = 1;
    /** Highest priority ALB accepts. */
    public static final int MAX = 50_000;

    /** Number of priorities in the range (0 when inverted). */
    public int size() {
        return Math.max(0, to - from + 1);
    }

    /** Whether {@code priority} lies in the range. */
    public boolean contains(int priority) {
        return priority >= from && priority <= to;
    }

    /** Whether the two ranges share a priority. */
    public boolean overlaps(PriorityRange other) {
        return from <= other.to && other.from <= to;
    }

    @Override
    public String toString() {
        return from + ".." + to;
    }
}
