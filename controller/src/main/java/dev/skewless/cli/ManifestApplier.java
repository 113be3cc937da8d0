package dev.skewless.cli;

import dev.skewless.aws.AwsReferenceCheck;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.VersionKey;
import dev.skewless.model.manifest.Document;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import dev.skewless.model.validation.ValidationException;
import dev.skewless.store.VersionStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code apply -f} use case: validates every document of the input, on its own and against
 * what is stored, <em>before</em> writing anything; then writes the Apps, then the AppVersions (so
 * a version never lands before its App), skipping records that would not change.
 *
 * <p>Only metadata (name, labels) and spec are applied; a {@code status} block in the input is
 * ignored, because status belongs to the controller. A non-zero {@code metadata.generation} (as
 * printed by {@code get -o yaml}) must match the stored one, so an edit made on a stale copy
 * does not silently undo someone else's change.
 *
 * <p>Writes are not one transaction: if the store fails half way, the records before the failure
 * are applied and applying the same input again finishes the job (apply is idempotent).
 */
public final class ManifestApplier {
    private final VersionStore store;

    public ManifestApplier(VersionStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** What applying did, or would do, to one record. */
    public enum Change {
        /** The record did not exist. */
        CREATED,
        /** Its spec or labels differ from what is stored. */
        CHANGED,
        /** Identical to what is stored; not written. */
        UNCHANGED;

        /** Lower case, as printed. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The outcome for one record.
     *
     * @param kind   {@code App} or {@code AppVersion}
     * @param name   {@code shop} or {@code shop/v2}
     * @param change created, changed or unchanged
     */
    public record Outcome(String kind, String name, Change change) {
        @Override
        public String toString() {
            return kind + " " + name + " " + change.word();
        }
    }

    /**
     * What an apply did.
     *
     * @param dryRun   whether nothing was written (the outcomes say what would have happened)
     * @param outcomes one per record, Apps first, then versions, in input order
     */
    public record Report(boolean dryRun, List<Outcome> outcomes) {
        public Report {
            outcomes = List.copyOf(outcomes);
        }

        /** One line per record, e.g. {@code AppVersion shop/v2 created (dry run)}. */
        public List<String> lines() {
            return outcomes.stream().map(o -> o + (dryRun ? " (dry run)" : "")).toList();
        }

        /** Whether anything was (or would be) written. */
        public boolean changedAnything() {
            return outcomes.stream().anyMatch(o -> o.change() != Change.UNCHANGED);
        }
    }

    /**
     * Validates and applies.
     *
     * @param input  documents from {@link dev.skewless.model.manifest.ManifestReader}
     * @param dryRun when true nothing is written; the report says what would change
     * @throws ValidationException listing every problem of every document; nothing is written
     */
    public Report apply(Manifests input, boolean dryRun) {
        return apply(input, dryRun, References.NONE);
    }

    /**
     * Checks what an App names in AWS (listener, cluster, subnets, security groups, roles;
     * decision 031). Problems refuse the apply with the rest; warnings (a reference that could not
     * be checked) are the implementation's to report.
     */
    @FunctionalInterface
    public interface References {
        /** Checks nothing: the store has no AWS account behind it, or {@code --no-verify}. */
        References NONE = app -> new AwsReferenceCheck.Result(List.of(), List.of());

        /** Every reference of {@code app} AWS says is missing or unusable, with its field path in the spec. */
        AwsReferenceCheck.Result check(App app);
    }

    /**
     * Validates, checks the references of every App whose document is otherwise valid, and applies.
     *
     * @param references the reference check; {@link References#NONE} for none
     * @throws ValidationException listing every problem of every document, references included;
     *                             nothing is written
     */
    public Report apply(Manifests input, boolean dryRun, References references) {
        List<Subject> subjects = input.subjects();
        List<App> storedApps = store.listApps();
        Map<String, App> appsByName = storedApps.stream().collect(Collectors.toMap(App::name, Function.identity()));
        List<AppVersion> storedVersions = storedVersionsOfInterest(subjects, appsByName.keySet());
        Map<VersionKey, AppVersion> versionsByKey = storedVersions.stream()
                .collect(Collectors.toMap(AppVersion::key, Function.identity()));

        List<Problem> problems = new ArrayList<>();
        for (Document doc : input.validated(storedApps, storedVersions).documents()) {
            List<Problem> local = new ArrayList<>(doc.problems());
            if (doc.bound()) {
                local.addAll(staleGeneration(doc.subject(), appsByName, versionsByKey));
            }
            problems.addAll(local);
            // AWS is asked only about a spec that is otherwise right: a malformed one says its problem already.
            if (local.isEmpty() && doc.bound() && doc.subject() instanceof Subject.OfApp a) {
                references.check(a.app()).problems().forEach(p -> problems.add(p.under(doc.label())));
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems.size() == 1 ? "1 problem; nothing was applied" : problems.size() + " problems; nothing was applied",
                    problems);
        }

        List<Outcome> outcomes = new ArrayList<>();
        List<Runnable> writes = new ArrayList<>();
        for (Subject s : subjects) {
            if (s instanceof Subject.OfApp a) {
                Change c = change(appsByName.get(a.app().name()), a.app());
                outcomes.add(new Outcome(s.kind(), s.displayName(), c));
                if (c != Change.UNCHANGED) {
                    writes.add(() -> store.applyApp(a.app()));
                }
            }
        }
        for (Subject s : subjects) {
            if (s instanceof Subject.OfVersion v) {
                Change c = change(versionsByKey.get(v.version().key()), v.version());
                outcomes.add(new Outcome(s.kind(), s.displayName(), c));
                if (c != Change.UNCHANGED) {
                    writes.add(() -> store.applyVersion(v.version()));
                }
            }
        }
        if (!dryRun) {
            writes.forEach(Runnable::run);
        }
        return new Report(dryRun, outcomes);
    }

    /** Stored versions of every App the input names, for the cross-record checks. */
    private List<AppVersion> storedVersionsOfInterest(List<Subject> subjects, Set<String> storedAppNames) {
        Set<String> apps = new LinkedHashSet<>();
        for (Subject s : subjects) {
            switch (s) {
                case Subject.OfApp a -> apps.add(a.app().name());
                case Subject.OfVersion v -> apps.add(v.version().app());
            }
        }
        List<AppVersion> out = new ArrayList<>();
        for (String app : apps) {
            if (storedAppNames.contains(app)) {
                out.addAll(store.listVersions(app));
            }
        }
        return out;
    }

    private static Change change(App stored, App applied) {
        if (stored == null) {
            return Change.CREATED;
        }
        return sameLabels(stored.metadata(), applied.metadata()) && stored.spec().equals(applied.spec()) ? Change.UNCHANGED : Change.CHANGED;
    }

    private static Change change(AppVersion stored, AppVersion applied) {
        if (stored == null) {
            return Change.CREATED;
        }
        return sameLabels(stored.metadata(), applied.metadata()) && stored.spec().equals(applied.spec()) ? Change.UNCHANGED : Change.CHANGED;
    }

    /** Apply writes labels and spec; name is the key and the rest of metadata belongs to the store. */
    private static boolean sameLabels(ObjectMeta stored, ObjectMeta applied) {
        return stored.labels().equals(applied.labels());
    }

    /**
     * A non-zero generation in the input is the generation the user fetched; if the stored record
     * moved on (or is gone) and the apply would change it, refuse rather than overwrite.
     */
    private static List<Problem> staleGeneration(Subject s, Map<String, App> apps, Map<VersionKey, AppVersion> versions) {
        ObjectMeta meta;
        ObjectMeta stored;
        boolean unchanged;
        switch (s) {
            case Subject.OfApp a -> {
                App current = apps.get(a.app().name());
                meta = a.app().metadata();
                stored = current == null ? null : current.metadata();
                unchanged = current != null && change(current, a.app()) == Change.UNCHANGED;
            }
            case Subject.OfVersion v -> {
                AppVersion current = versions.get(v.version().key());
                meta = v.version().metadata();
                stored = current == null ? null : current.metadata();
                unchanged = current != null && change(current, v.version()) == Change.UNCHANGED;
            }
        }
        if (meta.generation() == 0 || unchanged) {
            return List.of();
        }
        String path = s.label() + ": metadata.generation";
        if (stored == null) {
            return List.of(new Problem(path, "is " + meta.generation() + " but " + s.kind() + " " + s.displayName()
                    + " does not exist (any more); remove metadata.generation to create it"));
        }
        if (stored.generation() != meta.generation()) {
            return List.of(new Problem(path, "is " + meta.generation() + " but the stored " + s.kind() + " is at generation "
                    + stored.generation() + ": someone changed it after you fetched it. Fetch it again (get -o yaml) and redo your edit, "
                    + "or remove metadata.generation to overwrite their change"));
        }
        return List.of();
    }
}
