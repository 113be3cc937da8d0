package dev.skewless.model.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One thing wrong with a manifest or record.
 *
 * @param path    where: a document label and a field path, e.g.
 *                {@code doc[1] (AppVersion shop/v2): spec.cpu}, or just {@code spec.cpu} when
 *                checking a single record
 * @param message what is wrong and what is allowed, for a person
 */
public record Problem(String path, String message) {
    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** This problem reported under a document label: {@code label: path}. */
    public Problem under(String label) {
        return new Problem(path.isEmpty() ? label : label + ": " + path, message);
    }

    /**
     * {@code first} followed by those of {@code then} whose path is not the same as, inside, or
     * an enclosing field of a path already reported in {@code first}. One mistake gets one
     * message: when the reader says {@code spec.image} is missing, the validator's "image must
     * not be empty" is dropped; when it says {@code spec.router.priorities.to} is missing, the
     * validator's complaint about the range {@code spec.router.priorities} is dropped too. What is
     * hidden this way shows up on the next run, once the first mistake is fixed.
     */
    public static List<Problem> combine(List<Problem> first, List<Problem> then) {
        List<Problem> out = new ArrayList<>(first);
        for (Problem p : then) {
            boolean shadowed = first.stream().anyMatch(f -> related(p.path, f.path));
            if (!shadowed) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    private static boolean related(String a, String b) {
        return a.equals(b) || inside(a, b) || inside(b, a);
    }

    private static boolean inside(String path, String parent) {
        return path.startsWith(parent + ".") || path.startsWith(parent + "[");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
