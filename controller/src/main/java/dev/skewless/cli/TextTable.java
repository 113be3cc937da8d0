package dev.skewless.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Columns aligned with spaces, kubectl style: an upper-case header, three spaces between columns,
 * no trailing spaces (so golden files and {@code grep}/{@code awk} pipelines stay stable).
 */
final class TextTable {
    private static final String GAP = "   ";
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.size());
        }
        rows.add(Arrays.stream(cells).map(c -> c == null || c.isEmpty() ? "-" : c).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        rows.forEach(r -> line(out, r, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            l.append(cells.get(i));
            if (i < cells.size() - 1) {
                l.append(" ".repeat(widths[i] - cells.get(i).length())).append(GAP);
            }
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }
}
