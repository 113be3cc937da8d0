package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.DurationText;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skewless wait APP VERSION --for phase=Live --timeout 5m}. */
@Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Wait until a version reaches a phase (exit 3 on timeout).",
        description = {
            "Poll the store until VERSION reaches a phase, printing each change of phase or message.",
            "",
            "phase=Ready means \"can serve\": Live and Superseded meet it too; every other phase must match exactly. Stops early with exit 1 when waiting cannot help: the version Failed, is Draining/Retired (one-way), or has a Terminal condition (e.g. InvalidReference: a listener, cluster, subnet, security group or role of its App does not exist); the reason and message are printed."
        },
        footer = {
            "",
            "Exit codes: 0 reached, 1 failed or can never get there, 2 usage, 3 timed out (it may still get there: look at describe).",
            "",
            "Examples:",
            "  skewless wait shop v2 --for phase=Live --timeout 5m",
            "  skewless wait shop v1 --for phase=Retired --timeout 15m"
        })
final class WaitCommand extends StoreVerb {
    /** Phases a version can still reach from each phase it may be in; Draining and Retired are one-way. */
    private static final Set<Phase> GONE = EnumSet.of(Phase.Draining, Phase.Retired);

    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Option(names = "--for", paramLabel = "phase=PHASE", defaultValue = "phase=Live",
            description = "The condition: phase=Pending|Provisioning|Ready|Live|Superseded|Draining|Retired|Failed (default: ${DEFAULT-VALUE}).")
    String condition;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", description = "Give up after this long, exit 3 (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", description = "How often to read the store (default: ${DEFAULT-VALUE}).")
    String interval;

    @Override
    int run(StoreConnection connection) {
        Phase target = parseCondition(condition);
        Duration limit = duration("--timeout", timeout);
        Duration every = duration("--interval", interval);
        if (every.isZero() || every.isNegative()) {
            throw CliFailure.usage("--interval must be more than 0.");
        }
        VersionStore store = connection.store();
        requireVersion(store, app, version);
        VersionKey key = new VersionKey(app, version);
        long deadline = System.nanoTime() + limit.toNanos();
        String last = null;
        while (true) {
            Optional<AppVersion> read = store.getVersion(key);
            if (read.isEmpty()) {
                throw CliFailure.failed(key + " no longer exists (a Retired version's record is deleted after a while).");
            }
            AppVersion v = read.get();
            Phase phase = v.status().phase();
            String message = v.status().message();
            // The controller's messages often start with the phase ("Live: serves ..."); say it once.
            String now = message.isEmpty() ? RecordViews.phase(v, null)
                    : message.startsWith(phase.name()) ? message : RecordViews.phase(v, null) + ": " + message;
            if (!now.equals(last)) {
                out().println(key + " " + now);
                out().flush();
                last = now;
            }
            if (reached(phase, target)) {
                out().println(key + " is " + phase + (phase == target ? "." : " (so it has been " + target + ")."));
                out().flush();
                return ExitCode.OK;
            }
            Optional<Condition> terminal = Conditions.find(v.status().conditions(), Condition.TERMINAL).filter(Condition::isTrue);
            if (terminal.isPresent() && phase != Phase.Failed) {
                // Terminal: the controller says waiting cannot help until the spec changes (e.g. a missing listener).
                Condition c = terminal.get();
                List<String> next = new java.util.ArrayList<>(DescribeCommand.referenceFix(app, v.status().conditions()));
                next.add("See details:  skewless describe " + app + " " + version);
                throw CliFailure.failed(key + " cannot become " + target + ": Terminal (" + c.reason() + "): " + c.message(),
                        next.toArray(String[]::new));
            }
            if (phase == Phase.Failed) {
                throw CliFailure.failed(key + " Failed while waiting for " + target + ": " + v.status().message(),
                        "See why:  skewless describe " + app + " " + version,
                        "Fix its spec and apply it again (Failed ends when the spec changes).");
            }
            if (GONE.contains(phase) && !GONE.contains(target)) {
                throw CliFailure.failed(key + " is " + RecordViews.phase(v, null) + ": it is leaving service for good and will never be " + target + ".",
                        "To run that release again, apply its manifest under a new version id.");
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw CliFailure.timeout("Timed out after " + DurationText.format(limit) + " waiting for " + key + " to be " + target
                        + "; it is " + now + (v.status().lastReconcileTime() == null ? " (the controller has not reported on it yet: is it running?)" : "") + ".",
                        hint(store, v, target).toArray(String[]::new));
            }
            sleep(Math.min(remaining, every.toNanos()));
        }
    }

    private java.util.List<String> hint(VersionStore store, AppVersion v, Phase target) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (target == Phase.Live) {
            Optional<App> a = store.getApp(app);
            if (a.isPresent() && !a.get().spec().release().followsLatest() && !version.equals(a.get().spec().release().live())) {
                out.add("It will not go live by itself: " + app + "'s release.live is " + a.get().spec().release().live()
                        + ". Make it live: skewless promote " + app + " " + version);
            }
        }
        out.add("See details:  skewless describe " + app + " " + version);
        out.add("Wait longer:  skewless wait " + app + " " + version + " --for phase=" + target + " --timeout 15m");
        return out;
    }

    /**
     * Whether {@code phase} meets {@code --for phase=target}. {@code Ready} means "can serve":
     * met by Live and Superseded too, since a version that went live by itself
     * ({@code release.live: latest}) never shows Ready again. Every other phase must match
     * exactly: a Superseded version is not Live, even if it was.
     */
    static boolean reached(Phase phase, Phase target) {
        return target == Phase.Ready ? phase.routable() : phase == target;
    }

    static Phase parseCondition(String text) {
        String t = text.strip();
        if (!t.toLowerCase(Locale.ROOT).startsWith("phase=")) {
            throw CliFailure.usage("--for " + text + ": only phase=PHASE is supported, e.g. --for phase=Live.");
        }
        String name = t.substring("phase=".length());
        for (Phase p : Phase.values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw CliFailure.usage("--for " + text + ": '" + name + "' is not a phase; use one of Pending, Provisioning, Ready, Live, Superseded, Draining, Retired, Failed.");
    }

    private static Duration duration(String option, String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(option + " " + text + ": " + e.getMessage());
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.failed("Interrupted while waiting.");
        }
    }
}
