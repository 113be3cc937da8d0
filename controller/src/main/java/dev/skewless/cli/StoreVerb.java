package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** A verb that opens the store, does its work and closes it. */
abstract class StoreVerb implements Callable<Integer> {
    @ParentCommand
    SkewlessCommand root;

    @Option(names = "--table", paramLabel = "NAME",
            description = "DynamoDB table (default: $SKEWLESS_TABLE, else skewless).")
    String table;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAME",
            description = "Kubernetes namespace with SKEWLESS_STORE=kubernetes (default: $SKEWLESS_NAMESPACE, else the kube context's).")
    String namespace;

    @Override
    public final Integer call() {
        try (StoreConnection store = StoreSelection.open(env(), table, namespace)) {
            return run(store);
        }
    }

    /** The verb's work; returns the exit code. */
    abstract int run(StoreConnection store);

    CliEnvironment env() {
        return root.env();
    }

    PrintWriter out() {
        return env().out();
    }

    PrintWriter err() {
        return env().err();
    }

    /** The App, or a failure naming the Apps there are. */
    static App requireApp(VersionStore store, String name) {
        return store.getApp(name).orElseThrow(() -> {
            List<App> apps = store.listApps();
            String known = apps.isEmpty() ? "There are no Apps yet." : "Apps: " + apps.stream().map(App::name).collect(Collectors.joining(", ")) + ".";
            return CliFailure.failed("There is no App named '" + name + "'. " + known, "List them: skewless get apps");
        });
    }

    /** The version, or a failure listing the App's versions with their phases. */
    static AppVersion requireVersion(VersionStore store, String app, String version) {
        requireApp(store, app);
        return store.getVersion(new VersionKey(app, version)).orElseThrow(() -> {
            List<AppVersion> versions = store.listVersions(app);
            String known = versions.isEmpty() ? app + " has no versions yet."
                    : "Its versions: " + versions.stream().map(v -> v.id() + " (" + v.status().phase() + ")").collect(Collectors.joining(", ")) + ".";
            return CliFailure.failed("App " + app + " has no version '" + version + "'. " + known,
                    "List them: skewless get versions " + app);
        });
    }
}
