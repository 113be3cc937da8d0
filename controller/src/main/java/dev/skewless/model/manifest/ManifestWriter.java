package dev.skewless.model.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.skewless.model.ApiVersion;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.DurationText;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionResources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes records as manifests, in the exact field names {@link ManifestReader} reads, so that
 * writing and reading back gives equal records (what {@code get -o yaml|json} prints can be edited
 * and applied again).
 *
 * <p>Every spec value is written, defaults included, so the output shows what is in effect;
 * nulls and empty lists and maps are left out. Durations use the short form ({@code 24h},
 * {@code 30m}); map entries are sorted by key for stable output. {@code status} and the
 * store-managed metadata ({@code generation}, {@code creationTimestamp}) are written when set.
 */
public final class ManifestWriter {
    /** Output format. */
    public enum Format {
        /** YAML; several records become documents separated by {@code ---}. */
        YAML,
        /** JSON; several records become an array. */
        JSON
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().stringQuotingChecker(new QuoteNumberLikeText()).build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // Without this a version id like 1.10 or an env value like 8080 would be written bare
            // and read back as a number.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ManifestWriter() {}

    /**
     * Jackson's default check leaves {@code 1e3} and {@code 0x1F} bare, yet its parser reads them
     * back as numbers. Quote any text that starts like a number and holds only characters a YAML
     * number may hold ({@code 2026.11.20-1} is quoted too: harmless, and the safe side).
     */
    private static final class QuoteNumberLikeText extends StringQuotingChecker.Default {
        private static final Pattern NUMBER_LIKE = Pattern.compile(
                "[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|\\.?[0-9][0-9_.:eE+-]*)");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || NUMBER_LIKE.matcher(value).matches();
        }
    }

    /** One App. */
    public static String write(Format format, App app) {
        return render(format, List.of(tree(app)));
    }

    /** One AppVersion. */
    public static String write(Format format, AppVersion version) {
        return render(format, List.of(tree(version)));
    }

    /** Several records: the Apps first, then the versions, each in the given order. */
    public static String write(Format format, List<App> apps, List<AppVersion> versions) {
        List<ObjectNode> docs = new ArrayList<>();
        apps.forEach(a -> docs.add(tree(a)));
        versions.forEach(v -> docs.add(tree(v)));
        return render(format, docs);
    }

    /**
     * One App as the JSON tree {@link #write} prints, for a store that keeps documents (the
     * Kubernetes API): the caller owns the returned tree.
     */
    public static ObjectNode document(App app) {
        return tree(app);
    }

    /** One AppVersion as the JSON tree {@link #write} prints; the caller owns the returned tree. */
    public static ObjectNode document(AppVersion version) {
        return tree(version);
    }

    /** An App's status block alone; an empty object for {@link AppStatus#EMPTY}. */
    public static ObjectNode statusDocument(AppStatus status) {
        return status.equals(AppStatus.EMPTY) ? NODES.objectNode() : status(status);
    }

    /** An AppVersion's status block alone. */
    public static ObjectNode statusDocument(AppVersionStatus status) {
        return status(status);
    }

    private static String render(Format format, List<ObjectNode> docs) {
        try {
            return switch (format) {
                case JSON -> {
                    Object value = docs.size() == 1 ? docs.get(0) : NODES.arrayNode().addAll(docs);
                    yield JSON.writeValueAsString(value) + "\n";
                }
                case YAML -> {
                    StringBuilder out = new StringBuilder();
                    for (ObjectNode doc : docs) {
                        if (!out.isEmpty()) {
                            out.append("---\n");
                        }
                        out.append(YAML.writeValueAsString(doc));
                    }
                    yield out.toString();
                }
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of plain values", e);
        }
    }

    static ObjectNode tree(App app) {
        ObjectNode doc = header(ApiVersion.KIND_APP, app.metadata());
        doc.set("spec", spec(app.spec()));
        if (!app.status().equals(AppStatus.EMPTY)) {
            doc.set("status", status(app.status()));
        }
        return doc;
    }

    static ObjectNode tree(AppVersion v) {
        ObjectNode doc = header(ApiVersion.KIND_APP_VERSION, v.metadata());
        ObjectNode spec = NODES.objectNode();
        spec.put("app", v.app());
        spec.setAll(spec(v.spec()));
        doc.set("spec", spec);
        if (!v.status().equals(AppVersionStatus.PENDING)) {
            doc.set("status", status(v.status()));
        }
        return doc;
    }

    private static ObjectNode header(String kind, ObjectMeta m) {
        ObjectNode doc = NODES.objectNode();
        doc.put("apiVersion", ApiVersion.V1ALPHA1);
        doc.put("kind", kind);
        ObjectNode meta = doc.putObject("metadata");
        if (m.app() == null) {
            meta.put("name", m.name());
            putMap(meta, "labels", m.labels());
        } else {
            // An AppVersion (decision 035): named <app>.<version>, labelled with its App.
            meta.put("name", m.app() + "." + m.name());
            Map<String, String> labels = new TreeMap<>(m.labels());
            labels.put(RecordBinder.APP_LABEL, m.app());
            putMap(meta, "labels", labels);
        }
        if (m.generation() != 0) {
            meta.put("generation", m.generation());
        }
        putInstant(meta, "creationTimestamp", m.creationTimestamp());
        putInstant(meta, "deletionTimestamp", m.deletionTimestamp());
        return doc;
    }

    private static ObjectNode spec(AppSpec s) {
        ObjectNode spec = NODES.objectNode();
        PlatformSpec p = s.platform();
        ObjectNode platform = spec.putObject("platform");
        platform.put("cluster", p.cluster());
        putList(platform, "subnets", p.subnets());
        putList(platform, "securityGroups", p.securityGroups());
        putText(platform, "executionRoleArn", p.executionRoleArn());
        putText(platform, "taskRoleArn", p.taskRoleArn());
        putText(platform, "logGroup", p.logGroup());
        platform.put("assignPublicIp", p.assignPublicIp());
        platform.put("retainedDesiredCount", p.retainedDesiredCount());

        RouterSpec r = s.router();
        ObjectNode router = spec.putObject("router");
        router.put("listenerArn", r.listenerArn());
        ObjectNode priorities = router.putObject("priorities");
        priorities.put("from", r.priorities().from());
        priorities.put("to", r.priorities().to());
        putList(router, "pathPatterns", r.pathPatterns());
        putList(router, "hostHeaders", r.hostHeaders());
        putDuration(router, "deregistrationDelay", r.deregistrationDelay());
        router.put("ownsListener", r.ownsListener());
        putText(router, "vpcId", r.vpcId());

        RoutingSpec rt = s.routing();
        ObjectNode routing = spec.putObject("routing");
        routing.put("header", rt.header());
        routing.put("query", rt.query());
        putText(routing, "cookie", rt.cookie());
        routing.put("onExpired", RecordBinder.spelling(rt.onExpired()));

        RetentionSpec rn = s.retention();
        ObjectNode retention = spec.putObject("retention");
        putDuration(retention, "default", rn.defaultWindow());
        putDuration(retention, "min", rn.min());
        putDuration(retention, "max", rn.max());
        putDuration(retention, "idleExpiry", rn.idleExpiry());
        retention.put("maxVersions", rn.maxVersions());

        ReleaseSpec rl = s.release();
        ObjectNode release = spec.putObject("release");
        release.put("live", rl.live());
        if (rl.canary() != null) {
            ObjectNode canary = release.putObject("canary");
            putText(canary, "version", rl.canary().version());
            canary.put("weight", rl.canary().weight());
        }

        if (s.local() != null) {
            ObjectNode local = spec.putObject("local");
            putList(local, "command", s.local().command());
            putMap(local, "env", s.local().env());
            if (!s.local().webBuild().isEmpty()) {
                putList(local, "webBuild", s.local().webBuild());
            }
        }
        return spec;
    }

    private static ObjectNode spec(AppVersionSpec s) {
        ObjectNode spec = NODES.objectNode();
        spec.put("image", s.image());
        spec.put("cpu", s.cpu());
        spec.put("memory", s.memory());
        spec.put("desiredCount", s.desiredCount());
        spec.put("containerPort", s.containerPort());
        putMap(spec, "env", s.env());
        putMap(spec, "secrets", s.secrets());
        HealthCheckSpec h = s.healthCheck();
        ObjectNode hc = spec.putObject("healthCheck");
        hc.put("path", h.path());
        putDuration(hc, "interval", h.interval());
        putDuration(hc, "timeout", h.timeout());
        hc.put("healthyThreshold", h.healthyThreshold());
        hc.put("unhealthyThreshold", h.unhealthyThreshold());
        hc.put("matcher", h.matcher());
        putDuration(spec, "retention", s.retention());
        spec.put("revoked", s.revoked());
        AutoscalingSpec a = s.autoscaling();
        if (a != null) {
            ObjectNode as = spec.putObject("autoscaling");
            as.put("minCount", a.minCount());
            as.put("maxCount", a.maxCount());
            if (a.cpuPercent() != null) {
                as.put("cpuPercent", a.cpuPercent());
            }
            if (a.requestsPerTarget() != null) {
                as.put("requestsPerTarget", a.requestsPerTarget());
            }
            putDuration(as, "scaleInCooldown", a.scaleInCooldown());
            putDuration(as, "scaleOutCooldown", a.scaleOutCooldown());
        }
        return spec;
    }

    private static ObjectNode status(AppStatus s) {
        ObjectNode status = NODES.objectNode();
        if (s.observedGeneration() != 0) {
            status.put("observedGeneration", s.observedGeneration());
        }
        putText(status, "liveVersion", s.liveVersion());
        putText(status, "canaryVersion", s.canaryVersion());
        if (s.canaryWeight() != 0) {
            status.put("canaryWeight", s.canaryWeight());
        }
        putConditions(status, s.conditions());
        putInstant(status, "lastReconcileTime", s.lastReconcileTime());
        putNonEmpty(status, "message", s.message());
        return status;
    }

    private static ObjectNode status(AppVersionStatus s) {
        ObjectNode status = NODES.objectNode();
        status.put("phase", s.phase().name());
        putConditions(status, s.conditions());
        if (s.observedGeneration() != 0) {
            status.put("observedGeneration", s.observedGeneration());
        }
        VersionResources r = s.resources();
        if (!r.equals(VersionResources.NONE)) {
            ObjectNode resources = status.putObject("resources");
            putText(resources, "targetGroupArn", r.targetGroupArn());
            putText(resources, "serviceArn", r.serviceArn());
            putText(resources, "taskDefinitionArn", r.taskDefinitionArn());
            putList(resources, "ruleArns", r.ruleArns());
        }
        if (!s.rulePriorities().isEmpty()) {
            ArrayNode priorities = status.putArray("rulePriorities");
            s.rulePriorities().forEach(priorities::add);
        }
        if (s.runningCount() != 0) {
            status.put("runningCount", s.runningCount());
        }
        if (s.desiredCount() != 0) {
            status.put("desiredCount", s.desiredCount());
        }
        putInstant(status, "readyAt", s.readyAt());
        putInstant(status, "supersededAt", s.supersededAt());
        putInstant(status, "expiresAt", s.expiresAt());
        putInstant(status, "drainingSince", s.drainingSince());
        putText(status, "expiryReason", s.expiryReason());
        putInstant(status, "lastReconcileTime", s.lastReconcileTime());
        putNonEmpty(status, "message", s.message());
        return status;
    }

    private static void putConditions(ObjectNode parent, List<Condition> conditions) {
        if (conditions.isEmpty()) {
            return;
        }
        ArrayNode list = parent.putArray("conditions");
        for (Condition c : conditions) {
            ObjectNode n = list.addObject();
            n.put("type", c.type());
            n.put("status", c.status().name());
            putNonEmpty(n, "reason", c.reason());
            putNonEmpty(n, "message", c.message());
            putInstant(n, "lastTransitionTime", c.lastTransitionTime());
        }
    }

    private static void putText(ObjectNode parent, String name, String value) {
        if (value != null) {
            parent.put(name, value);
        }
    }

    private static void putNonEmpty(ObjectNode parent, String name, String value) {
        if (value != null && !value.isEmpty()) {
            parent.put(name, value);
        }
    }

    private static void putDuration(ObjectNode parent, String name, Duration value) {
        if (value != null) {
            parent.put(name, DurationText.format(value));
        }
    }

    private static void putInstant(ObjectNode parent, String name, Instant value) {
        if (value != null) {
            parent.put(name, value.toString());
        }
    }

    private static void putList(ObjectNode parent, String name, Collection<String> values) {
        if (!values.isEmpty()) {
            ArrayNode list = parent.putArray(name);
            values.forEach(list::add);
        }
    }

    private static void putMap(ObjectNode parent, String name, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode map = parent.putObject(name);
            new TreeMap<>(values).forEach(map::put);
        }
    }
}
