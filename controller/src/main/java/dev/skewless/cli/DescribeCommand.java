package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.DurationText;
import dev.skewless.model.OnExpired;
import dev.skewless.model.Phase;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionResources;
import dev.skewless.store.VersionStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code skewless describe APP [VERSION]}: everything about one record, for a person. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        header = "Show everything about one App or one version, and what to do next.",
        description = {
            "Show one App (release, routing, retention, platform, conditions and its versions) or one version (phase and message, task counts, times, AWS resource ARNs, conditions) and what to do next in its phase."
        },
        footer = {
            "",
            "Examples:",
            "  skewless describe shop",
            "  skewless describe shop v2"
        })
final class DescribeCommand extends StoreVerb {
    private static final int LABEL = 18;

    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
    String version;

    @Override
    int run(StoreConnection connection) {
        VersionStore store = connection.store();
        Instant now = env().clock().instant();
        if (version == null) {
            App a = requireApp(store, app);
            out().print(describe(a, store.listVersions(app), now));
        } else {
            App a = requireApp(store, app);
            AppVersion v = requireVersion(store, app, version);
            out().print(describe(v, a, store.listVersions(app), now));
        }
        out().flush();
        return ExitCode.OK;
    }

    static String describe(App a, List<AppVersion> versions, Instant now) {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(text);
        AppSpec s = a.spec();
        out.println("App " + a.name());
        field(out, "Live", a.status().liveVersion() == null ? "none (nothing serves unpinned traffic yet)" : a.status().liveVersion());
        field(out, "Wanted", s.release().followsLatest() ? "latest (the newest Ready version)" : s.release().live());
        field(out, "Canary", RecordViews.canary(a).equals("-") ? "none" : RecordViews.canary(a));
        field(out, "Message", a.status().message());
        field(out, "Generation", generation(a.metadata().generation(), a.status().observedGeneration()));
        field(out, "Created", TimeText.stamp(a.metadata().creationTimestamp(), now));
        field(out, "Status changed", TimeText.stamp(a.status().lastReconcileTime(), now));
        if (!a.metadata().labels().isEmpty()) {
            field(out, "Labels", labels(a.metadata().labels()));
        }
        out.println("Routing:");
        field(out, "Listener", s.router().listenerArn());
        field(out, "Priorities", s.router().priorities().from() + ".." + s.router().priorities().to());
        field(out, "Scope", scope(s));
        field(out, "Pinned by", pinning(s.routing()));
        field(out, "Expired pins", s.routing().onExpired() == OnExpired.REJECT ? "410 with a JSON body naming the live version" : "sent to the live version");
        field(out, "Deregistration", DurationText.format(s.router().deregistrationDelay()));
        out.println("Retention:");
        RetentionSpec r = s.retention();
        field(out, "Window", DurationText.format(r.defaultWindow()) + " after a version is superseded (min " + DurationText.format(r.min())
                + ", max " + DurationText.format(r.max()) + ")");
        field(out, "Idle expiry", r.idleExpiry() == null ? "off" : DurationText.format(r.idleExpiry()) + " without requests");
        field(out, "Max versions", Integer.toString(r.maxVersions()));
        out.println("Platform:");
        field(out, "Cluster", s.platform().cluster());
        field(out, "Subnets", String.join(", ", s.platform().subnets()));
        field(out, "Security groups", String.join(", ", s.platform().securityGroups()));
        field(out, "Retained tasks", s.platform().retainedDesiredCount() + " per superseded version");
        conditions(out, a.status().conditions(), now);
        List<String> fix = referenceFix(a.name(), a.status().conditions());
        if (!fix.isEmpty()) {
            out.println("Next:");
            fix.forEach(n -> out.println("  " + n));
        }
        out.println("Versions:");
        if (versions.isEmpty()) {
            out.println("  none yet. Add one: skewless apply -f v1.yaml");
        } else {
            RecordViews.versionsTable(versions, Map.of(a.name(), a), now).lines().forEach(l -> out.println("  " + l));
        }
        out.flush();
        return text.toString();
    }

    static String describe(AppVersion v, App app, List<AppVersion> siblings, Instant now) {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(text);
        AppVersionSpec s = v.spec();
        AppVersionStatus st = v.status();
        out.println("AppVersion " + v.key());
        field(out, "Phase", RecordViews.phase(v, app));
        field(out, "Message", st.message());
        field(out, "Live in App", v.id().equals(app.status().liveVersion()) ? "yes" : "no (live: "
                + (app.status().liveVersion() == null ? "none" : app.status().liveVersion()) + ")");
        field(out, "Tasks", st.runningCount() + " running, " + st.desiredCount() + " desired by the controller, " + (s.autoscaling() == null
                ? s.desiredCount() + " in the spec" : s.autoscaling().minCount() + ".." + s.autoscaling().maxCount() + " autoscaled ("
                + (s.autoscaling().metric() == dev.skewless.model.AutoscalingSpec.Metric.CPU ? s.autoscaling().cpuPercent() + "% CPU"
                : s.autoscaling().requestsPerTarget() + " requests per task per minute") + ") while live or canary"));
        field(out, "Generation", generation(v.metadata().generation(), st.observedGeneration()));
        field(out, "Revoked", s.revoked() ? "yes" : "no");
        if (!v.metadata().labels().isEmpty()) {
            field(out, "Labels", labels(v.metadata().labels()));
        }
        out.println("Spec:");
        field(out, "Image", s.image());
        field(out, "Size", s.cpu() + " CPU units, " + s.memory() + " MiB, port " + s.containerPort());
        field(out, "Health check", s.healthCheck().path() + " (matcher " + s.healthCheck().matcher() + ", every "
                + DurationText.format(s.healthCheck().interval()) + ")");
        field(out, "Retention", s.retention() == null ? "the App's default (" + DurationText.format(app.spec().retention().defaultWindow()) + ")"
                : DurationText.format(s.retention()));
        if (!s.env().isEmpty()) {
            field(out, "Env", String.join(", ", s.env().keySet().stream().sorted().toList()));
        }
        if (!s.secrets().isEmpty()) {
            field(out, "Secrets", String.join(", ", s.secrets().keySet().stream().sorted().toList()));
        }
        out.println("Times:");
        field(out, "Created", TimeText.stamp(v.metadata().creationTimestamp(), now));
        field(out, "Ready", TimeText.stamp(st.readyAt(), now));
        field(out, "Superseded", TimeText.stamp(st.supersededAt(), now));
        field(out, "Expires", TimeText.stamp(st.expiresAt(), now));
        field(out, "Draining since", TimeText.stamp(st.drainingSince(), now));
        field(out, "Left service", st.expiryReason() == null ? "-" : st.expiryReason());
        field(out, "Status changed", TimeText.stamp(st.lastReconcileTime(), now));
        out.println("AWS resources:");
        VersionResources res = st.resources();
        field(out, "Target group", res.targetGroupArn());
        field(out, "Service", res.serviceArn());
        field(out, "Task definition", res.taskDefinitionArn());
        field(out, "Rule priorities", st.rulePriorities().isEmpty() ? "-" : st.rulePriorities().stream().map(String::valueOf).collect(Collectors.joining(", ")));
        if (res.ruleArns().isEmpty()) {
            field(out, "Rules", "-");
        } else {
            for (int i = 0; i < res.ruleArns().size(); i++) {
                field(out, i == 0 ? "Rules" : "", res.ruleArns().get(i));
            }
        }
        conditions(out, st.conditions(), now);
        List<String> next = nextSteps(v, app, siblings);
        if (!next.isEmpty()) {
            out.println("Next:");
            next.forEach(n -> out.println("  " + n));
        }
        out.flush();
        return text.toString();
    }

    /** What a person can do about a version in its phase. */
    static List<String> nextSteps(AppVersion v, App app, List<AppVersion> siblings) {
        String a = v.app();
        String id = v.id();
        boolean wanted = id.equals(app.spec().release().live());
        List<String> fix = referenceFix(a, v.status().conditions());
        if (!fix.isEmpty() && !v.status().phase().routable()) {
            return fix;
        }
        boolean olderRetained = siblings.stream().anyMatch(o -> o.status().phase() == Phase.Superseded && !o.spec().revoked()
                && o.metadata().creationTimestamp().isBefore(v.metadata().creationTimestamp()));
        return switch (v.status().phase()) {
            case Pending, Provisioning -> List.of("Wait until it is Ready: skewless wait " + a + " " + id + " --for phase=Ready --timeout 10m");
            case Ready -> wanted || app.spec().release().followsLatest()
                    ? List.of("It goes live on the controller's next pass: skewless wait " + a + " " + id + " --for phase=Live")
                    : List.of("Pinned clients reach it. Make it live: skewless promote " + a + " " + id);
            case Live -> olderRetained ? List.of("Roll back to the previous version: skewless rollback " + a) : List.of();
            case Superseded -> List.of("Pinned clients reach it until it expires. Bring it back: skewless promote " + a + " " + id,
                    "Take it out of service now: skewless revoke " + a + " " + id);
            case Failed -> List.of("Failed is final until the spec changes: fix the cause above, then skewless apply -f <its manifest>",
                    "Or release the fix under a new version id.");
            case Draining, Retired -> List.of("It is leaving (or has left) for good. To run this release again, apply its manifest under a new version id.");
        };
    }

    /**
     * What to fix when the controller found a reference of the App missing (Terminal, reason
     * InvalidReference): the field and the resource, instead of advice to wait.
     */
    static List<String> referenceFix(String app, List<Condition> conditions) {
        return Conditions.find(conditions, Condition.TERMINAL)
                .filter(c -> c.isTrue() && Condition.REASON_INVALID_REFERENCE.equals(c.reason()))
                .map(c -> List.of("Waiting will not help. Fix in App " + app + ": " + c.message().replaceFirst(";[^;]*$", ""),
                        "Then apply the App again (skewless apply -f <its manifest>): the controller looks again at once;"
                                + " if you create the resource instead, it looks again at its next resync."))
                .orElse(List.of());
    }

    private static void conditions(PrintWriter out, List<Condition> conditions, Instant now) {
        out.println("Conditions:");
        if (conditions.isEmpty()) {
            out.println("  none yet (the controller has not reported on it)");
            return;
        }
        TextTable t = new TextTable("TYPE", "STATUS", "REASON", "SINCE", "MESSAGE");
        for (Condition c : conditions) {
            t.row(c.type(), c.status().name(), c.reason(), TimeText.age(c.lastTransitionTime(), now), c.message());
        }
        t.render().lines().forEach(l -> out.println("  " + l));
    }

    private static String generation(long generation, long observed) {
        if (observed == generation) {
            return generation + " (the controller has acted on it)";
        }
        return generation + " (the controller has seen " + (observed == 0 ? "none yet" : observed) + "; it acts on the change on its next pass)";
    }

    private static String scope(AppSpec s) {
        String paths = s.router().pathPatterns().isEmpty() ? "" : "paths " + String.join(", ", s.router().pathPatterns());
        String hosts = s.router().hostHeaders().isEmpty() ? "" : "hosts " + String.join(", ", s.router().hostHeaders());
        String both = paths.isEmpty() ? hosts : hosts.isEmpty() ? paths : paths + "; " + hosts;
        return (both.isEmpty() ? "everything" : both) + (s.router().ownsListener() ? " (owns the listener)" : "");
    }

    private static String pinning(RoutingSpec r) {
        return "header " + r.header() + ", query ?" + r.query() + "=" + (r.cookie() == null ? "" : ", cookie " + r.cookie());
    }

    private static String labels(Map<String, String> labels) {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static void field(PrintWriter out, String label, String value) {
        String v = value == null || value.isEmpty() ? "-" : value;
        String l = label.isEmpty() ? "" : label + ":";
        out.println("  " + l + " ".repeat(Math.max(1, LABEL - l.length())) + v);
    }
}
