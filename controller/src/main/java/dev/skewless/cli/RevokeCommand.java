package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.DurationText;
import dev.skewless.model.OnExpired;
import dev.skewless.model.Phase;
import dev.skewless.store.VersionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skewless revoke APP VERSION} and {@code skewless revoke APP --older-than VERSION}. */
@Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Take versions out of service now, whatever their retention.",
        description = {
            "Take versions out of service now, whatever their retention (spec.revoked: true). The controller removes their listener rules (pinned clients then get the App's onExpired answer: 410, or the live version), waits the deregistration delay, scales them to zero and deletes them.",
            "",
            "This cannot be undone: a revoked version never serves again (release it under a new version id instead). The live version is refused unless --force: promote or roll back first."
        },
        footer = {
            "",
            "Exit codes: 0 revoked (or nothing to revoke), 1 refused (live version without --force, unknown version), 2 usage.",
            "",
            "Examples:",
            "  skewless revoke shop v1",
            "  skewless revoke shop --older-than v5      # every version created before v5",
            "  skewless revoke shop --older-than v5 --dry-run"
        })
final class RevokeCommand extends StoreVerb {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The version to revoke.")
    String version;

    @Option(names = "--older-than", paramLabel = "VERSION", description = "Revoke every version created before this one (not itself).")
    String olderThan;

    @Option(names = "--force", description = "Also revoke the live version (unpinned traffic then falls back to the newest remaining routable version).")
    boolean force;

    @Option(names = "--dry-run", description = "Say what would be revoked; write nothing.")
    boolean dryRun;

    @Override
    int run(StoreConnection connection) {
        if ((version == null) == (olderThan == null)) {
            throw CliFailure.usage(version == null ? "Say which version to revoke: a VERSION, or --older-than VERSION."
                    : "Give either a VERSION or --older-than VERSION, not both.",
                    "skewless revoke " + app + " v1   |   skewless revoke " + app + " --older-than v5");
        }
        VersionStore store = connection.store();
        App a = requireApp(store, app);
        List<AppVersion> targets;
        if (version != null) {
            AppVersion v = requireVersion(store, app, version);
            if (v.spec().revoked()) {
                out().println("AppVersion " + v.key() + " unchanged: already revoked (phase " + RecordViews.phase(v, a) + ").");
                out().flush();
                return ExitCode.OK;
            }
            if (v.status().phase() == Phase.Retired) {
                out().println("AppVersion " + v.key() + " unchanged: it is Retired, its resources are already deleted.");
                out().flush();
                return ExitCode.OK;
            }
            targets = List.of(v);
        } else {
            AppVersion reference = requireVersion(store, app, olderThan);
            Instant before = reference.metadata().creationTimestamp();
            targets = store.listVersions(app).stream()
                    .filter(v -> v.metadata().creationTimestamp().isBefore(before))
                    .filter(v -> !v.spec().revoked() && v.status().phase() != Phase.Retired)
                    .toList();
            if (targets.isEmpty()) {
                out().println("Nothing to revoke: every version of " + app + " older than " + olderThan + " is already revoked or retired.");
                out().flush();
                return ExitCode.OK;
            }
        }
        List<AppVersion> live = targets.stream().filter(v -> ReleaseChanges.isLive(v, a)).toList();
        if (!live.isEmpty() && !force) {
            AppVersion l = live.getFirst();
            throw CliFailure.failed(l.key() + " is live (" + RecordViews.phase(l, a) + "): revoking it would take unpinned traffic away from it and its pinned "
                    + "clients would get " + expiredAnswer(a) + ". Nothing was revoked.",
                    "Make another version live first: skewless rollback " + app + "   or   skewless promote " + app + " VERSION",
                    "Or, if you really mean it: add --force");
        }
        List<AppVersion> revoked = new ArrayList<>();
        for (AppVersion v : targets) {
            // Only the spec changes; the generation read above guards against a concurrent edit.
            revoked.add(new AppVersion(v.metadata(), v.spec().withRevoked(true), null));
        }
        ReleaseChanges.write(store, "revoke", List.of(), revoked, dryRun);
        for (AppVersion v : targets) {
            out().println("AppVersion " + v.key() + " revoked" + (dryRun ? " (dry run)" : "") + " (was " + RecordViews.phase(v, a) + ")");
        }
        if (dryRun) {
            out().println("Dry run: nothing was written.");
        } else {
            out().println("The controller now removes " + (targets.size() == 1 ? "its" : "their") + " listener rules (pinned clients get " + expiredAnswer(a)
                    + "), waits " + DurationText.format(a.spec().router().deregistrationDelay())
                    + " for connections to drain, then scales to zero and deletes. Watch: skewless get versions " + app);
            String canary = a.spec().release().canary() == null ? null : a.spec().release().canary().version();
            if (canary != null && targets.stream().anyMatch(v -> v.id().equals(canary))) {
                out().println("Note: " + canary + " was the canary; it gets no more canary traffic. Remove spec.release.canary from the App manifest when convenient.");
            }
            if (!live.isEmpty()) {
                out().println("Forced: " + live.stream().map(AppVersion::id).collect(Collectors.joining(", "))
                        + " was live; unpinned traffic falls back to the newest remaining routable version. Pin one: skewless promote " + app + " VERSION");
            }
        }
        out().flush();
        return ExitCode.OK;
    }

    private static String expiredAnswer(App a) {
        return a.spec().routing().onExpired() == OnExpired.REJECT ? "410 Gone" : "the live version";
    }
}
