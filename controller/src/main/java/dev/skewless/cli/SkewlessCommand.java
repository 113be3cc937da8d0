package dev.skewless.cli;

import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.ValidationException;
import dev.skewless.store.StoreConflictException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code skewless}: the single entry point of the runnable jar. The release manager's verbs talk
 * to the store directly (no controller needed); the long-running services ({@code controller},
 * {@code dev}) are subcommands too.
 *
 * <p>Adding a subcommand is one entry in {@code subcommands} below: a picocli
 * {@code @Command(name = "...", mixinStandardHelpOptions = true)} class with a no-argument
 * constructor that implements {@code Callable<Integer>} (its exit code). It may declare
 * {@code @ParentCommand SkewlessCommand root} to reach {@link #env()}.
 */
@Command(name = "skewless",
        mixinStandardHelpOptions = true,
        versionProvider = SkewlessCommand.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "Skew protection for web apps on AWS ECS: every release keeps its own backend while clients still use it.",
            "",
            "The release-manager verbs read and write App and AppVersion records in the store; the controller makes AWS match them. Store: the DynamoDB table named by --table or SKEWLESS_TABLE (default skewless), reached with your AWS credentials (AWS_PROFILE, AWS_REGION; AWS_ENDPOINT_URL for moto or LocalStack); SKEWLESS_STORE chooses another store.",
            "",
            "Start here: ./skewless dev runs everything on this machine (a demo App, its versions as local processes, the router, the dashboard). On AWS: skewless init, then skewless apply -f app.yaml -f v1.yaml, then skewless get versions.",
            ""
        },
        subcommands = {
            InitCommand.class,
            ApplyCommand.class,
            GetCommand.class,
            DescribeCommand.class,
            PromoteCommand.class,
            RollbackCommand.class,
            RevokeCommand.class,
            WaitCommand.class,
            SandboxCommand.class,
            ControllerCommand.class,
            OperatorCommand.class,
            DevCommand.class,
            CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (also when there was nothing to do)",
            "1:refused or failed (invalid manifests, wrong phase, unknown App or version, AWS errors)",
            "2:usage error (unknown verb or option, missing argument)",
            "3:timed out (wait)"
        })
public final class SkewlessCommand implements Callable<Integer> {
    /**
     * Subcommands that run as long-lived services and log as services do (logback.xml); every
     * other verb is a short command whose output is for people, so only warnings are logged.
     */
    static final Set<String> SERVICES = Set.of("controller", "operator", "dev");

    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    public SkewlessCommand(CliEnvironment env) {
        this.env = env;
    }

    /** Streams, environment, clock and AWS settings of this invocation. */
    public CliEnvironment env() {
        return env;
    }

    @Override
    public Integer call() {
        // `skewless` alone: show what it can do, and fail as a usage error so scripts notice.
        spec.commandLine().usage(env.err());
        return ExitCode.USAGE;
    }

    /** The configured command line: streams, exit codes and error messages. */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new SkewlessCommand(env));
        cl.setOut(env.out());
        cl.setErr(env.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr(), env));
        return cl;
    }

    /** Runs {@code args} and returns the exit code. */
    public static int execute(CliEnvironment env, String... args) {
        int code = commandLine(env).execute(args);
        env.out().flush();
        env.err().flush();
        return code;
    }

    public static void main(String[] args) {
        String format = System.getenv("SKEWLESS_LOG_FORMAT");
        if (format != null && !format.isBlank() && !Set.of("json", "text").contains(format.strip())) {
            // logback.xml would silently log nothing at all for an unknown appender name.
            System.err.println("error: SKEWLESS_LOG_FORMAT=" + format + " is not a log format skewless knows.");
            System.err.println("  Use json (one JSON object per line, the default) or text, or unset it.");
            System.exit(ExitCode.USAGE);
        }
        quietLoggingUnlessService(args);
        System.exit(execute(CliEnvironment.system(), args));
    }

    /**
     * Short commands log warnings only, on stderr ({@code logback-cli.xml}); services keep
     * {@code logback.xml}. Must run before the first logger is created.
     */
    private static void quietLoggingUnlessService(String[] args) {
        boolean service = args.length > 0 && SERVICES.contains(args[0]);
        if (!service && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-cli.xml");
        }
    }

    private static int report(Exception e, PrintWriter err, CliEnvironment env) {
        int code;
        switch (e) {
            case CliFailure f -> {
                err.println("error: " + f.getMessage());
                f.next().forEach(line -> err.println("  " + line));
                code = f.exitCode();
            }
            case ValidationException v -> {
                // The applier's headline ends "nothing was applied"; each problem on its own line with its field path.
                err.println("error: " + v.getMessage().lines().findFirst().orElse("invalid input"));
                for (Problem p : v.problems()) {
                    err.println("  " + p);
                }
                code = ExitCode.FAILED;
            }
            case StoreConflictException c -> {
                // A concurrent writer won a race the store could not settle by retrying.
                err.println("error: " + c.getMessage() + ". Nothing of this command was written after that point.");
                err.println("  Run the command again: it starts from the new state (apply skips what is already done).");
                code = ExitCode.FAILED;
            }
            case SdkException s -> {
                CliFailure f = new AwsErrorMessages(env, "AWS", null).explain(s);
                err.println("error: " + f.getMessage());
                f.next().forEach(line -> err.println("  " + line));
                code = f.exitCode();
            }
            default -> {
                err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
                err.println("  This is a bug in skewless or an environment it does not expect. Set SKEWLESS_DEBUG=1 for the stack trace.");
                if (env.variable("SKEWLESS_DEBUG").isPresent()) {
                    e.printStackTrace(err);
                }
                code = ExitCode.FAILED;
            }
        }
        err.flush();
        return code;
    }

    /** {@code --version}: the jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SkewlessCommand.class.getPackage().getImplementationVersion();
            return new String[] {"skewless " + (v == null ? "(development build)" : v)};
        }
    }
}
