package dev.skewless.model.validation;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether App and AppVersion records may be applied. Pure: it does no I/O; the caller
 * passes in what is stored.
 *
 * <p>Two levels:
 * <ul>
 *   <li>per record ({@link #checkApp}, {@link #checkVersion}): names and ids, Fargate sizes,
 *       ports, durations, ARNs, carriers, ALB per-rule quotas, priority range size;</li>
 *   <li>across records ({@link #validate}): a version's App exists, version ids of one App are
 *       unique ignoring case, retention overrides fit their App's bounds, priority ranges of Apps
 *       sharing a listener do not overlap, duplicates within one apply.</li>
 * </ul>
 * Every violation is reported with its path; nothing stops at the first. Shape problems (unknown
 * fields, wrong types, missing fields, apiVersion and kind) cannot reach a record and are reported
 * by {@link dev.skewless.model.manifest.ManifestReader} instead.
 */
public final class RecordValidator {
    /**
     * Longest App name: App names go into target group names of at most 32 characters. Equal to
     * {@code dev.skewless.plan.ResourceNames.APP_NAME_MAX} (model cannot depend on plan).
     */
    public static final int APP_NAME_MAX = MetadataRules.APP_NAME_MAX;

    private RecordValidator() {}

    /** Problems of one App on its own; paths are relative ({@code spec.router.priorities}). */
    public static List<Problem> checkApp(App app) {
        return AppRules.check(app);
    }

    /** Problems of one AppVersion on its own; paths are relative ({@code spec.cpu}). */
    public static List<Problem> checkVersion(AppVersion version) {
        return VersionRules.check(version);
    }

    /** Problems of one labelled record on its own, reported under its label. */
    public static List<Problem> check(Subject subject) {
        List<Problem> relative = switch (subject) {
            case Subject.OfApp a -> checkApp(a.app());
            case Subject.OfVersion v -> checkVersion(v.version());
        };
        return relative.stream().map(p -> p.under(subject.label())).toList();
    }

    /**
     * Every problem of the records being applied: each record on its own, then against the
     * others and against what is stored. Grouped by record, in the order of {@code applying}.
     *
     * @param applying       the records to apply, labelled (e.g. by manifest document)
     * @param storedApps     all Apps already stored
     * @param storedVersions the stored versions of (at least) the Apps being applied and of the
     *                       Apps the applied versions belong to
     */
    public static List<Problem> validate(List<Subject> applying, List<App> storedApps, List<AppVersion> storedVersions) {
        return validate(applying, storedApps, storedVersions, MissingApps.REFUSED);
    }

    /**
     * Same as {@link #validate(List, List, List)}, saying what a version whose App is missing means.
     *
     * @param missingApps {@link MissingApps#REFUSED} for {@code apply}, {@link MissingApps#AWAITED}
     *                    for the admission webhook
     */
    public static List<Problem> validate(List<Subject> applying, List<App> storedApps, List<AppVersion> storedVersions, MissingApps missingApps) {
        Map<Subject, List<Problem>> cross = CrossRecordRules.check(applying, storedApps, storedVersions, missingApps);
        List<Problem> out = new ArrayList<>();
        for (Subject s : applying) {
            out.addAll(check(s));
            for (Problem p : cross.getOrDefault(s, List.of())) {
                out.add(p.under(s.label()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Same as {@link #validate}, throwing instead of returning.
     *
     * @throws ValidationException listing every problem
     */
    public static void requireValid(List<Subject> applying, List<App> storedApps, List<AppVersion> storedVersions) {
        ValidationException.throwIfAny(validate(applying, storedApps, storedVersions));
    }
}
