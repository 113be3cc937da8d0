package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.store.VersionStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skewless rollback APP}: promote the newest retained version older than the live one. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        header = "Make the previous retained release live again.",
        description = {
            "Make the previous release live again: the newest version that is Superseded (still retained, not revoked) and older than the version serving now.",
            "",
            "It is scaled back to full size first; the current live version serves until then, and stays retained for the clients pinned to it."
        },
        footer = {
            "",
            "Exit codes: 0 rolling back (or already), 1 refused (nothing live, no retained older version).",
            "",
            "Examples:",
            "  skewless rollback shop",
            "  skewless rollback shop --dry-run"
        })
final class RollbackCommand extends StoreVerb {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = "--dry-run", description = "Say which version it would roll back to; write nothing.")
    boolean dryRun;

    @Override
    int run(StoreConnection connection) {
        VersionStore store = connection.store();
        App a = requireApp(store, app);
        List<AppVersion> versions = store.listVersions(app);
        String liveId = a.status().liveVersion();
        if (liveId == null) {
            throw CliFailure.failed("Nothing in " + app + " serves unpinned traffic yet, so there is nothing to roll back from. Nothing was changed.",
                    "See the versions: skewless get versions " + app,
                    "Make one live:    skewless promote " + app + " VERSION");
        }
        AppVersion live = versions.stream().filter(v -> v.id().equals(liveId)).findFirst()
                .orElseThrow(() -> CliFailure.failed("App " + app + " reports " + liveId + " as live but has no such version record. Nothing was changed.",
                        "Check: skewless describe " + app));
        Instant liveCreated = live.metadata().creationTimestamp();
        Optional<AppVersion> target = versions.stream()
                .filter(v -> v.status().phase() == Phase.Superseded && !v.spec().revoked())
                .filter(v -> v.metadata().creationTimestamp().isBefore(liveCreated))
                .max(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp()));
        if (target.isEmpty()) {
            String older = versions.stream().filter(v -> v.metadata().creationTimestamp().isBefore(liveCreated))
                    .map(v -> v.id() + " " + RecordViews.phase(v, a)).collect(Collectors.joining(", "));
            throw CliFailure.failed("No version of " + app + " to roll back to: none older than live " + liveId + " is still retained (Superseded, not revoked)"
                    + (older.isEmpty() ? "; there are no older versions." : "; older versions: " + older + ".") + " Nothing was changed.",
                    "To run an old release again, apply its AppVersion manifest under a new version id, then: skewless promote " + app + " NEW_ID");
        }
        out().println("Rolling " + app + " back from " + liveId + " to " + target.get().id() + ".");
        return ReleaseChanges.promote(store, a, target.get(), dryRun, out(), "rollback");
    }
}
