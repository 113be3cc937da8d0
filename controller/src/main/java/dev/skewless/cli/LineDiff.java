package dev.skewless.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two short texts (manifests of one record: tens of lines), for
 * {@code apply --dry-run}. Longest common subsequence by dynamic programming: quadratic, which
 * is nothing at this size, and exact (the smallest diff).
 */
final class LineDiff {
    private static final int CONTEXT = 3;

    private LineDiff() {}

    private record Op(char kind, String line, int oldLine, int newLine) {}

    /**
     * The diff of {@code before} to {@code after} with 3 lines of context, or an empty string when
     * they are equal.
     */
    static String unified(String beforeName, String before, String afterName, String after) {
        List<String> a = before.isEmpty() ? List.of() : before.lines().toList();
        List<String> b = after.isEmpty() ? List.of() : after.lines().toList();
        List<Op> ops = ops(a, b);
        if (ops.stream().allMatch(o -> o.kind == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(beforeName).append('\n').append("+++ ").append(afterName).append('\n');
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // Extend the hunk while changes are within 2*CONTEXT lines of each other.
            int j = i;
            while (j < ops.size()) {
                if (ops.get(j).kind != ' ') {
                    end = j;
                    j++;
                    continue;
                }
                int k = j;
                while (k < ops.size() && ops.get(k).kind == ' ') {
                    k++;
                }
                if (k < ops.size() && k - j <= 2 * CONTEXT) {
                    j = k;
                } else {
                    break;
                }
            }
            int stop = Math.min(ops.size(), end + 1 + CONTEXT);
            hunk(out, ops.subList(start, stop));
            i = stop;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Op> hunk) {
        int oldStart = 0;
        int newStart = 0;
        int oldCount = 0;
        int newCount = 0;
        for (Op o : hunk) {
            if (o.kind != '+') {
                if (oldCount == 0) {
                    oldStart = o.oldLine;
                }
                oldCount++;
            }
            if (o.kind != '-') {
                if (newCount == 0) {
                    newStart = o.newLine;
                }
                newCount++;
            }
        }
        if (oldCount == 0) {
            oldStart = hunk.getFirst().oldLine - 1;
        }
        if (newCount == 0) {
            newStart = hunk.getFirst().newLine - 1;
        }
        out.append("@@ -").append(range(oldStart, oldCount)).append(" +").append(range(newStart, newCount)).append(" @@\n");
        for (Op o : hunk) {
            out.append(o.kind).append(o.line).append('\n');
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    private static List<Op> ops(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // Removals before additions, as diff(1) prints a replaced line.
                ops.add(new Op('-', a.get(i), i + 1, j + 1));
                i++;
            } else {
                ops.add(new Op('+', b.get(j), i + 1, j + 1));
                j++;
            }
        }
        return ops;
    }
}
