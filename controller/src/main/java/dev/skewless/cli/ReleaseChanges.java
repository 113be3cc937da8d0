package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.Phase;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.manifest.Document;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Subject;
import dev.skewless.model.validation.ValidationException;
import dev.skewless.store.VersionStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What promote, rollback and revoke write: the App's {@code spec.release} or a version's
 * {@code spec.revoked}, through the same validate-then-write path as {@code apply}. The records
 * carry the generation they were read at, so a change someone made in between is refused
 * instead of overwritten. The controller does the rest (scaling, rules, draining).
 */
final class ReleaseChanges {
    private ReleaseChanges() {}

    /** Whether {@code v} serves unpinned traffic now, or is the one the App asks to. */
    static boolean isLive(AppVersion v, App app) {
        return v.id().equals(app.status().liveVersion()) || v.id().equals(app.spec().release().live());
    }

    /**
     * Makes {@code v} the App's live version ({@code spec.release.live}), after checking it can
     * serve. Clears a canary that names it (it would be live and canary at once).
     *
     * @param verb {@code promote} or {@code rollback}, for messages
     * @return exit code
     */
    static int promote(VersionStore store, App app, AppVersion v, boolean dryRun, PrintWriter out, String verb) {
        requirePromotable(app, v);
        ReleaseSpec release = app.spec().release();
        ReleaseSpec.Canary canary = release.canary();
        boolean clearsCanary = canary != null && v.id().equals(canary.version());
        if (v.id().equals(release.live()) && !clearsCanary) {
            String now = app.status().liveVersion();
            out.println("App " + app.name() + " unchanged: release.live is already " + v.id() + ".");
            out.println(v.id().equals(now) ? v.key() + " is " + v.status().phase() + " and serves unpinned traffic."
                    : "The controller is switching to it; unpinned traffic still goes to " + (now == null ? "nothing" : now) + ". Watch: skewless wait "
                            + app.name() + " " + v.id() + " --for phase=Live");
            out.flush();
            return ExitCode.OK;
        }
        ReleaseSpec next = new ReleaseSpec(v.id(), clearsCanary ? null : canary);
        AppSpec s = app.spec();
        App changed = new App(app.metadata(), new AppSpec(s.platform(), s.router(), s.routing(), s.retention(), next, s.local()), null);
        write(store, verb, List.of(changed), List.of(), dryRun);

        String from = release.followsLatest() ? "latest" + (app.status().liveVersion() == null ? "" : " (serving " + app.status().liveVersion() + ")")
                : release.live();
        out.println("App " + app.name() + " configured" + (dryRun ? " (dry run)" : "") + ": release.live " + from + " -> " + v.id()
                + (clearsCanary ? "; canary " + v.id() + " removed (it is the live version now)" : ""));
        if (dryRun) {
            out.println("Dry run: nothing was written.");
            out.flush();
            return ExitCode.OK;
        }
        String serving = app.status().liveVersion();
        switch (v.status().phase()) {
            case Ready -> out.println(v.id() + " is Ready at full size: the controller switches unpinned traffic to it on its next pass"
                    + (serving == null ? "." : "; " + serving + " stays live until then and is kept for pinned clients afterwards."));
            case Superseded -> out.println(v.status().runningCount() >= v.spec().desiredCount()
                    ? v.id() + " is Superseded and runs all " + v.spec().desiredCount() + " of its tasks: the controller switches unpinned traffic to it on its next pass"
                            + (serving == null ? "." : "; " + serving + " stays live until then and is kept for pinned clients afterwards.")
                    : v.id() + " is Superseded and runs " + v.status().runningCount() + " of " + v.spec().desiredCount()
                            + " tasks: the controller scales it back up first, then switches unpinned traffic to it"
                            + (serving == null ? "." : "; " + serving + " stays live until then."));
            case Live -> out.println(v.id() + " already serves unpinned traffic; release.live now names it explicitly.");
            default -> { }
        }
        if (release.followsLatest()) {
            out.println("release.live was 'latest'; it is now pinned to " + v.id() + ", so newer versions no longer go live by themselves."
                    + " To follow the newest again, set spec.release.live: latest in the App manifest and apply it.");
        }
        out.println("Watch: skewless wait " + app.name() + " " + v.id() + " --for phase=Live --timeout 5m");
        out.flush();
        return ExitCode.OK;
    }

    /** Refuses a version that cannot serve unpinned traffic, saying what would make it possible. */
    static void requirePromotable(App app, AppVersion v) {
        String a = app.name();
        String id = v.id();
        String msg = v.status().message().isEmpty() ? "" : " (" + v.status().message() + ")";
        if (v.spec().revoked()) {
            throw CliFailure.failed(v.key() + " is revoked (phase " + v.status().phase() + "): a revoked version never serves again. Nothing was changed.",
                    "To run that release again, apply its manifest under a new version id, then promote that.");
        }
        switch (v.status().phase()) {
            case Ready, Live, Superseded -> { }
            case Pending, Provisioning -> throw CliFailure.failed(v.key() + " is " + v.status().phase() + msg
                    + ". Only a Ready, Live or Superseded version can be promoted: unpinned traffic must only go to healthy tasks. Nothing was changed.",
                    "Wait for it:   skewless wait " + a + " " + id + " --for phase=Ready --timeout 10m",
                    "then again:    skewless promote " + a + " " + id);
            case Failed -> throw CliFailure.failed(v.key() + " Failed" + msg + ". It cannot serve traffic. Nothing was changed.",
                    "See why:       skewless describe " + a + " " + id,
                    "Fix its spec and apply it again (Failed ends when the spec changes), or promote another version.");
            case Draining, Retired -> throw CliFailure.failed(v.key() + " is " + v.status().phase()
                    + (v.status().expiryReason() == null ? "" : " (" + v.status().expiryReason() + ")")
                    + (v.status().phase() == Phase.Draining
                            ? ": its rules are gone and its tasks are being deleted; it cannot come back. Nothing was changed."
                            : ": its rules, tasks and target group are deleted; it cannot come back. Nothing was changed."),
                    "To run that release again, apply its manifest under a new version id, then promote that.",
                    "Retained versions you can promote: skewless get versions " + a);
        }
    }

    /** Validates and writes the records like apply does. */
    static ManifestApplier.Report write(VersionStore store, String verb, List<App> apps, List<AppVersion> versions, boolean dryRun) {
        List<Document> docs = new ArrayList<>();
        for (App a : apps) {
            String label = verb + " (App " + a.name() + ")";
            docs.add(new Document(label, new Subject.OfApp(label, a), List.of()));
        }
        for (AppVersion v : versions) {
            String label = verb + " (AppVersion " + v.key() + ")";
            docs.add(new Document(label, new Subject.OfVersion(label, v), List.of()));
        }
        try {
            return new ManifestApplier(store).apply(new Manifests(docs), dryRun);
        } catch (ValidationException e) {
            // The generation read a moment ago is stale: someone applied a change in between.
            var stale = e.problems().stream().filter(p -> p.path().endsWith(": metadata.generation")).findFirst();
            if (stale.isPresent()) {
                String path = stale.get().path();
                String record = path.substring(path.indexOf('(') + 1, path.lastIndexOf(')'));
                throw CliFailure.failed("Someone changed " + record + " while this command ran. Nothing was written.",
                        "Run the command again: it starts from the new state.");
            }
            throw e;
        }
    }
}
