package dev.skewless.model.manifest;

import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything read from one or more manifest texts: the documents in order, each with its bound
 * record and its reader problems.
 *
 * @param documents in the order they appeared
 */
public record Manifests(List<Document> documents) {
    /** Nothing read. */
    public static final Manifests EMPTY = new Manifests(List.of());

    public Manifests {
        documents = List.copyOf(documents);
    }

    /** The records that could be bound, in document order. */
    public List<Subject> subjects() {
        return documents.stream().filter(Document::bound).map(Document::subject).toList();
    }

    /** Every problem the reader found, in document order. */
    public List<Problem> problems() {
        return documents.stream().flatMap(d -> d.problems().stream()).toList();
    }

    /** Every warning the reader gave (deprecated shapes), in document order. */
    public List<Problem> warnings() {
        return documents.stream().flatMap(d -> d.warnings().stream()).toList();
    }

    /** Whether the reader found no problem. */
    public boolean clean() {
        return documents.stream().allMatch(d -> d.problems().isEmpty());
    }

    /** These documents followed by {@code other}'s (e.g. one per {@code -f} file). */
    public Manifests plus(Manifests other) {
        List<Document> all = new ArrayList<>(documents);
        all.addAll(other.documents);
        return new Manifests(all);
    }
}
