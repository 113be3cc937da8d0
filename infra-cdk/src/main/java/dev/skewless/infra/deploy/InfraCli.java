package dev.skewless.infra.deploy;

import dev.skewless.model.validation.ValidationException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the deploy commands: {@code deploy}, {@code deploy:backend}, {@code deploy:frontend},
 * {@code deploy:api}, {@code deploy:web}, {@code infra:diff}, {@code infra:synth}, {@code destroy}.
 * {@code ./skewless <command> ...} runs this class through {@code infra-cdk/bin/skewless-infra}.
 *
 * <p>Every command takes {@code --dry-run}: it prints every AWS call and local command it would
 * make, and makes none.
 */
@Command(name = "skewless", mixinStandardHelpOptions = true, version = "skewless infra 0.1.0",
        description = "Deploys skewless on AWS: the CDK stacks, the api image and its AppVersion, the web build.",
        subcommands = {InfraCli.Deploy.class, InfraCli.DeployBackend.class, InfraCli.DeployFrontend.class, InfraCli.DeployApi.class,
                InfraCli.DeployWeb.class, InfraCli.InfraDiff.class, InfraCli.InfraSynth.class, InfraCli.Destroy.class})
public final class InfraCli implements Callable<Integer> {
    private static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final Pattern CONTEXT = Pattern.compile("^[A-Za-z0-9@:._/-]+=.*$");

    @Spec
    CommandSpec spec;

    /** Where the commands get their AWS clients (tests point them at moto or at nothing). */
    private final Supplier<AwsClients> clients;

    public InfraCli() {
        this(AwsClients::new);
    }

    InfraCli(Supplier<AwsClients> clients) {
        this.clients = clients;
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code (0 done, 1 failed, 2 bad input). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, AwsClients::new);
    }

    /** Like {@link #run(String[], PrintWriter, PrintWriter)} with the given AWS clients. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Supplier<AwsClients> clients) {
        CommandLine cl = new CommandLine(new InfraCli(clients));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            switch (e) {
                case ValidationException v -> {
                    // The message lists every problem, one per line, with its field path.
                    err.println("skewless: " + v.getMessage());
                    return 2;
                }
                case DeployException d -> {
                    err.println("skewless: " + d.getMessage());
                    return 1;
                }
                default -> throw e;
            }
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** Options every command takes. */
    static final class Common {
        // The subcommands' own --version is the release's version id, so help is declared here
        // instead of with picocli's standard options (which would claim --version).
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--app", defaultValue = "shop", description = "App name (stack names, SSM prefix, records). Default: ${DEFAULT-VALUE}")
        String app;

        @Option(names = "--owner", defaultValue = "skewless", description = "The controller's owner id (skewless.dev/managed-by). Default: ${DEFAULT-VALUE}")
        String owner;

        @Option(names = "--dry-run", description = "Print every AWS call and local command, make none.")
        boolean dryRun;

        @Option(names = {"-c", "--context"}, paramLabel = "KEY=VALUE",
                description = "CDK context for every cdk call, e.g. -c skewless:vpc=new (repeatable)")
        List<String> context = new ArrayList<>();

        @Option(names = "--yes", description = "No questions: cdk deploys IAM changes without asking; destroy proceeds.")
        boolean yes;

        @Option(names = "--repo", paramLabel = "DIR", description = "Repository root. Default: found from the current directory.")
        Path repo;

        Path root(CommandSpec spec) {
            Path r = repo != null ? repo.toAbsolutePath().normalize() : findRoot(Path.of("").toAbsolutePath());
            if (!Files.isRegularFile(r.resolve("infra-cdk").resolve("cdk.json"))) {
                throw new ParameterException(spec.commandLine(), r + " is not the skewless repository (no infra-cdk/cdk.json); use --repo");
            }
            return r;
        }

        Deployment deployment(CommandSpec spec, AwsClients aws) {
            for (String kv : context) {
                if (!CONTEXT.matcher(kv).matches()) {
                    throw new ParameterException(spec.commandLine(), "--context '" + kv + "' is not KEY=VALUE");
                }
            }
            Path root = root(spec);
            Transcript transcript = new Transcript(spec.commandLine().getOut(), dryRun);
            Effects effects = new Effects(transcript, root, aws);
            return new Deployment(effects, transcript, new Deployment.Target(app, owner, root, context, yes), Clock.systemUTC());
        }

        private static Path findRoot(Path from) {
            for (Path p = from; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("infra-cdk").resolve("cdk.json"))) {
                    return p;
                }
            }
            return from;
        }
    }

    /** Options of the api release. */
    static final class ApiOptions {
        @Option(names = "--cpu", defaultValue = "256", description = "Fargate CPU units. Default: ${DEFAULT-VALUE}")
        int cpu;

        @Option(names = "--memory", defaultValue = "512", description = "Fargate memory, MiB. Default: ${DEFAULT-VALUE}")
        int memory;

        @Option(names = "--desired-count", defaultValue = "2", description = "Tasks of the version. Default: ${DEFAULT-VALUE}")
        int desiredCount;

        @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Environment variable of the version (repeatable)")
        List<String> env = new ArrayList<>();

        @Option(names = "--version-env", defaultValue = Deployment.DEFAULT_VERSION_ENV,
                description = "Variable that tells the api its version id. Default: ${DEFAULT-VALUE}")
        String versionEnv;

        @Option(names = "--health-path", defaultValue = "/health", description = "Target group health check path. Default: ${DEFAULT-VALUE}")
        String healthPath;

        @Option(names = "--min-count", description = "Autoscaling: fewest tasks while live (spec.autoscaling.minCount); "
                + "with --max-count and one of --cpu-target or --requests-per-target, instead of --desired-count")
        Integer minCount;

        @Option(names = "--max-count", description = "Autoscaling: most tasks while live (spec.autoscaling.maxCount)")
        Integer maxCount;

        @Option(names = "--cpu-target", paramLabel = "PERCENT", description = "Autoscaling: average CPU to hold, 1..100 (spec.autoscaling.cpuPercent)")
        Integer cpuTarget;

        @Option(names = "--requests-per-target", paramLabel = "N",
                description = "Autoscaling: ALB requests per task per minute to hold (spec.autoscaling.requestsPerTarget)")
        Integer requestsPerTarget;

        @Option(names = "--api-dockerfile", defaultValue = "api-service/Dockerfile",
                description = "Builds the api image from the repository root. Default: ${DEFAULT-VALUE}")
        Path dockerfile;

        Deployment.ApiRelease release(String version) {
            // Only what was given: the record's validation names what is missing or wrong, by field path.
            Map<String, Integer> autoscaling = new TreeMap<>();
            putIfGiven(autoscaling, "minCount", minCount);
            putIfGiven(autoscaling, "maxCount", maxCount);
            putIfGiven(autoscaling, "cpuPercent", cpuTarget);
            putIfGiven(autoscaling, "requestsPerTarget", requestsPerTarget);
            return new Deployment.ApiRelease(version, cpu, memory, desiredCount, pairs("--env", env), versionEnv, healthPath, dockerfile,
                    autoscaling);
        }

        private static void putIfGiven(Map<String, Integer> into, String field, Integer value) {
            if (value != null) {
                into.put(field, value);
            }
        }
    }

    /** Options of the web release. */
    static final class WebOptions {
        @Option(names = "--web-dir", defaultValue = "web", description = "The web app. Default: ${DEFAULT-VALUE}")
        Path webDir;

        @Option(names = "--dist", description = "The build output. Default: <web-dir>/dist")
        Path dist;

        @Option(names = "--web-version-env", defaultValue = Deployment.DEFAULT_WEB_VERSION_ENV,
                description = "Variable that gives the web build its version id. Default: ${DEFAULT-VALUE}")
        String versionEnv;

        @Option(names = "--web-env", paramLabel = "NAME=VALUE", description = "More variables for the web build, e.g. VITE_API_SCHEMA=v2 (repeatable)")
        List<String> buildEnv = new ArrayList<>();

        @Option(names = "--skip-web-build", description = "Upload the existing build instead of running npm.")
        boolean skipBuild;

        Deployment.WebRelease release(Path root, String version) {
            Path web = root.resolve(webDir).normalize();
            Path d = dist != null ? root.resolve(dist).normalize() : web.resolve("dist");
            return new Deployment.WebRelease(version, versionEnv, pairs("--web-env", buildEnv), web, d, skipBuild);
        }
    }

    /** Options of the backend release. */
    static final class BackendOptions {
        @Option(names = "--controller-tag", description = "Controller image tag. Default: the git commit (git rev-parse --short=12 HEAD)")
        String controllerTag;

        @Option(names = "--controller-dockerfile", defaultValue = "controller/Dockerfile",
                description = "Builds the controller image from the repository root. Default: ${DEFAULT-VALUE}")
        Path dockerfile;

        Deployment.BackendRelease release() {
            return new Deployment.BackendRelease(controllerTag, dockerfile);
        }
    }

    /** {@code NAME=VALUE} options as a map. */
    static Map<String, String> pairs(String option, List<String> values) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String kv : values) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new DeployException(option + " '" + kv + "' is not NAME=VALUE");
            }
            vars.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return vars;
    }

    /** The clients of the top-level command this subcommand runs under. */
    static AwsClients clients(CommandSpec spec) {
        return ((InfraCli) spec.parent().userObject()).clients.get();
    }

    static String version(CommandSpec spec, String v) {
        if (v == null || !VERSION.matcher(v).matches() || v.equalsIgnoreCase("latest")) {
            throw new ParameterException(spec.commandLine(), "--version '" + v + "' is not a version id (1..64 of A-Z a-z 0-9 . _ -, not 'latest')");
        }
        return v;
    }

    @Command(name = "deploy",
            description = "Backend and frontend stacks; with --version also that version's api and web build.")
    static final class Deploy implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;
        @Mixin BackendOptions backend;
        @Mixin ApiOptions api;
        @Mixin WebOptions web;

        @Option(names = "--version", description = "Also release this version of the api and the web app.")
        String version;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                Deployment d = common.deployment(spec, aws);
                String v = version == null ? null : version(spec, version);
                d.deployAll(backend.release(), v == null ? null : api.release(v), v == null ? null : web.release(common.root(spec), v));
            }
            return 0;
        }
    }

    @Command(name = "deploy:backend",
            description = "The backend stack, the controller image, and the App record.")
    static final class DeployBackend implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;
        @Mixin BackendOptions backend;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                common.deployment(spec, aws).deployBackend(backend.release());
            }
            return 0;
        }
    }

    @Command(name = "deploy:frontend", description = "The frontend stack (bucket, CloudFront).")
    static final class DeployFrontend implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                common.deployment(spec, aws).deployFrontend();
            }
            return 0;
        }
    }

    @Command(name = "deploy:api",
            description = "Builds and pushes the api image tagged with the version, then applies its AppVersion.")
    static final class DeployApi implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;
        @Mixin ApiOptions api;

        @Option(names = "--version", required = true, description = "The version id (image tag, AppVersion name).")
        String version;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                common.deployment(spec, aws).deployApi(api.release(version(spec, version)));
            }
            return 0;
        }
    }

    @Command(name = "deploy:web",
            description = "Builds the web app with the version, uploads assets first and index.html last, never deletes.")
    static final class DeployWeb implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;
        @Mixin WebOptions web;

        @Option(names = "--version", required = true, description = "The version id the build pins to.")
        String version;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                common.deployment(spec, aws).deployWeb(web.release(common.root(spec), version(spec, version)));
            }
            return 0;
        }
    }

    /** The controller image tag of infra:diff and infra:synth. */
    static final class SynthesisOptions {
        @Option(names = "--controller-tag", description = "Synthesize the backend with this controller image tag. "
                + "Default: the deployed one (/skewless/<app>/controller-image-tag), else (nothing deployed, or --offline) the git commit")
        String controllerTag;
    }

    @Command(name = "infra:diff", description = "cdk diff of both stacks, with the deployed controller image tag.")
    static final class InfraDiff implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;
        @Mixin SynthesisOptions synthesis;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                common.deployment(spec, aws).diff(synthesis.controllerTag);
            }
            return 0;
        }
    }

    @Command(name = "infra:synth", description = "cdk synth of both stacks, with the deployed controller image tag.")
    static final class InfraSynth implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;
        @Mixin SynthesisOptions synthesis;

        @Option(names = "--offline", description = "Synthesize for the fixture account (no credentials, no lookups).")
        boolean offline;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Cloud assembly directory. Default: infra-cdk/cdk.out")
        Path output;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                common.deployment(spec, aws).synth(offline, output, synthesis.controllerTag);
            }
            return 0;
        }
    }

    @Command(name = "destroy",
            description = "Removes what the controller made for the App, then both stacks. Needs --yes.")
    static final class Destroy implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Override
        public Integer call() {
            try (AwsClients aws = clients(spec)) {
                common.deployment(spec, aws).destroy(common.yes);
            }
            return 0;
        }
    }
}
