package dev.skewless.model.manifest;

import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import java.util.List;
import java.util.Objects;

/**
 * One document of a manifest as read: its label, the record bound from it, and the problems the
 * reader found in it.
 *
 * @param label    {@code doc[1] (AppVersion shop/v2)}, prefixed with the source name when the
 *                 reader was given one; every problem of the document starts with it
 * @param subject  the bound record, or null when the document could not be bound at all (not a
 *                 mapping, unknown kind, unparsable text); a document with problems is usually
 *                 still bound, with placeholders where values were missing, so that the validator
 *                 can report the rest of it too
 * @param problems what the reader found wrong (unknown fields, wrong types, missing fields),
 *                 already labelled
 * @param warnings what the reader accepted but asks to change (the deprecated AppVersion shape of
 *                 decision 035), already labelled; never a reason to refuse the document
 */
public record Document(String label, Subject subject, List<Problem> problems, List<Problem> warnings) {
    public Document {
        Objects.requireNonNull(label, "label");
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** A document with no warnings. */
    public Document(String label, Subject subject, List<Problem> problems) {
        this(label, subject, problems, List.of());
    }

    /** Whether a record could be bound from the document. */
    public boolean bound() {
        return subject != null;
    }

    /**
     * The problems with this document's label taken off their paths ({@code spec.cpu} rather
     * than {@code doc[1] (AppVersion shop/v2): spec.cpu}; an empty path for the document as a
     * whole), for callers that name the record themselves: the Kubernetes store, the admission
     * webhook.
     */
    public List<Problem> fieldProblems() {
        return problems.stream().map(p -> {
            if (p.path().equals(label)) {
                return new Problem("", p.message());
            }
            return p.path().startsWith(label + ": ") ? new Problem(p.path().substring(label.length() + 2), p.message()) : p;
        }).toList();
    }
}
