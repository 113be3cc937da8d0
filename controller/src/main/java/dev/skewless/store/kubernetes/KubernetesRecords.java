package dev.skewless.store.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.ApiVersion;
import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.model.manifest.Document;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Custom resources to records and back, through the manifest reader and writer: a resource's
 * {@code spec} and {@code status} are exactly the blocks of the record's manifest, so both stores
 * hold the format release managers write and there is one binding with one set of field-path
 * messages (decision 035, 036).
 *
 * <ul>
 *   <li>An AppVersion resource is named {@code <app>.<version>}, names its App in
 *       {@code spec.app} and carries the label {@code skewless.dev/app} when skewless writes it.</li>
 *   <li>Metadata: {@code generation} and {@code deletionTimestamp} are the API server's.
 *       {@code creationTimestamp} is the annotation {@code skewless.dev/created} when present
 *       (written by skewless at create, to the millisecond and strictly increasing within an App,
 *       since versions are ordered by it), else the API server's (whole seconds).</li>
 *   <li>A resource that does not bind (written with {@code kubectl} while no webhook checks
 *       records) is returned as a {@link Bound} with its problems, never thrown.</li>
 * </ul>
 */
public final class KubernetesRecords {
    /** The label naming an AppVersion's App, for {@code kubectl get appversions -l skewless.dev/app=shop}. */
    public static final String APP_LABEL = "skewless.dev/app";
    /** The creation time skewless orders versions by (ISO-8601 instant). */
    public static final String CREATED_ANNOTATION = "skewless.dev/created";
    /** The finalizer both kinds carry while their cloud resources exist. */
    public static final String FINALIZER = "skewless.dev/cleanup";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private KubernetesRecords() {}

    /**
     * A resource read as a record.
     *
     * @param kind     {@code App} or {@code AppVersion}
     * @param name     the resource's name ({@code shop}, {@code shop.v1})
     * @param app      the App the resource belongs to, as far as it can be told (the name for an
     *                 App; {@code spec.app}, else the label, else the name before the first dot
     *                 for a version); null when it cannot be told
     * @param record   the record, or null when the resource does not bind
     * @param problems every binding problem, each with its field path ({@code spec.cpu}); empty
     *                 exactly when {@code record} is set
     * @param <T>      {@link App} or {@link AppVersion}
     */
    public record Bound<T>(String kind, String name, String app, T record, List<Problem> problems) {
        public Bound {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            problems = List.copyOf(problems);
            if ((record == null) == problems.isEmpty()) {
                throw new IllegalArgumentException("a binding has a record or problems, not both or neither");
            }
        }

        /** Whether the resource bound to a record. */
        public boolean valid() {
            return record != null;
        }

        /** The record, when the resource bound. */
        public Optional<T> value() {
            return Optional.ofNullable(record);
        }

        /** {@code AppVersion shop.v1: spec.cpu: ...; spec.memory: ...}, for logs and messages. */
        public String describeProblems() {
            return kind + " " + name + ": " + String.join("; ", problems.stream().map(Problem::toString).toList());
        }
    }

    // ---------------------------------------------------------------- names

    /** The resource name of a version: {@code <app>.<version>}. */
    public static String resourceName(VersionKey key) {
        return key.app() + "." + key.version();
    }

    /** The App of an AppVersion resource: {@code spec.app}, else its label, else its name before the first dot. */
    public static Optional<String> appOf(AppVersionResource resource) {
        JsonNode specApp = resource.getSpec() == null ? null : resource.getSpec().get("app");
        if (specApp != null && specApp.isTextual() && !specApp.asText().isBlank()) {
            return Optional.of(specApp.asText());
        }
        Map<String, String> labels = resource.getMetadata().getLabels();
        if (labels != null && labels.get(APP_LABEL) != null) {
            return Optional.of(labels.get(APP_LABEL));
        }
        String name = resource.getMetadata().getName();
        int dot = name == null ? -1 : name.indexOf('.');
        return dot > 0 ? Optional.of(name.substring(0, dot)) : Optional.empty();
    }

    // ---------------------------------------------------------------- resource -> record

    /** Binds an App resource. */
    public static Bound<App> app(AppResource resource) {
        String name = resource.getMetadata().getName();
        Bound<Subject> bound = bind(ApiVersion.KIND_APP, resource, resource.getSpec(), resource.getStatus());
        if (bound.record() instanceof Subject.OfApp(var label, App app)) {
            return new Bound<>(ApiVersion.KIND_APP, name, name, app, List.of());
        }
        return new Bound<>(ApiVersion.KIND_APP, name, name, null, bound.problems());
    }

    /** Binds an AppVersion resource. */
    public static Bound<AppVersion> version(AppVersionResource resource) {
        String name = resource.getMetadata().getName();
        String app = appOf(resource).orElse(null);
        Bound<Subject> bound = bind(ApiVersion.KIND_APP_VERSION, resource, resource.getSpec(), resource.getStatus());
        if (bound.record() instanceof Subject.OfVersion(var label, AppVersion version)) {
            return new Bound<>(ApiVersion.KIND_APP_VERSION, name, version.app(), version, List.of());
        }
        return new Bound<>(ApiVersion.KIND_APP_VERSION, name, app, null, bound.problems());
    }

    private static Bound<Subject> bind(String kind, HasMetadata resource, ObjectNode spec, ObjectNode status) {
        io.fabric8.kubernetes.api.model.ObjectMeta m = resource.getMetadata();
        ObjectNode doc = JSON.createObjectNode();
        doc.put("apiVersion", ApiVersion.V1ALPHA1);
        doc.put("kind", kind);
        ObjectNode meta = doc.putObject("metadata");
        meta.put("name", m.getName());
        if (m.getLabels() != null && !m.getLabels().isEmpty()) {
            // The binder checks skewless.dev/app against spec.app and keeps it out of the record's labels.
            m.getLabels().forEach(meta.putObject("labels")::put);
        }
        if (m.getGeneration() != null) {
            meta.put("generation", m.getGeneration());
        }
        Instant created = creationTimestamp(m);
        if (created != null) {
            meta.put("creationTimestamp", created.toString());
        }
        if (m.getDeletionTimestamp() != null) {
            meta.put("deletionTimestamp", m.getDeletionTimestamp());
        }
        doc.set("spec", spec == null ? JSON.nullNode() : spec);
        if (status != null && !status.isEmpty()) {
            doc.set("status", status);
        }
        Document read = ManifestReader.read(text(doc)).documents().getFirst();
        List<Problem> problems = read.fieldProblems();
        if (!problems.isEmpty() || read.subject() == null) {
            return new Bound<>(kind, m.getName(), null, null,
                    problems.isEmpty() ? List.of(new Problem("", "not a " + kind)) : problems);
        }
        return new Bound<>(kind, m.getName(), null, read.subject(), List.of());
    }

    /** skewless's creation time when it wrote one, else the API server's. */
    static Instant creationTimestamp(io.fabric8.kubernetes.api.model.ObjectMeta m) {
        String annotated = m.getAnnotations() == null ? null : m.getAnnotations().get(CREATED_ANNOTATION);
        if (annotated != null) {
            try {
                return Instant.parse(annotated);
            } catch (DateTimeParseException e) {
                // Edited by hand into something else: the API server's time still orders the record.
            }
        }
        return m.getCreationTimestamp() == null ? null : Instant.parse(m.getCreationTimestamp());
    }

    // ---------------------------------------------------------------- record -> resource

    /**
     * An App as a resource to create or update: name, labels, the creation-time annotation (when
     * the record has a creation time) and spec; no status (written through the status subresource).
     */
    public static AppResource resource(App app) {
        ObjectNode doc = ManifestWriter.document(app.withStatus(AppStatus.EMPTY));
        AppResource r = new AppResource();
        r.setMetadata(metadata(app.name(), labels(doc), app.metadata().creationTimestamp()));
        r.setSpec((ObjectNode) doc.get("spec"));
        return r;
    }

    /** An AppVersion as a resource to create or update, named {@code <app>.<version>}, labelled with its App (by the writer). */
    public static AppVersionResource resource(AppVersion version) {
        ObjectNode doc = ManifestWriter.document(version.withStatus(AppVersionStatus.PENDING));
        AppVersionResource r = new AppVersionResource();
        r.setMetadata(metadata(doc.path("metadata").path("name").asText(), labels(doc), version.metadata().creationTimestamp()));
        r.setSpec((ObjectNode) doc.get("spec"));
        return r;
    }

    /** An App's status block. */
    public static ObjectNode status(AppStatus status) {
        return ManifestWriter.statusDocument(status);
    }

    /** An AppVersion's status block. */
    public static ObjectNode status(AppVersionStatus status) {
        return ManifestWriter.statusDocument(status);
    }

    private static io.fabric8.kubernetes.api.model.ObjectMeta metadata(String name, Map<String, String> labels, Instant created) {
        ObjectMetaBuilder b = new ObjectMetaBuilder().withName(name).withLabels(labels.isEmpty() ? null : labels);
        if (created != null) {
            b.withAnnotations(Map.of(CREATED_ANNOTATION, created.toString()));
        }
        return b.build();
    }

    private static Map<String, String> labels(ObjectNode doc) {
        Map<String, String> out = new LinkedHashMap<>();
        doc.path("metadata").path("labels").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of plain values", e);
        }
    }
}
