package dev.skewless.operator.admission;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.cli.ManifestApplier;
import dev.skewless.model.manifest.Document;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.RecordValidator;
import dev.skewless.model.validation.Subject;
import dev.skewless.model.validation.ValidationException;
import dev.skewless.store.VersionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** AdmissionReviews as the API server sends them, and what {@code skewless apply} says about the same documents. */
final class AdmissionReviews {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = new YAMLMapper();
    /** A document label, {@code doc[1] (AppVersion shop/v1)}, and the separator after it. */
    private static final Pattern LABEL = Pattern.compile("^doc\\[\\d+\\]( \\([^)]*\\))?(: )?");

    private AdmissionReviews() {}

    /** A review of {@code operation} on {@code object} (null for DELETE) in {@code namespace}. */
    static ObjectNode review(String operation, String namespace, JsonNode object, JsonNode oldObject) {
        JsonNode named = object != null ? object : oldObject;
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", UUID.randomUUID().toString());
        String kind = named.path("kind").asText();
        request.putObject("kind").put("group", "skewless.dev").put("version", "v1alpha1").put("kind", kind);
        request.putObject("resource").put("group", "skewless.dev").put("version", "v1alpha1")
                .put("resource", kind.equals("App") ? "apps" : "appversions");
        request.put("name", named.path("metadata").path("name").asText());
        request.put("namespace", namespace);
        request.put("operation", operation);
        request.putObject("userInfo").put("username", "release-manager");
        request.set("object", object);
        request.set("oldObject", oldObject);
        request.put("dryRun", false);
        return review;
    }

    /** {@code text} (YAML) as a JSON tree. */
    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The refusal's problems, from {@code status.details.causes}. */
    static List<Problem> causes(JsonNode answer) {
        List<Problem> out = new ArrayList<>();
        for (JsonNode c : answer.path("response").path("status").path("details").path("causes")) {
            out.add(new Problem(c.path("field").asText(""), c.path("message").asText("")));
        }
        return out;
    }

    /**
     * The documents of a manifest file as JSON trees (the elements of a JSON array one by one), up
     * to a syntax error: what {@code kubectl apply -f} would send.
     */
    static List<ObjectNode> documents(Path file) {
        try {
            String text = Files.readString(file);
            ObjectMapper mapper = text.stripLeading().startsWith("[") || text.stripLeading().startsWith("{") ? JSON : YAML;
            List<ObjectNode> out = new ArrayList<>();
            try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(text)) {
                while (it.hasNextValue()) {
                    JsonNode n = it.nextValue();
                    if (n instanceof ObjectNode o) {
                        out.add(o);
                    } else if (n != null && n.isArray()) {
                        n.forEach(e -> out.add((ObjectNode) e));
                    }
                }
            } catch (JsonProcessingException e) {
                return out; // kubectl stops at the same place
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The problems {@code skewless apply} reports for this one document against {@code store}
     * (dry run, no reference check), with the document label taken off their paths; empty when
     * apply would accept it.
     */
    static List<Problem> applyProblems(VersionStore store, JsonNode document) {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> new ManifestApplier(store).apply(ManifestReader.read(document.toString()), true));
        if (e == null) {
            return List.of();
        }
        return e.problems().stream().map(p -> new Problem(LABEL.matcher(p.path()).replaceFirst(""), p.message())).toList();
    }

    /**
     * What the webhook must answer for this document: {@link #applyProblems}, except the one
     * thing only apply refuses, a version whose App is not stored (decision 038): the problem at
     * {@code spec.app} that neither the reader nor the version's own rules report.
     */
    static List<Problem> webhookProblems(VersionStore store, JsonNode document) {
        List<Problem> apply = applyProblems(store, document);
        Document read = ManifestReader.read(document.toString()).documents().getFirst();
        if (!(read.subject() instanceof Subject.OfVersion v) || store.getApp(v.version().app()).isPresent()) {
            return apply;
        }
        List<Problem> own = new ArrayList<>(read.fieldProblems());
        own.addAll(RecordValidator.checkVersion(v.version()));
        return apply.stream().filter(p -> !p.path().equals("spec.app") || own.contains(p)).toList();
    }

    /** Whether the webhook admitted the version with a warning that its App does not exist yet. */
    static boolean awaitsApp(JsonNode answer) {
        for (JsonNode w : answer.path("response").path("warnings")) {
            if (w.asText().contains("does not exist in this namespace yet")) {
                return true;
            }
        }
        return false;
    }
}
