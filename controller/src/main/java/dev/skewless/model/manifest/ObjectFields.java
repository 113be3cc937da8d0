package dev.skewless.model.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.DurationText;
import dev.skewless.model.validation.FieldPaths;
import dev.skewless.model.validation.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One JSON/YAML object being bound to a record component by hand. Every accessor records which
 * fields it read; {@link #finish()} reports the rest as unknown. Wrong types and missing required
 * fields are reported with their path and a placeholder is returned, so binding always goes on
 * and every problem of the document is found in one pass.
 *
 * <p>An explicit {@code null} (in YAML, a key with nothing after it) counts as absent.
 */
final class ObjectFields {
    private final ObjectNode node;
    private final String path;
    private final List<Problem> problems;
    private final Set<String> read = new LinkedHashSet<>();

    private ObjectFields(ObjectNode node, String path, List<Problem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /**
     * Binds {@code node} at {@code path}. A node that is not an object is reported and treated as
     * an empty object whose fields are not reported again.
     */
    static ObjectFields of(JsonNode node, String path, List<Problem> problems) {
        if (node instanceof ObjectNode o) {
            return new ObjectFields(o, path, problems);
        }
        problems.add(new Problem(path, "expected a mapping of fields, found " + describe(node)));
        return new ObjectFields(null, path, problems);
    }

    /** Path of field {@code name} under this object. */
    String pathOf(String name) {
        return FieldPaths.child(path, name);
    }

    /** Whether this is a real mapping (not a placeholder for a missing or mistyped one). */
    boolean isObject() {
        return node != null;
    }

    /** Whether the field is present and not null. */
    boolean has(String name) {
        return node != null && node.hasNonNull(name);
    }

    /** The raw node of a field (marks it read); null when absent or null. */
    JsonNode raw(String name) {
        read.add(name);
        if (node == null) {
            return null;
        }
        JsonNode n = node.get(name);
        return n == null || n.isNull() ? null : n;
    }

    /** A nested object, or null when absent. */
    ObjectFields object(String name) {
        JsonNode n = raw(name);
        return n == null ? null : of(n, pathOf(name), problems);
    }

    /** A nested object that must be present; reports it and returns an empty one when absent. */
    ObjectFields requiredObject(String name, String hint) {
        JsonNode n = raw(name);
        if (n == null) {
            if (node != null) {
                missing(name, hint);
            }
            return new ObjectFields(null, pathOf(name), problems);
        }
        return of(n, pathOf(name), problems);
    }

    /** A list of mappings (e.g. conditions), or null when absent. */
    List<ObjectFields> objects(String name) {
        JsonNode n = raw(name);
        if (n == null) {
            return null;
        }
        String p = pathOf(name);
        if (!n.isArray()) {
            problems.add(new Problem(p, "expected a list, found " + describe(n)));
            return null;
        }
        List<ObjectFields> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(of(n.get(i), FieldPaths.index(p, i), problems));
        }
        return out;
    }

    /** A text field, or null when absent. */
    String string(String name) {
        JsonNode n = raw(name);
        return n == null ? null : text(n, pathOf(name));
    }

    /** A text field that must be present; {@code ""} after reporting when it is not. */
    String requiredString(String name, String hint) {
        JsonNode n = raw(name);
        if (n == null) {
            if (node != null) {
                missing(name, hint);
            }
            return "";
        }
        String s = text(n, pathOf(name));
        return s == null ? "" : s;
    }

    /** A whole number, or null when absent or not a whole number (reported). */
    Integer integer(String name) {
        JsonNode n = raw(name);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        problems.add(new Problem(pathOf(name), "expected a whole number, found " + describe(n)
                + (n.isTextual() ? "; remove the quotes" : "")));
        return null;
    }

    /** A whole number that must be present; 0 after reporting when it is not. */
    int requiredInt(String name, String hint) {
        if (!has(name)) {
            raw(name);
            if (node != null) {
                missing(name, hint);
            }
            return 0;
        }
        Integer v = integer(name);
        return v == null ? 0 : v;
    }

    /** A whole number with a default for when it is absent. */
    int integer(String name, int defaultValue) {
        Integer v = integer(name);
        return v == null ? defaultValue : v;
    }

    /** A 64-bit whole number with a default. */
    long longValue(String name, long defaultValue) {
        JsonNode n = raw(name);
        if (n == null) {
            return defaultValue;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        problems.add(new Problem(pathOf(name), "expected a whole number, found " + describe(n)));
        return defaultValue;
    }

    /** {@code true} or {@code false}, with a default for when it is absent. */
    boolean bool(String name, boolean defaultValue) {
        JsonNode n = raw(name);
        if (n == null) {
            return defaultValue;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        problems.add(new Problem(pathOf(name), "expected true or false, found " + describe(n)));
        return defaultValue;
    }

    /** A duration ({@link DurationText}), or null when absent or unreadable (reported). */
    Duration duration(String name) {
        JsonNode n = raw(name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            problems.add(new Problem(pathOf(name), "expected " + DurationText.EXPECTED + ", found " + describe(n)
                    + (n.isNumber() ? "; add a unit, e.g. " + n.asText() + "s" : "")));
            return null;
        }
        try {
            return DurationText.parse(n.textValue());
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(pathOf(name), e.getMessage()));
            return null;
        }
    }

    /** A point in time (ISO-8601, e.g. {@code 2026-11-25T10:15:30Z}), or null. */
    Instant instant(String name) {
        String s = string(name);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            problems.add(new Problem(pathOf(name), "'" + s + "' is not a UTC timestamp; expected e.g. 2026-11-25T10:15:30Z"));
            return null;
        }
    }

    /**
     * One of the constants of {@code type}, matched ignoring case against {@code spelling} of each;
     * null when absent or unknown (reported with the allowed spellings).
     */
    <E extends Enum<E>> E choice(String name, Class<E> type, Function<E, String> spelling) {
        String s = string(name);
        if (s == null) {
            return null;
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (spelling.apply(e).equalsIgnoreCase(s)) {
                return e;
            }
            allowed.add(spelling.apply(e));
        }
        problems.add(new Problem(pathOf(name), "'" + s + "' is not allowed; use one of " + String.join(", ", allowed)));
        return null;
    }

    /** A list of texts, or null when absent; wrong entries are reported and left out. */
    List<String> strings(String name) {
        JsonNode n = raw(name);
        if (n == null) {
            return null;
        }
        String p = pathOf(name);
        if (!n.isArray()) {
            problems.add(new Problem(p, "expected a list, found " + describe(n)
                    + (n.isTextual() ? "; write [" + n.textValue() + "] or a '- item' list" : "")));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (n.get(i).isNull()) {
                problems.add(new Problem(FieldPaths.index(p, i), "empty list entry; remove it or give a value"));
                continue;
            }
            String s = text(n.get(i), FieldPaths.index(p, i));
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** A list of whole numbers, or null when absent. */
    List<Integer> integers(String name) {
        JsonNode n = raw(name);
        if (n == null) {
            return null;
        }
        String p = pathOf(name);
        if (!n.isArray()) {
            problems.add(new Problem(p, "expected a list of whole numbers, found " + describe(n)));
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e.isIntegralNumber() && e.canConvertToInt()) {
                out.add(e.intValue());
            } else {
                problems.add(new Problem(FieldPaths.index(p, i), "expected a whole number, found " + describe(e)));
            }
        }
        return out;
    }

    /** A mapping of names to texts (env, labels, secrets), or null when absent. */
    Map<String, String> stringMap(String name) {
        JsonNode n = raw(name);
        if (n == null) {
            return null;
        }
        String p = pathOf(name);
        if (!n.isObject()) {
            problems.add(new Problem(p, "expected a mapping of names to text values, found " + describe(n)));
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String entryPath = FieldPaths.child(p, e.getKey());
            if (e.getValue().isNull()) {
                problems.add(new Problem(entryPath, "has no value; give one (\"\" for empty) or remove the entry"));
                continue;
            }
            String s = text(e.getValue(), entryPath);
            if (s != null) {
                out.put(e.getKey(), s);
            }
        }
        return out;
    }

    /** Reports every field that no accessor read, suggesting the nearest known name. */
    void finish() {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!read.contains(name)) {
                String near = nearest(name);
                problems.add(new Problem(pathOf(name), "unknown field"
                        + (near == null ? "; allowed here: " : "; did you mean '" + near + "'? Allowed here: ")
                        + String.join(", ", read)));
            }
        }
    }

    /** Reports a problem at a field of this object. */
    void problem(String name, String message) {
        problems.add(new Problem(pathOf(name), message));
    }

    private void missing(String name, String hint) {
        problems.add(new Problem(pathOf(name), "required field is missing" + (hint == null ? "" : "; " + hint)));
    }

    private String text(JsonNode n, String at) {
        if (n.isTextual()) {
            return n.textValue();
        }
        String hint = n.isNumber() || n.isBoolean()
                ? "; put it in quotes (unquoted, YAML reads it as a " + (n.isNumber() ? "number and may change it: 1.10 becomes 1.1)" : "boolean)")
                : "";
        problems.add(new Problem(at, "expected text, found " + describe(n) + hint));
        return null;
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "text '" + n.textValue() + "'";
            case NUMBER -> "the number " + n.asText();
            case BOOLEAN -> n.asText();
            case NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The read field name closest to {@code name} (typos, case), if close enough to be a likely typo. */
    private String nearest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : read) {
            int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(1, best.length() / 3) ? best : null;
    }

    /** Edit distance counting a swap of two neighbours as one edit (typos like nmae for name). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
