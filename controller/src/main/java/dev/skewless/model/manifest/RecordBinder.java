package dev.skewless.model.manifest;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.OnExpired;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionResources;
import dev.skewless.model.validation.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds the fields of one document to an {@link App} or {@link AppVersion}. Field names are the
 * record component names in camelCase; the exceptions are {@code spec.retention.default} (the
 * component is {@code defaultWindow}: {@code default} reads better and is what the brief uses)
 * and {@code spec.routing.onExpired} values, written in lower case ({@code reject},
 * {@code fallback}).
 *
 * <p>Only shape is checked here (known fields, types, required fields, enum values, duration
 * syntax) plus the few values a record constructor would silently replace with a default (a
 * {@code maxVersions} of 0, a threshold of 0, an empty {@code release.live}); everything else is
 * {@link dev.skewless.model.validation.RecordValidator}'s job.
 */
final class RecordBinder {
    /** Default {@code spec.platform.retainedDesiredCount} when a manifest leaves it out. */
    static final int DEFAULT_RETAINED_DESIRED_COUNT = 1;
    /** Default {@code spec.desiredCount} when a manifest leaves it out. */
    static final int DEFAULT_DESIRED_COUNT = 1;

    private RecordBinder() {}

    /** Binds an App document; apiVersion and kind have been read already. */
    static App app(ObjectFields root) {
        ObjectFields meta = root.requiredObject("metadata", "give at least metadata.name");
        String name = meta.requiredString("name", "the App's name, e.g. shop");
        var labels = meta.stringMap("labels");
        long generation = meta.longValue("generation", 0);
        var created = meta.instant("creationTimestamp");
        var deleting = meta.instant("deletionTimestamp");
        meta.finish();
        AppSpec spec = appSpec(root.requiredObject("spec", "an App needs spec.platform and spec.router"));
        ObjectFields status = root.object("status");
        AppStatus appStatus = status == null ? null : appStatus(status);
        root.finish();
        return new App(new ObjectMeta(name, null, labels, generation, created, deleting), spec, appStatus);
    }

    /** The label that names an AppVersion's App (decision 035); derived from {@code spec.app}. */
    static final String APP_LABEL = "skewless.dev/app";

    /**
     * Binds an AppVersion document; apiVersion and kind have been read already.
     *
     * <p>The shape of decision 035: {@code metadata.name} is {@code <app>.<version>} and
     * {@code spec.app} names the App. The old shape ({@code metadata.app}, with the bare version id
     * in {@code metadata.name}) is still read, with a warning added to {@code warnings}. The
     * {@code skewless.dev/app} label, when present, must agree with {@code spec.app}; it is derived
     * data, so it is not kept among the record's labels (the writer puts it back).
     */
    static AppVersion version(ObjectFields root, List<Problem> warnings) {
        ObjectFields meta = root.requiredObject("metadata", "give metadata.name: <app>.<version>, e.g. shop.v42");
        String name = meta.requiredString("name", "<app>.<version>, e.g. shop.v42: the App, a dot, and the version id clients pin to");
        String legacyApp = meta.string("app");
        Map<String, String> labels = meta.stringMap("labels");
        long generation = meta.longValue("generation", 0);
        var created = meta.instant("creationTimestamp");
        var deleting = meta.instant("deletionTimestamp");
        meta.finish();
        ObjectFields specFields = root.requiredObject("spec", "an AppVersion needs at least spec.app, image, cpu, memory and containerPort");
        String specApp = specFields.string("app");
        String app;
        String id = name;
        if (legacyApp != null) {
            app = legacyApp;
            if (specApp != null && !specApp.equals(legacyApp)) {
                specFields.problem("app", "'" + specApp + "' differs from metadata.app '" + legacyApp + "'; write the App once, in spec.app");
            } else if (name != null && name.startsWith(legacyApp + ".")) {
                id = name.substring(legacyApp.length() + 1);
            }
            warnings.add(new Problem(meta.pathOf("app"), "deprecated: write 'spec.app: " + legacyApp + "' and 'metadata.name: "
                    + legacyApp + "." + id + "' instead of metadata.app (the old shape is still read; decision 035)"));
        } else {
            app = specApp;
            if (app == null && !specFields.has("app")) {
                specFields.problem("app", "required field is missing; the name of the App this version belongs to, e.g. shop");
            }
            if (app != null && !app.isEmpty() && !name.isEmpty()) {
                if (name.startsWith(app + ".") && name.length() > app.length() + 1) {
                    id = name.substring(app.length() + 1);
                } else {
                    meta.problem("name", "'" + name + "' must be '" + app + ".<version>': the App of spec.app, a dot, and the version id"
                            + " clients pin to, e.g. " + app + "." + (name.isEmpty() ? "v1" : name));
                }
            }
        }
        if (labels != null && labels.containsKey(APP_LABEL)) {
            String labelled = labels.get(APP_LABEL);
            if (app != null && !app.equals(labelled)) {
                meta.problem("labels", "label " + APP_LABEL + "='" + labelled + "' differs from spec.app '" + app
                        + "'; the label must name the same App (or be left out)");
            }
            labels = new java.util.LinkedHashMap<>(labels);
            labels.remove(APP_LABEL);
        }
        AppVersionSpec spec = versionSpec(specFields);
        ObjectFields status = root.object("status");
        AppVersionStatus versionStatus = status == null ? null : versionStatus(status);
        root.finish();
        return new AppVersion(new ObjectMeta(id == null ? "" : id, app == null ? "" : app, labels, generation, created, deleting),
                spec, versionStatus);
    }

    private static AppSpec appSpec(ObjectFields s) {
        PlatformSpec platform = platform(s.requiredObject("platform", "give at least cluster, subnets and securityGroups"));
        RouterSpec router = router(s.requiredObject("router", "give at least listenerArn and priorities"));
        ObjectFields routing = s.object("routing");
        ObjectFields retention = s.object("retention");
        ObjectFields release = s.object("release");
        ObjectFields local = s.object("local");
        AppSpec spec = new AppSpec(platform, router,
                routing == null ? null : routing(routing),
                retention == null ? null : retention(retention),
                release == null ? null : release(release),
                local == null ? null : local(local));
        s.finish();
        return spec;
    }

    private static PlatformSpec platform(ObjectFields p) {
        PlatformSpec spec = new PlatformSpec(
                p.requiredString("cluster", "the ECS cluster name or ARN"),
                p.strings("subnets"),
                p.strings("securityGroups"),
                p.string("executionRoleArn"),
                p.string("taskRoleArn"),
                p.string("logGroup"),
                p.bool("assignPublicIp", false),
                p.integer("retainedDesiredCount", DEFAULT_RETAINED_DESIRED_COUNT));
        p.finish();
        return spec;
    }

    private static RouterSpec router(ObjectFields r) {
        String listener = r.requiredString("listenerArn", "the ARN of the ALB listener the App's rules go on");
        ObjectFields pr = r.requiredObject("priorities", "the rule priorities this App owns, e.g. {from: 1000, to: 1099}");
        PriorityRange priorities = new PriorityRange(pr.requiredInt("from", "lowest priority, 1..50000"),
                pr.requiredInt("to", "highest priority, 1..50000"));
        pr.finish();
        RouterSpec spec = new RouterSpec(listener, priorities,
                r.strings("pathPatterns"),
                r.strings("hostHeaders"),
                r.duration("deregistrationDelay"),
                r.bool("ownsListener", false),
                r.string("vpcId"));
        r.finish();
        return spec;
    }

    private static RoutingSpec routing(ObjectFields r) {
        RoutingSpec spec = new RoutingSpec(r.string("header"), r.string("query"), r.string("cookie"),
                r.choice("onExpired", OnExpired.class, RecordBinder::spelling));
        r.finish();
        return spec;
    }

    /** How {@link OnExpired} values are written: {@code reject}, {@code fallback}. */
    static String spelling(OnExpired e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static RetentionSpec retention(ObjectFields r) {
        Integer maxVersions = r.integer("maxVersions");
        if (maxVersions != null && maxVersions < 1) {
            // RetentionSpec would quietly turn this into the default; refuse it instead.
            r.problem("maxVersions", maxVersions + " is out of range; allowed 1..100");
        }
        RetentionSpec spec = new RetentionSpec(r.duration("default"), r.duration("min"), r.duration("max"),
                r.duration("idleExpiry"), maxVersions == null ? 0 : maxVersions);
        r.finish();
        return spec;
    }

    private static ReleaseSpec release(ObjectFields r) {
        String live = r.string("live");
        if (live != null && live.isBlank()) {
            r.problem("live", "empty; give a version id, or 'latest' for the newest Ready version");
        }
        ObjectFields c = r.object("canary");
        ReleaseSpec.Canary canary = null;
        if (c != null) {
            canary = new ReleaseSpec.Canary(c.requiredString("version", "the version id that gets the canary share"),
                    c.requiredInt("weight", "percent of unpinned traffic, 0..100"));
            c.finish();
        }
        r.finish();
        return new ReleaseSpec(live, canary);
    }

    private static LocalSpec local(ObjectFields l) {
        LocalSpec spec = new LocalSpec(l.strings("command"), l.stringMap("env"), l.strings("webBuild"));
        l.finish();
        return spec;
    }

    private static AppVersionSpec versionSpec(ObjectFields s) {
        String image = s.requiredString("image", "the container image to run");
        int cpu = s.requiredInt("cpu", "Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384");
        int memory = s.requiredInt("memory", "MiB, a valid Fargate pair with cpu (e.g. cpu 512, memory 1024)");
        int desired = s.integer("desiredCount", DEFAULT_DESIRED_COUNT);
        int port = s.requiredInt("containerPort", "the port the container listens on, e.g. 8080");
        var env = s.stringMap("env");
        var secrets = s.stringMap("secrets");
        ObjectFields hc = s.object("healthCheck");
        HealthCheckSpec healthCheck = hc == null ? null : healthCheck(hc);
        var retention = s.duration("retention");
        boolean revoked = s.bool("revoked", false);
        ObjectFields as = s.object("autoscaling");
        AutoscalingSpec autoscaling = as == null ? null : autoscaling(as);
        s.finish();
        return new AppVersionSpec(image, cpu, memory, desired, port, env, secrets, healthCheck, retention, revoked, autoscaling);
    }

    private static AutoscalingSpec autoscaling(ObjectFields a) {
        AutoscalingSpec spec = new AutoscalingSpec(
                a.requiredInt("minCount", "the fewest tasks, e.g. 2"),
                a.requiredInt("maxCount", "the most tasks, e.g. 10"),
                a.integer("cpuPercent"),
                a.integer("requestsPerTarget"),
                a.duration("scaleInCooldown"),
                a.duration("scaleOutCooldown"));
        a.finish();
        return spec;
    }

    private static HealthCheckSpec healthCheck(ObjectFields h) {
        HealthCheckSpec spec = new HealthCheckSpec(h.string("path"), h.duration("interval"), h.duration("timeout"),
                threshold(h, "healthyThreshold"), threshold(h, "unhealthyThreshold"), h.string("matcher"));
        h.finish();
        return spec;
    }

    private static int threshold(ObjectFields h, String name) {
        Integer n = h.integer(name);
        if (n != null && n == 0) {
            // HealthCheckSpec reads 0 as "use the default"; in a manifest it is a mistake.
            h.problem(name, "0 is out of range; allowed 2..10 consecutive checks");
        }
        return n == null ? 0 : n;
    }

    private static AppStatus appStatus(ObjectFields s) {
        AppStatus status = new AppStatus(
                s.longValue("observedGeneration", 0),
                s.string("liveVersion"),
                s.string("canaryVersion"),
                s.integer("canaryWeight", 0),
                conditions(s),
                s.instant("lastReconcileTime"),
                s.string("message"));
        s.finish();
        return status;
    }

    private static AppVersionStatus versionStatus(ObjectFields s) {
        Phase phase = s.choice("phase", Phase.class, Phase::name);
        List<Condition> conditions = conditions(s);
        long observed = s.longValue("observedGeneration", 0);
        ObjectFields r = s.object("resources");
        VersionResources resources = null;
        if (r != null) {
            resources = new VersionResources(r.string("targetGroupArn"), r.string("serviceArn"), r.string("taskDefinitionArn"),
                    r.strings("ruleArns"));
            r.finish();
        }
        AppVersionStatus status = new AppVersionStatus(
                phase == null ? Phase.Pending : phase,
                conditions,
                observed,
                resources,
                s.integers("rulePriorities"),
                s.integer("runningCount", 0),
                s.integer("desiredCount", 0),
                s.instant("readyAt"),
                s.instant("supersededAt"),
                s.instant("expiresAt"),
                s.instant("drainingSince"),
                s.string("expiryReason"),
                s.instant("lastReconcileTime"),
                s.string("message"));
        s.finish();
        return status;
    }

    private static List<Condition> conditions(ObjectFields s) {
        List<ObjectFields> items = s.objects("conditions");
        if (items == null) {
            return null;
        }
        List<Condition> out = new ArrayList<>();
        for (ObjectFields c : items) {
            String type = c.requiredString("type", "e.g. Synced");
            ConditionStatus status = c.choice("status", ConditionStatus.class, ConditionStatus::name);
            if (status == null && c.isObject() && !c.has("status")) {
                c.problem("status", "required field is missing; True, False or Unknown");
            }
            out.add(new Condition(type, status == null ? ConditionStatus.Unknown : status, c.string("reason"), c.string("message"),
                    c.instant("lastTransitionTime")));
            c.finish();
        }
        return out;
    }
}
