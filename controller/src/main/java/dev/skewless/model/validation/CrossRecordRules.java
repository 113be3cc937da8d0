package dev.skewless.model.validation;

import static dev.skewless.model.DurationText.format;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.VersionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks that need several records at once. Works on the <em>effective</em> set: what is stored,
 * overlaid with what is being applied. Problems are reported only against records being applied;
 * records already stored are context (an apply is not blocked by what it does not touch).
 */
final class CrossRecordRules {
    /** An App or version of the effective set, and the applied document it came from (null when stored). */
    private record Entry<T>(T record, Subject source) {
        String where() {
            return source == null ? "already stored" : "in " + source.label();
        }
    }

    private final Map<Subject, Findings> findings = new LinkedHashMap<>();
    private final List<Subject.OfApp> appliedApps = new ArrayList<>();
    private final List<Subject.OfVersion> appliedVersions = new ArrayList<>();
    private final Map<String, Entry<App>> apps = new LinkedHashMap<>();
    private final Map<VersionKey, Entry<AppVersion>> versions = new LinkedHashMap<>();
    private final MissingApps missingApps;

    private CrossRecordRules(List<Subject> applying, List<App> storedApps, List<AppVersion> storedVersions, MissingApps missingApps) {
        this.missingApps = missingApps;
        for (App a : storedApps) {
            apps.put(a.name(), new Entry<>(a, null));
        }
        for (AppVersion v : storedVersions) {
            versions.put(v.key(), new Entry<>(v, null));
        }
        Map<String, Subject> firstApp = new LinkedHashMap<>();
        Map<VersionKey, Subject> firstVersion = new LinkedHashMap<>();
        for (Subject s : applying) {
            findings.put(s, new Findings());
            switch (s) {
                case Subject.OfApp a -> {
                    Subject first = firstApp.putIfAbsent(a.app().name(), a);
                    if (first != null) {
                        duplicate(a, first);
                    } else {
                        appliedApps.add(a);
                        apps.put(a.app().name(), new Entry<>(a.app(), a));
                    }
                }
                case Subject.OfVersion v -> {
                    Subject first = firstVersion.putIfAbsent(v.version().key(), v);
                    if (first != null) {
                        duplicate(v, first);
                    } else {
                        appliedVersions.add(v);
                        versions.put(v.version().key(), new Entry<>(v.version(), v));
                    }
                }
            }
        }
    }

    /** Cross-record problems per applied record (paths relative to the record), in input order. */
    static Map<Subject, List<Problem>> check(List<Subject> applying, List<App> storedApps, List<AppVersion> storedVersions,
            MissingApps missingApps) {
        CrossRecordRules rules = new CrossRecordRules(applying, storedApps, storedVersions, missingApps);
        rules.appliedVersions.forEach(rules::checkVersion);
        rules.appliedApps.forEach(rules::checkApp);
        Map<Subject, List<Problem>> out = new LinkedHashMap<>();
        rules.findings.forEach((s, f) -> out.put(s, f.toList()));
        return out;
    }

    private void duplicate(Subject later, Subject first) {
        findings.get(later).add("metadata.name", later.kind() + " " + later.displayName() + " is also defined in " + first.label()
                + "; each record may appear only once per apply");
    }

    private void checkVersion(Subject.OfVersion s) {
        AppVersion v = s.version();
        Findings f = findings.get(s);
        for (Entry<AppVersion> other : versionsOf(v.app())) {
            String otherId = other.record().id();
            if (!otherId.equals(v.id()) && otherId.equalsIgnoreCase(v.id())) {
                f.add("metadata.name", "'" + v.id() + "' differs from version '" + otherId + "' (" + other.where()
                        + ") only in letter case; ALB compares pin values ignoring case, so the two could not be told apart. Choose another id");
            }
        }
        Entry<App> app = apps.get(v.app());
        if (app == null) {
            if (!Formats.matches(Formats.DNS_LABEL, v.app()) || missingApps == MissingApps.AWAITED) {
                return; // the name itself is already reported as invalid, or the App may come later
            }
            f.add("spec.app", "App '" + v.app() + "' does not exist; include its App document in this apply or apply it first");
            return;
        }
        RetentionSpec r = app.record().spec().retention();
        Duration override = v.spec().retention();
        if (override != null && override.isPositive() && r.min().compareTo(r.max()) <= 0
                && (override.compareTo(r.min()) < 0 || override.compareTo(r.max()) > 0)) {
            f.add("spec.retention", format(override) + " is outside the retention bounds of App " + v.app() + " (" + format(r.min()) + ".."
                    + format(r.max()) + "); pick a window in that range or change the App's spec.retention.min/max");
        }
        // When the App is applied too, a conflict is reported once, on the App (see checkApp).
        if (app.source() == null) {
            int retained = app.record().spec().platform().retainedDesiredCount();
            if (v.spec().desiredCount() >= 1 && v.spec().desiredCount() < retained) {
                f.add("spec.desiredCount", v.spec().desiredCount() + " is below App " + v.app() + "'s spec.platform.retainedDesiredCount ("
                        + retained + "); a superseded version would keep more tasks than it ever ran. Use at least " + retained);
            }
            if (!v.spec().secrets().isEmpty() && app.record().spec().platform().executionRoleArn() == null) {
                f.add("spec.secrets", "App " + v.app() + " has no spec.platform.executionRoleArn; ECS needs a task execution role to read secrets");
            }
        }
    }

    private void checkApp(Subject.OfApp s) {
        App a = s.app();
        Findings f = findings.get(s);
        PriorityRange mine = a.spec().router().priorities();
        String listener = a.spec().router().listenerArn();
        List<String> sharing = new ArrayList<>();
        String foreignOwner = null;
        for (Entry<App> other : apps.values()) {
            App b = other.record();
            if (b.name().equals(a.name()) || !b.spec().router().listenerArn().equals(listener)) {
                continue;
            }
            PriorityRange theirs = b.spec().router().priorities();
            if (mine.size() > 0 && theirs.size() > 0 && mine.overlaps(theirs)) {
                f.add("spec.router.priorities", "priorities " + mine + " overlap " + theirs + " of App " + b.name() + " (" + other.where()
                        + ") on the same listener; Apps sharing a listener need ranges that do not overlap");
            }
            shadowing(f, a, other);
            sharing.add(b.name() + " (" + other.where() + ")");
            if (b.spec().router().ownsListener() && foreignOwner == null) {
                foreignOwner = "App " + b.name() + " (" + other.where() + ")";
            }
        }
        if (a.spec().router().ownsListener() && !sharing.isEmpty()) {
            f.add("spec.router.ownsListener", "this App owns the whole listener (ownsListener: true), but "
                    + (sharing.size() == 1 ? "App " : "Apps ") + String.join(", ", sharing)
                    + " also route" + (sharing.size() == 1 ? "s" : "") + " on it; an App that owns a listener must be its only App");
        } else if (foreignOwner != null) {
            f.add("spec.router.ownsListener", foreignOwner + " owns the whole listener (ownsListener: true), so this App cannot route on it "
                    + "too; use another listener, or set ownsListener: false on the other App");
        }
        List<AppVersion> active = versionsOf(a.name()).stream().map(Entry::record)
                .filter(v -> v.status().phase() != Phase.Retired).toList();
        int retained = a.spec().platform().retainedDesiredCount();
        active.stream().filter(v -> v.spec().desiredCount() >= 1 && v.spec().desiredCount() < retained)
                .min(Comparator.comparingInt(v -> v.spec().desiredCount()))
                .ifPresent(smallest -> f.add("spec.platform.retainedDesiredCount", retained + " tasks per superseded version is more than version "
                        + smallest.id() + " runs (desiredCount " + smallest.spec().desiredCount() + "); use at most "
                        + smallest.spec().desiredCount()));
        if (a.spec().platform().executionRoleArn() == null) {
            String withSecrets = active.stream().filter(v -> !v.spec().secrets().isEmpty()).map(AppVersion::id)
                    .collect(Collectors.joining(", "));
            if (!withSecrets.isEmpty()) {
                f.add("spec.platform.executionRoleArn", "version(s) " + withSecrets + " read secrets; ECS needs a task execution role to fetch them");
            }
        }
    }

    /** Refuses an App that another App on its listener would shadow, or that would shadow another (decision 032). */
    private static void shadowing(Findings f, App a, Entry<App> other) {
        AppShadowing.between(a, other.record()).ifPresent(shadow -> {
            if (shadow.shadowed() == a) {
                for (String path : shadow.paths()) {
                    f.add(path, "would never receive a request: " + shadow.summary() + " (App " + other.record().name() + " "
                            + other.where() + "). Give this App a priority range below App " + other.record().name()
                            + "'s, or patterns the other App does not include");
                }
            } else {
                f.add("spec.router.priorities", "this App would shadow App " + other.record().name() + " (" + other.where() + "): "
                        + shadow.summary() + " (its " + String.join(", ", shadow.paths()) + "). Give this App a priority range above "
                        + other.record().spec().router().priorities() + ", or patterns that do not include the other App's");
            }
        });
    }

    private List<Entry<AppVersion>> versionsOf(String app) {
        return versions.values().stream().filter(e -> e.record().app().equals(app)).toList();
    }
}
