package dev.skewless.infra.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} file, matched as BuildKit matches them (moby's
 * patternmatcher): patterns are cleaned and relative to the context root, {@code *} and
 * {@code ?} stay within one path segment, {@code **} spans any number of segments, a
 * {@code !} line re-includes, the last matching line wins, and a pattern that matches a
 * directory matches everything under it.
 */
public final class DockerIgnore {
    /** No rules: the whole context is sent. */
    public static final DockerIgnore NONE = new DockerIgnore(List.of());

    private record Rule(String text, Pattern pattern, boolean exclusion) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The ignore file BuildKit uses for {@code dockerfile} built with context {@code context}: the
     * Dockerfile's own {@code <name>.dockerignore} beside it if there is one, else the context's
     * {@code .dockerignore}, else none.
     */
    public static Path fileFor(Path dockerfile, Path context) {
        Path own = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
        if (Files.isRegularFile(own)) {
            return own;
        }
        Path shared = context.resolve(".dockerignore");
        return Files.isRegularFile(shared) ? shared : null;
    }

    public static DockerIgnore read(Path file) {
        if (file == null) {
            return NONE;
        }
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DockerIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclusion = line.startsWith("!");
            String p = clean(exclusion ? line.substring(1).strip() : line);
            if (p.equals(".")) {
                continue;
            }
            rules.add(new Rule(line, Pattern.compile(regex(p)), exclusion));
        }
        return new DockerIgnore(rules);
    }

    /** Whether {@code path} (relative to the context, '/'-separated) is left out of the context. */
    public boolean excludes(String path) {
        List<String> parents = new ArrayList<>();
        String[] segments = path.split("/");
        for (int k = 1; k < segments.length; k++) {
            parents.add(String.join("/", List.of(segments).subList(0, k)));
        }
        boolean excluded = false;
        for (Rule r : rules) {
            // An exclusion only matters for an excluded path, a rule only for a kept one.
            if (r.exclusion() != excluded) {
                continue;
            }
            boolean match = r.pattern().matcher(path).matches()
                    || parents.stream().anyMatch(parent -> r.pattern().matcher(parent).matches());
            if (match) {
                excluded = !r.exclusion();
            }
        }
        return excluded;
    }

    /** Like Go's filepath.Clean for relative patterns; a leading '/' means the context root. */
    private static String clean(String p) {
        List<String> out = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..") && !out.isEmpty() && !out.getLast().equals("..")) {
                out.removeLast();
            } else {
                out.add(s);
            }
        }
        return out.isEmpty() ? "." : String.join("/", out);
    }

    private static String regex(String p) {
        StringBuilder re = new StringBuilder("^");
        for (int k = 0; k < p.length(); k++) {
            char c = p.charAt(k);
            if (c == '*') {
                if (k + 1 < p.length() && p.charAt(k + 1) == '*') {
                    k++;
                    if (k + 1 < p.length() && p.charAt(k + 1) == '/') {
                        k++;
                    }
                    re.append(k + 1 == p.length() ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = p.indexOf(']', k + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated character class in .dockerignore pattern " + p);
                }
                String cls = p.substring(k + 1, end);
                re.append('[').append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
                k = end;
            } else if (c == '\\' && k + 1 < p.length()) {
                re.append(Pattern.quote(String.valueOf(p.charAt(++k))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.append('$').toString();
    }
}
