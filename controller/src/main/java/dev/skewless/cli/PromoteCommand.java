package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skewless promote APP VERSION}. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        header = "Make a Ready, Live or Superseded version the live one.",
        description = {
            "Make VERSION the App's live version (spec.release.live): it serves unpinned traffic and full page loads.",
            "",
            "Only a Ready, Live or Superseded version qualifies: unpinned traffic never goes to a version that is not healthy. A Superseded version is scaled back to its full size first; the current live version serves until then."
        },
        footer = {
            "",
            "Exit codes: 0 promoted (or already live), 1 refused (wrong phase, revoked, unknown version).",
            "",
            "Examples:",
            "  skewless promote shop v2",
            "  skewless promote shop v2 && skewless wait shop v2 --for phase=Live --timeout 5m"
        })
final class PromoteCommand extends StoreVerb {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Option(names = "--dry-run", description = "Check and say what would change; write nothing.")
    boolean dryRun;

    @Override
    int run(StoreConnection connection) {
        App a = requireApp(connection.store(), app);
        AppVersion v = requireVersion(connection.store(), app, version);
        return ReleaseChanges.promote(connection.store(), a, v, dryRun, out(), "promote");
    }
}
