package dev.skewless.model.validation;

import java.util.regex.Pattern;

/**
 * How field paths are written in problems: {@code spec.router.priorities.from},
 * {@code spec.router.pathPatterns[1]}, {@code spec.env.API_URL}, and
 * {@code metadata.labels["skewless.dev/team"]} for keys that are not plain identifiers.
 */
public final class FieldPaths {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private FieldPaths() {}

    /** The path segment for map key or field {@code key}, with its leading separator. */
    public static String key(String key) {
        if (PLAIN.matcher(key).matches()) {
            return "." + key;
        }
        return "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** {@code parent.key} (or {@code key} when parent is empty), quoting the key when needed. */
    public static String child(String parent, String key) {
        String segment = key(key);
        if (parent.isEmpty()) {
            return segment.startsWith(".") ? segment.substring(1) : segment;
        }
        return parent + segment;
    }

    /** {@code parent[index]}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
