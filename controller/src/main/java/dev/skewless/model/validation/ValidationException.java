package dev.skewless.model.validation;

import java.util.List;

/**
 * Manifests or records that must not be applied. Carries every problem found, not just the
 * first: the message lists them one per line, so a release manager can fix them all in one go.
 */
public class ValidationException extends RuntimeException {
    private final transient List<Problem> problems;

    /** @param problems at least one problem */
    public ValidationException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order they were found (document by document). */
    public List<Problem> problems() {
        return problems;
    }

    /** Throws when {@code problems} is not empty. */
    public static void throwIfAny(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    private static String render(List<Problem> problems) {
        StringBuilder out = new StringBuilder();
        out.append(problems.size() == 1 ? "1 problem; nothing was applied:" : problems.size() + " problems; nothing was applied:");
        for (Problem p : problems) {
            out.append("\n  ").append(p);
        }
        return out.toString();
    }
}
