package dev.skewless.model.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a check runs; checks never stop at the first. */
final class Findings {
    private final List<Problem> problems = new ArrayList<>();

    void add(String path, String message) {
        problems.add(new Problem(path, message));
    }

    List<Problem> toList() {
        return List.copyOf(problems);
    }
}
