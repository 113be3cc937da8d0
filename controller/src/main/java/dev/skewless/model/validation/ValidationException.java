package dev.skewless.model.validation;

import java.util.List;

/**
 * Manifests or records that must not be applied. Carries every problem found, not just the
 * first: the message lists them one per line, so a release manager can fix them all in one go.
 */
public class ValidationException extends RuntimeException {
    private final transient List<Problem> problems;

    /**
     * @param problems at least one problem
     */
    public ValidationException(List<Problem> problems) {
        this(problems.size() == 1 ? "1 problem" : problems.size() + " problems", problems);
    }

    /**
     * @param headline first line of the message, e.g. {@code 3 problems; nothing was applied}
     * @param problems at least one problem
     */
    public ValidationException(String headline, List<Problem> problems) {
        super(render(headline, problems));
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

    private static String render(String headline, List<Problem> problems) {
        StringBuilder out = new StringBuilder(headline).append(':');
        for (Problem p : problems) {
            out.append("\n  ").append(p);
        }
        return out.toString();
    }
}
