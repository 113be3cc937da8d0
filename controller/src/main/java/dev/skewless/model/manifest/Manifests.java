package dev.skewless.model.manifest;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.validation.MissingApps;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.RecordValidator;
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

    /**
     * These documents with every problem the {@link RecordValidator} finds added to each: the
     * record on its own, then against the other documents and against what is stored. A
     * validator problem at, inside or around a path the reader already reported is left out
     * ({@link Problem#combine}), so one mistake gets one message. This is what {@code apply}
     * refuses and what the admission webhook refuses: both call it, so they always agree.
     *
     * @param storedApps     all Apps already stored
     * @param storedVersions the stored versions of (at least) the Apps the documents name
     * @return the same documents in the same order, each with its complete list of problems
     */
    public Manifests validated(List<App> storedApps, List<AppVersion> storedVersions) {
        return validated(storedApps, storedVersions, MissingApps.REFUSED);
    }

    /**
     * Same as {@link #validated(List, List)}, saying what a version whose App is missing means
     * ({@link MissingApps#AWAITED} for the admission webhook, which sees one record at a time).
     */
    public Manifests validated(List<App> storedApps, List<AppVersion> storedVersions, MissingApps missingApps) {
        List<Problem> found = RecordValidator.validate(subjects(), storedApps, storedVersions, missingApps);
        List<Document> out = new ArrayList<>(documents.size());
        for (Document doc : documents) {
            List<Problem> mine = found.stream().filter(p -> belongsTo(p, doc.label())).toList();
            out.add(new Document(doc.label(), doc.subject(), Problem.combine(doc.problems(), mine)));
        }
        return new Manifests(out);
    }

    private static boolean belongsTo(Problem p, String label) {
        return p.path().equals(label) || p.path().startsWith(label + ": ");
    }
}
