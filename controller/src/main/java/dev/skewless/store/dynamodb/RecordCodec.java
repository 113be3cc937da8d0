package dev.skewless.store.dynamodb;

import static dev.skewless.store.dynamodb.TableLayout.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.ApiVersion;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Subject;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns records into item attributes and back, through the manifest writer and reader: the
 * spec and status attributes hold exactly the {@code spec} and {@code status} blocks of the
 * record's JSON manifest, so the table stores the same format release managers write and
 * {@code get -o json} prints, and there is one serialisation of the model, not two.
 */
final class RecordCodec {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /*
     * The manifest writer writes whole records. A status is encoded by writing it on a
     * placeholder record and keeping only its status block; the placeholder spec never reaches
     * the table.
     */
    private static final AppSpec PLACEHOLDER_APP_SPEC = new AppSpec(
            new PlatformSpec("-", null, null, null, null, null, false, 0),
            new RouterSpec("-", new PriorityRange(1, 1), null, null, null, false, null), null, null, null, null);
    private static final AppVersionSpec PLACEHOLDER_VERSION_SPEC =
            new AppVersionSpec("-", 0, 0, 0, 0, null, null, null, null, false);

    private RecordCodec() {}

    /** The parts of an App's manifest the store writes on apply. */
    record SpecParts(String spec, String labels) {}

    static SpecParts specParts(App app) {
        JsonNode doc = manifest(ManifestWriter.write(ManifestWriter.Format.JSON, app.withStatus(AppStatus.EMPTY)));
        return new SpecParts(text(doc.get("spec")), labels(doc));
    }

    static SpecParts specParts(AppVersion version) {
        JsonNode doc = manifest(ManifestWriter.write(ManifestWriter.Format.JSON, version.withStatus(AppVersionStatus.PENDING)));
        return new SpecParts(text(doc.get("spec")), labels(doc));
    }

    /** The status block, or null for {@link AppStatus#EMPTY} (nothing to store). */
    static String status(AppStatus status) {
        App carrier = new App(ObjectMeta.ofApp("-"), PLACEHOLDER_APP_SPEC, status);
        JsonNode block = manifest(ManifestWriter.write(ManifestWriter.Format.JSON, carrier)).get("status");
        return block == null ? null : text(block);
    }

    /** The status block, or null for {@link AppVersionStatus#PENDING}. */
    static String status(AppVersionStatus status) {
        AppVersion carrier = new AppVersion(ObjectMeta.ofVersion("-", "-"), PLACEHOLDER_VERSION_SPEC, status);
        JsonNode block = manifest(ManifestWriter.write(ManifestWriter.Format.JSON, carrier)).get("status");
        return block == null ? null : text(block);
    }

    static App app(Map<String, AttributeValue> item) {
        Subject subject = read(item, ApiVersion.KIND_APP);
        if (subject instanceof Subject.OfApp(var label, App app)) {
            return app;
        }
        throw corrupt(item, "not an App");
    }

    static AppVersion version(Map<String, AttributeValue> item) {
        Subject subject = read(item, ApiVersion.KIND_APP_VERSION);
        if (subject instanceof Subject.OfVersion(var label, AppVersion version)) {
            return version;
        }
        throw corrupt(item, "not an AppVersion");
    }

    /** The spec stored in an item, decoded, for "did the spec change" comparisons. */
    static boolean sameSpec(Map<String, AttributeValue> item, App candidate) {
        return app(item).spec().equals(candidate.spec());
    }

    static boolean sameSpec(Map<String, AttributeValue> item, AppVersion candidate) {
        return version(item).spec().equals(candidate.spec());
    }

    private static Subject read(Map<String, AttributeValue> item, String kind) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("apiVersion", ApiVersion.V1ALPHA1);
        doc.put("kind", kind);
        ObjectNode meta = doc.putObject("metadata");
        ObjectNode spec = JSON.createObjectNode();
        if (kind.equals(ApiVersion.KIND_APP_VERSION)) {
            // The item's keys are the identity (decision 035): items written before spec.app existed
            // read the same as new ones.
            meta.put("name", string(item, APP) + "." + string(item, NAME));
            spec.put("app", string(item, APP));
        } else {
            meta.put("name", string(item, NAME));
        }
        if (item.containsKey(LABELS)) {
            meta.set("labels", manifest(string(item, LABELS)));
        }
        meta.put("generation", Long.parseLong(item.get(GENERATION).n()));
        meta.put("creationTimestamp", string(item, CREATED));
        ((ObjectNode) manifest(string(item, SPEC))).properties().forEach(e -> spec.putIfAbsent(e.getKey(), e.getValue()));
        doc.set("spec", spec);
        if (item.containsKey(STATUS)) {
            doc.set("status", manifest(string(item, STATUS)));
        }
        Manifests read = ManifestReader.read(text(doc));
        if (!read.clean() || read.subjects().size() != 1) {
            throw corrupt(item, read.problems().toString());
        }
        return read.subjects().getFirst();
    }

    private static String labels(JsonNode doc) {
        JsonNode labels = doc.path("metadata").get("labels");
        return labels == null ? "{}" : text(labels);
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.s() == null) {
            throw corrupt(item, "attribute " + name + " missing");
        }
        return v.s();
    }

    private static JsonNode manifest(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of plain values", e);
        }
    }

    private static IllegalStateException corrupt(Map<String, AttributeValue> item, String why) {
        return new IllegalStateException("unreadable item " + item.get(PK) + "/" + item.get(SK) + ": " + why);
    }
}
