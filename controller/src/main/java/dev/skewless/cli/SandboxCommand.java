package dev.skewless.cli;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.model.DurationText;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** {@code skewless sandbox ...}: helpers for the emulator sandbox that {@code init --sandbox} creates. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        header = "Helpers for the sandbox on a local emulator (see init --sandbox).",
        description = {
            "Helpers for the sandbox on a local emulator (see init --sandbox). They refuse to run unless AWS_ENDPOINT_URL is a loopback address."
        },
        subcommands = {SandboxCommand.RegisterTargets.class})
final class SandboxCommand implements Callable<Integer> {
    @ParentCommand
    SkewlessCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.env().err());
        return ExitCode.USAGE;
    }

    /** {@code skewless sandbox register-targets [--follow]}. */
    @Command(name = "register-targets", mixinStandardHelpOptions = true, sortOptions = false,
            header = "Play ECS's part on an emulator: register task addresses in new target groups.",
            description = {
                "Play ECS's part on an emulator: register made-up task addresses in every skewless target group that has none (one per desired task of its version).",
                "",
                "On AWS, ECS registers each task's IP itself; moto runs no containers and registers nothing, so without this the controller waits for healthy targets forever and versions stay Provisioning."
            },
            footer = {
                "",
                "Examples:",
                "  skewless sandbox register-targets            # once",
                "  skewless sandbox register-targets --follow   # every 2s until Ctrl-C, beside the controller",
                "",
                "With --follow, an emulator that does not answer (not started yet, restarting) is retried with backoff up to 30s, one line per attempt, instead of ending the command."
            })
    static final class RegisterTargets implements Callable<Integer> {
        @ParentCommand
        SandboxCommand sandbox;

        @Option(names = "--table", paramLabel = "NAME", description = "DynamoDB table (default: $SKEWLESS_TABLE, else skewless).")
        String table;

        @Option(names = "--follow", description = "Keep going (every --interval) until interrupted.")
        boolean follow;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", description = "With --follow: how often to look (default: ${DEFAULT-VALUE}).")
        String interval;

        /** The longest pause between two attempts while the emulator does not answer. */
        static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(30);

        /** The emulator did not answer: no connection, or no response in time (not a missing region or credentials). */
        private static boolean unreachable(SdkClientException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.io.IOException || t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
                    return true;
                }
            }
            return false;
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return String.valueOf(t.getMessage());
        }

        @Override
        public Integer call() {
            CliEnvironment env = sandbox.root.env();
            Duration every;
            try {
                every = DurationText.parse(interval);
            } catch (IllegalArgumentException e) {
                throw CliFailure.usage("--interval " + interval + ": " + e.getMessage());
            }
            Sandbox.requireEmulator(env, "sandbox register-targets");
            AwsErrorMessages errors = new AwsErrorMessages(env, "the emulator", null);
            try (StoreConnection store = StoreSelection.open(env, table);
                    AwsClientFactory clients = new AwsClientFactory(env.aws(), new AwsCallMetrics(new SimpleMeterRegistry()));
                    ElasticLoadBalancingV2Client elb = clients.elbv2()) {
                SandboxTargets targets = new SandboxTargets(elb, store.store());
                if (!follow) {
                    List<String> done = errors.explained(targets::registerMissing);
                    done.forEach(env.out()::println);
                    if (done.isEmpty()) {
                        env.out().println("Every skewless target group already has targets.");
                    }
                    return ExitCode.OK;
                }
                env.out().println("Registering made-up targets in new skewless target groups every " + DurationText.format(every) + "; Ctrl-C to stop.");
                env.out().flush();
                Duration wait = every;
                boolean unreachable = false;
                while (true) {
                    try {
                        targets.registerMissing().forEach(env.out()::println);
                        if (unreachable) {
                            env.err().println("skewless: the emulator answers again");
                            unreachable = false;
                        }
                        wait = every;
                    } catch (AwsServiceException e) {
                        throw errors.explain(e);
                    } catch (SdkClientException e) {
                        if (!unreachable(e)) {
                            throw errors.explain(e); // no region or credentials: retrying cannot help
                        }
                        // Emulators restart (and start after this command, in a tutorial): keep following,
                        // backing off, with one line per attempt instead of exiting.
                        unreachable = true;
                        wait = wait.multipliedBy(2).compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : wait.multipliedBy(2);
                        env.err().println("skewless: cannot reach the emulator" + env.awsEndpoint().map(u -> " at " + u).orElse("")
                                + " (" + rootMessage(e) + "); retrying in " + DurationText.format(wait));
                    }
                    env.out().flush();
                    env.err().flush();
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return ExitCode.OK;
                    }
                }
            }
        }
    }
}
