package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.store.VersionStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skewless get apps|versions [APP]}. */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        header = "List Apps or versions with what the controller last reported.",
        description = {
            "List Apps or versions with what the controller last reported.",
            "",
            "apps: NAME, LIVE (serving unpinned traffic now), WANTED (spec.release.live), CANARY, VERSIONS (every record), RETAINED (versions pins still reach: Ready, Live, Superseded), SYNCED, AGE, MESSAGE.",
            "",
            "versions: APP, VERSION, PHASE, TASKS (running/desired), SYNCED, AGE, EXPIRES (end of retention), MESSAGE.",
            "",
            "-o json prints an array of full records; -o yaml prints documents that apply -f - reads back."
        },
        footer = {
            "",
            "Examples:",
            "  skewless get apps",
            "  skewless get versions shop",
            "  skewless get versions shop -o json | jq -r '.[] | select(.status.phase==\"Live\") | .metadata.name'"
        })
final class GetCommand extends StoreVerb {
    @Parameters(index = "0", paramLabel = "apps|versions", description = "What to list (app, version and their plurals all work).")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "APP", description = "Only this App (and its versions).")
    String app;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    RecordViews.Format output;

    @Override
    int run(StoreConnection connection) {
        VersionStore store = connection.store();
        String k = kind.toLowerCase(Locale.ROOT);
        boolean apps = switch (k) {
            case "apps", "app" -> true;
            case "versions", "version", "appversions", "appversion" -> false;
            default -> throw CliFailure.usage("'" + kind + "' is not something skewless lists; use apps or versions.",
                    "Examples: skewless get apps   |   skewless get versions shop");
        };
        List<App> selected = app == null ? store.listApps() : List.of(requireApp(store, app));
        Map<String, List<AppVersion>> versions = new LinkedHashMap<>();
        List<AppVersion> allVersions = new ArrayList<>();
        boolean needVersions = !apps || output == RecordViews.Format.table;
        for (App a : selected) {
            if (needVersions) {
                List<AppVersion> vs = store.listVersions(a.name());
                versions.put(a.name(), vs);
                allVersions.addAll(vs);
            }
        }
        String text = switch (output) {
            case table -> apps ? RecordViews.appsTable(selected, versions, env().clock().instant())
                    : RecordViews.versionsTable(allVersions, byName(selected), env().clock().instant());
            case json -> apps ? RecordViews.json(selected, List.of()) : RecordViews.json(List.of(), allVersions);
            case yaml -> apps ? RecordViews.yaml(selected, List.of()) : RecordViews.yaml(List.of(), allVersions);
        };
        boolean empty = apps ? selected.isEmpty() : allVersions.isEmpty();
        if (empty && output == RecordViews.Format.table) {
            // An empty table is easy to misread as "the command did not work".
            err().println(apps ? "No Apps in " + connection.description() + ". Create one: skewless apply -f app.yaml"
                    : (app == null ? "No versions in " + connection.description() + "." : "App " + app + " has no versions yet.")
                    + " Add one: skewless apply -f v1.yaml");
            err().flush();
            return ExitCode.OK;
        }
        out().print(text);
        out().flush();
        return ExitCode.OK;
    }

    private static Map<String, App> byName(List<App> apps) {
        Map<String, App> out = new LinkedHashMap<>();
        apps.forEach(a -> out.put(a.name(), a));
        return out;
    }
}
