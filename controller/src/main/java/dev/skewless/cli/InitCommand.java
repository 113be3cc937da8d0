package dev.skewless.cli;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.model.App;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.RecordValidator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** {@code skewless init}: creates the store (the DynamoDB table); with {@code --sandbox}, a whole cloud on an emulator. */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Create the store (and, with --sandbox, a whole cloud on a local emulator).",
        description = {
            "Create the store: the DynamoDB table (on-demand, with a stream and TTL). Safe to run again: it only adds what is missing.",
            "",
            "With --sandbox (only against an emulator on this machine: AWS_ENDPOINT_URL=http://127.0.0.1:...), also create what the controller needs to run there: a VPC with two subnets and a security group, a load balancer with an HTTP listener and an ECS cluster; and write an App manifest that points at them."
        },
        footer = {
            "",
            "Examples:",
            "  skewless init",
            "  skewless init --table skewless-staging",
            "  AWS_ENDPOINT_URL=http://127.0.0.1:5000 skewless init --sandbox --app-manifest sandbox/shop-app.yaml"
        })
final class InitCommand extends StoreVerb {
    static final String DEFAULT_MANIFEST = "sandbox/shop-app.yaml";
    /** Ids of the right shape, to validate a name before anything exists. */
    private static final Sandbox.Ids PLACEHOLDER = new Sandbox.Ids("vpc-00000000", List.of("subnet-00000000", "subnet-00000001"),
            "sg-00000000", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/sandbox/0000000000000000",
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/sandbox/0000000000000000/0000000000000000",
            Sandbox.NAME, "123456789012");

    @Option(names = "--sandbox", description = "Also create a VPC, subnets, security group, load balancer, listener and ECS cluster on the emulator.")
    boolean sandbox;

    @Option(names = "--app-manifest", paramLabel = "FILE",
            description = "With --sandbox: where to write the App manifest (default: " + DEFAULT_MANIFEST + ").")
    Path appManifest;

    @Option(names = "--app", paramLabel = "NAME", defaultValue = "shop",
            description = "With --sandbox: the App's name (default: ${DEFAULT-VALUE}, as in manifests/examples).")
    String app;

    @Override
    int run(StoreConnection store) {
        if (!sandbox && appManifest != null) {
            throw CliFailure.usage("--app-manifest only goes with --sandbox.", "Run: skewless init --sandbox --app-manifest " + appManifest);
        }
        String endpoint = null;
        if (sandbox) {
            endpoint = Sandbox.requireEmulator(env(), "init --sandbox");
            // Check the name before creating anything: it goes into the manifest and AWS resource names.
            List<Problem> nameProblems = RecordValidator.checkApp(new App(ObjectMeta.ofApp(app), Sandbox.app("shop", PLACEHOLDER).spec(), null));
            if (!nameProblems.isEmpty()) {
                throw CliFailure.usage("--app " + app + ": " + nameProblems.getFirst().message());
            }
        }
        out().println("Store: " + store.description());
        store.initialiser().initialise().forEach(line -> out().println("  " + line));
        if (!sandbox) {
            out().println();
            out().println("Next: write an App manifest and its AppVersions (see manifests/examples), then");
            out().println("  skewless apply -f app.yaml -f v1.yaml --dry-run   # see what would be written");
            out().println("  skewless apply -f app.yaml -f v1.yaml");
            out().flush();
            return ExitCode.OK;
        }

        AwsErrorMessages errors = new AwsErrorMessages(env(), "the emulator", null);
        Sandbox.Result result;
        try (AwsClientFactory clients = new AwsClientFactory(env().aws(), new AwsCallMetrics(new SimpleMeterRegistry()));
                Ec2Client ec2 = clients.build(Ec2Client.builder());
                ElasticLoadBalancingV2Client elb = clients.elbv2();
                EcsClient ecs = clients.ecs();
                IamClient iam = clients.build(IamClient.builder())) {
            result = errors.explained(() -> Sandbox.ensure(ec2, elb, ecs, iam));
        }
        out().println("Sandbox on " + endpoint + ":");
        result.actions().forEach(line -> out().println("  " + line));

        App sandboxApp = Sandbox.app(app, result.ids());
        Path file = appManifest == null ? Path.of(DEFAULT_MANIFEST) : appManifest;
        String text = "# App " + app + " on the skewless sandbox at " + endpoint + " (written by skewless init --sandbox).\n"
                + "# The ids and ARNs below exist only on that emulator. release.live is latest: every version that\n"
                + "# becomes Ready goes live by itself; pin one with skewless promote.\n"
                + ManifestWriter.write(ManifestWriter.Format.YAML, sandboxApp);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliFailure.failed("The sandbox is ready, but its App manifest could not be written to " + file + ": " + e.getMessage(),
                    "Choose another file: skewless init --sandbox --app-manifest /tmp/" + app + "-app.yaml");
        }
        out().println("Wrote " + file + " (App " + app + ": cluster " + result.ids().cluster() + ", listener HTTP:80, /api/*, priorities 1000-1099).");
        out().println();
        out().println("Next, with the same environment in every terminal:");
        out().println("  skewless controller                                # terminal 2: the controller");
        out().println("  skewless sandbox register-targets --follow         # terminal 3: plays ECS's part (moto runs no containers)");
        String v1 = app.equals("shop") ? "manifests/examples/shop-v1.yaml" : "your-" + app + "-v1.yaml";
        out().println("  skewless apply -f " + file + " -f " + v1);
        out().println("  skewless get versions " + app + "                         # again and again: Pending, Provisioning, Live");
        out().println("  skewless wait " + app + " v1 --for phase=Live --timeout 2m");
        out().flush();
        return ExitCode.OK;
    }
}
