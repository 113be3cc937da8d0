package dev.skewless.infra.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.RecordValidator;
import dev.skewless.model.validation.Subject;
import dev.skewless.model.validation.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records the deploy commands apply: an AppVersion for {@code deploy:api}, and for
 * {@code deploy:backend} the App the stack describes, merged with the stored one.
 */
public final class RecordDrafts {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RecordDrafts() {}

    /**
     * What {@code deploy:api} asks of a version.
     *
     * @param app           the App
     * @param version       the version id (also the image tag)
     * @param image         the image reference
     * @param cpu           Fargate CPU units
     * @param memory        Fargate memory (MiB)
     * @param desiredCount  tasks
     * @param env           environment variables (the version id variable included)
     * @param healthPath    target group health check path
     * @param autoscaling   the {@code spec.autoscaling} fields given ({@code minCount}, {@code maxCount},
     *                      {@code cpuPercent}, {@code requestsPerTarget}), empty for a fixed size;
     *                      whatever is missing or wrong is named by the record's validation
     */
    public record VersionDraft(String app, String version, String image, int cpu, int memory, int desiredCount,
                               Map<String, String> env, String healthPath, Map<String, Integer> autoscaling) {
        public VersionDraft {
            autoscaling = Map.copyOf(autoscaling);
        }

        /** A version of a fixed size. */
        public VersionDraft(String app, String version, String image, int cpu, int memory, int desiredCount,
                            Map<String, String> env, String healthPath) {
            this(app, version, image, cpu, memory, desiredCount, env, healthPath, Map.of());
        }
    }

    /** The AppVersion manifest (JSON) of a draft. */
    public static String appVersion(VersionDraft d) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("app", d.app());
        spec.put("image", d.image());
        spec.put("cpu", d.cpu());
        spec.put("memory", d.memory());
        spec.put("desiredCount", d.desiredCount());
        spec.put("containerPort", dev.skewless.infra.InfraSettings.CONTAINER_PORT);
        spec.put("env", new TreeMap<>(d.env()));
        spec.put("healthCheck", Map.of("path", d.healthPath()));
        if (!d.autoscaling().isEmpty()) {
            spec.put("autoscaling", new TreeMap<>(d.autoscaling()));
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("apiVersion", "skewless.dev/v1alpha1");
        record.put("kind", "AppVersion");
        Map<String, Object> metadata = new LinkedHashMap<>();
        // Decision 035: named <app>.<version>, the App in spec.app.
        metadata.put("name", d.app() + "." + d.version());
        record.put("metadata", metadata);
        record.put("spec", spec);
        try {
            return JSON.writeValueAsString(record);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads manifest text, failing with every reader problem (field paths) if it is not a record.
     */
    public static Manifests read(String text, String source) {
        Manifests m = ManifestReader.read(text, source);
        ValidationException.throwIfAny(m.problems());
        return m;
    }

    /** Fails with every problem the records have on their own (without the stored records). */
    public static void requireValidAlone(Manifests m) {
        ValidationException.throwIfAny(m.subjects().stream().flatMap(s -> RecordValidator.check(s).stream()).toList());
    }

    /** The one App of a manifest. */
    public static App onlyApp(Manifests m) {
        if (m.subjects().size() != 1 || !(m.subjects().getFirst() instanceof Subject.OfApp a)) {
            throw new DeployException("expected exactly one App record, got " + m.subjects().size() + " record(s)");
        }
        return a.app();
    }

    /**
     * The App to apply after a backend deployment. The stack owns where versions run and how the
     * ALB reaches them ({@code platform} and {@code router}); the release manager owns the rest
     * (routing, retention, release, local, labels, and the cost knobs {@code retainedDesiredCount}
     * and {@code hostHeaders}), which are kept from the stored App. With no stored App, the
     * stack's App is applied as it is (defaults for the release manager's fields).
     *
     * <p>The stored generation is carried, so a release manager's edit between the read and the
     * write is a conflict, not a silent overwrite.
     */
    public static App merge(App fromStack, App stored) {
        if (stored == null) {
            return fromStack;
        }
        PlatformSpec p = fromStack.spec().platform();
        PlatformSpec platform = new PlatformSpec(p.cluster(), p.subnets(), p.securityGroups(), p.executionRoleArn(), p.taskRoleArn(),
                p.logGroup(), p.assignPublicIp(), stored.spec().platform().retainedDesiredCount());
        RouterSpec r = fromStack.spec().router();
        RouterSpec router = new RouterSpec(r.listenerArn(), r.priorities(), r.pathPatterns(), stored.spec().router().hostHeaders(),
                r.deregistrationDelay(), r.ownsListener(), r.vpcId());
        AppSpec spec = new AppSpec(platform, router, stored.spec().routing(), stored.spec().retention(), stored.spec().release(),
                stored.spec().local());
        Map<String, String> labels = new TreeMap<>(stored.metadata().labels());
        labels.putAll(fromStack.metadata().labels());
        ObjectMeta meta = new ObjectMeta(stored.name(), null, labels, stored.metadata().generation(), null);
        return new App(meta, spec, null);
    }

    /** The App as manifest text, read back as records (the apply path reads manifests). */
    public static Manifests asManifest(App app) {
        return read(ManifestWriter.write(ManifestWriter.Format.JSON, app), "deploy:backend");
    }
}
