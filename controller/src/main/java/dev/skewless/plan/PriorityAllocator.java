package dev.skewless.plan;

import dev.skewless.model.PriorityRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Assigns listener rule priorities to an ordered list of rules, inside an App's range, around
 * priorities held by rules that are not ours.
 *
 * <p>Stable: rules that already sit in a consistent order (the longest increasing run of their
 * current priorities) keep their priority, and only the others are placed into the gaps between
 * them, spread out to leave room for later inserts. Only when a gap is too small is everything
 * re-spread evenly over the range. Freed slots are simply free again, so they are reused.
 */
public final class PriorityAllocator {
    private PriorityAllocator() {}

    /**
     * @param range    the App's priority range
     * @param occupied priorities held by foreign rules (never assigned)
     * @param current  for each desired rule in order, its current priority, or empty for a new rule
     * @return the priority of each desired rule, strictly increasing; empty if they do not fit
     */
    public static java.util.Optional<int[]> assign(PriorityRange range, NavigableSet<Integer> occupied, List<OptionalInt> current) {
        int n = current.size();
        TreeSet<Integer> free = new TreeSet<>();
        for (int p = range.from(); p <= range.to(); p++) {
            if (!occupied.contains(p)) {
                free.add(p);
            }
        }
        if (n > free.size()) {
            return java.util.Optional.empty();
        }
        int[] cur = new int[n];
        for (int i = 0; i < n; i++) {
            OptionalInt c = current.get(i);
            cur[i] = c.isPresent() && free.contains(c.getAsInt()) ? c.getAsInt() : -1;
        }
        boolean[] keep = longestIncreasing(cur);
        int[] out = new int[n];
        Arrays.fill(out, -1);
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[i] = cur[i];
            }
        }
        if (fillGaps(out, free, range)) {
            return java.util.Optional.of(out);
        }
        Arrays.fill(out, -1);
        fillGaps(out, free, range);
        return java.util.Optional.of(out);
    }

    /** Fills each run of unassigned entries with slots spread evenly between its anchors. */
    private static boolean fillGaps(int[] out, TreeSet<Integer> free, PriorityRange range) {
        int n = out.length;
        int i = 0;
        while (i < n) {
            if (out[i] != -1) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && out[j] == -1) {
                j++;
            }
            int lo = i == 0 ? range.from() - 1 : out[i - 1];
            int hi = j == n ? range.to() + 1 : out[j];
            List<Integer> slots = new ArrayList<>(free.subSet(lo, false, hi, false));
            int k = j - i;
            if (slots.size() < k) {
                return false;
            }
            for (int m = 0; m < k; m++) {
                // Evenly spaced picks, strictly increasing because slots.size() >= k.
                int idx = (int) ((long) (2 * m + 1) * slots.size() / (2L * k));
                out[i + m] = slots.get(idx);
            }
            i = j;
        }
        return true;
    }

    /** Marks a longest strictly increasing subsequence among the non-negative entries. */
    private static boolean[] longestIncreasing(int[] a) {
        int n = a.length;
        int[] len = new int[n];
        int[] prev = new int[n];
        int best = -1;
        for (int i = 0; i < n; i++) {
            prev[i] = -1;
            if (a[i] < 0) {
                continue;
            }
            len[i] = 1;
            for (int j = 0; j < i; j++) {
                if (a[j] >= 0 && a[j] < a[i] && len[j] + 1 > len[i]) {
                    len[i] = len[j] + 1;
                    prev[i] = j;
                }
            }
            if (best == -1 || len[i] > len[best]) {
                best = i;
            }
        }
        boolean[] keep = new boolean[n];
        for (int i = best; i >= 0; i = prev[i]) {
            keep[i] = true;
        }
        return keep;
    }
}
