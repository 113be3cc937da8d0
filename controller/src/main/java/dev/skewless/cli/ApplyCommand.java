package dev.skewless.cli;

import dev.skewless.aws.AwsReferenceCheck;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Subject;
import dev.skewless.store.VersionStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skewless apply -f}: validate every record, then write what changed. */
@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Create or update records from manifest files, validating everything first.",
        description = {
            "Create or update App and AppVersion records from manifests (YAML documents or JSON).",
            "",
            "Everything is validated first, on its own and against what is stored; if anything is wrong, every problem is listed with its file, document and field, and nothing is written. Then Apps are written before versions, and records that would not change are left alone: running the same apply twice changes nothing.",
            "",
            "Status blocks in the input are ignored; a metadata.generation in the input (as get -o yaml prints it) must match the stored one.",
            "",
            "With the DynamoDB or Kubernetes store, every App's references are checked in the AWS account of your credentials before anything is written: the listener (HTTP or HTTPS), the ECS cluster (ACTIVE), each subnet and security group (in the load balancer's VPC) and the execution and task roles. A missing one refuses the apply like any other problem; one that cannot be checked (access denied, AWS unreachable) is a warning on stderr and the apply goes on. The dev store is never checked."
        },
        footer = {
            "",
            "Output: one line per record: created, configured (changed) or unchanged.",
            "",
            "Examples:",
            "  skewless apply -f manifests/examples/shop-app.yaml -f manifests/examples/shop-v1.yaml",
            "  skewless apply -f releases/ --dry-run",
            "  skewless get versions shop -o yaml | skewless apply -f -"
        })
final class ApplyCommand extends StoreVerb {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "A manifest file, a directory of them (.yaml, .yml, .json), or - for standard input. Repeatable.")
    List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Also read the subdirectories of directories given with -f.")
    boolean recursive;

    @Option(names = "--dry-run", description = "Validate and show what would change (a diff per record); write nothing.")
    boolean dryRun;

    @Option(names = "--no-verify", description = "Do not check in AWS that the listener, cluster, subnets, security groups and roles the Apps name exist (offline use).")
    boolean noVerify;

    @Override
    int run(StoreConnection connection) {
        VersionStore store = connection.store();
        Manifests input = ManifestFiles.read(files, recursive, env().stdin());
        input.warnings().forEach(w -> err().println("warning: " + w));
        err().flush();
        ManifestApplier.Report report = new ManifestApplier(store).apply(input, dryRun, references(connection));
        Set<String> apps = new LinkedHashSet<>();
        for (ManifestApplier.Outcome o : report.outcomes()) {
            out().println(o.kind() + " " + o.name() + " " + word(o.change()) + (dryRun ? " (dry run)" : ""));
            if (dryRun && o.change() != ManifestApplier.Change.UNCHANGED) {
                out().print(diff(store, input, o));
            }
            apps.add(o.name().contains("/") ? o.name().substring(0, o.name().indexOf('/')) : o.name());
        }
        if (dryRun) {
            out().println(report.changedAnything() ? "Dry run: nothing was written. Run again without --dry-run to apply."
                    : "Dry run: everything is already as in the manifests.");
        } else if (report.changedAnything()) {
            out().println("The controller acts on it next; watch: skewless get versions" + (apps.size() == 1 ? " " + apps.iterator().next() : ""));
        }
        out().flush();
        return ExitCode.OK;
    }

    /** The reference check for this store, or none: {@code --no-verify}, or a store with no AWS account behind it. */
    private ManifestApplier.References references(StoreConnection connection) {
        if (noVerify || connection.references() == null) {
            return ManifestApplier.References.NONE;
        }
        AwsReferenceCheck check = connection.references().get();
        return app -> {
            AwsReferenceCheck.Result r = check.check(app);
            r.warnings().forEach(w -> err().println("warning: App " + app.name() + ": " + w));
            err().flush();
            return r;
        };
    }

    /** kubectl's words: created, configured, unchanged. */
    static String word(ManifestApplier.Change c) {
        return switch (c) {
            case CREATED -> "created";
            case CHANGED -> "configured";
            case UNCHANGED -> "unchanged";
        };
    }

    /** The stored record against the applied one, as manifests without store-managed fields. */
    private static String diff(VersionStore store, Manifests input, ManifestApplier.Outcome o) {
        for (Subject s : input.subjects()) {
            if (!s.kind().equals(o.kind()) || !s.displayName().equals(o.name())) {
                continue;
            }
            return switch (s) {
                case Subject.OfApp a -> {
                    Optional<App> stored = store.getApp(a.app().name());
                    yield LineDiff.unified(o.name() + (stored.isPresent() ? " (stored, generation " + stored.get().metadata().generation() + ")" : " (new)"),
                            stored.map(x -> ManifestWriter.write(ManifestWriter.Format.YAML, comparable(x))).orElse(""),
                            o.name() + " (applied)", ManifestWriter.write(ManifestWriter.Format.YAML, comparable(a.app())));
                }
                case Subject.OfVersion v -> {
                    Optional<AppVersion> stored = store.getVersion(v.version().key());
                    yield LineDiff.unified(o.name() + (stored.isPresent() ? " (stored, generation " + stored.get().metadata().generation() + ")" : " (new)"),
                            stored.map(x -> ManifestWriter.write(ManifestWriter.Format.YAML, comparable(x))).orElse(""),
                            o.name() + " (applied)", ManifestWriter.write(ManifestWriter.Format.YAML, comparable(v.version())));
                }
            };
        }
        return "";
    }

    /** What apply writes: name, labels and spec; not status, generation or creation time. */
    private static App comparable(App a) {
        ObjectMeta m = a.metadata();
        return new App(new ObjectMeta(m.name(), m.app(), m.labels(), 0, null), a.spec(), null);
    }

    private static AppVersion comparable(AppVersion v) {
        ObjectMeta m = v.metadata();
        return new AppVersion(new ObjectMeta(m.name(), m.app(), m.labels(), 0, null), v.spec(), null);
    }
}
