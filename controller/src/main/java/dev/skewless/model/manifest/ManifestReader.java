package dev.skewless.model.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.model.ApiVersion;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads App and AppVersion manifests from YAML or JSON text.
 *
 * <ul>
 *   <li>YAML may hold several documents separated by {@code ---}; JSON may be one object or an
 *       array of objects (a YAML document that is a list is read the same way).</li>
 *   <li>Documents are numbered from 0 across the whole text: {@code doc[0]}, {@code doc[1]}...</li>
 *   <li>The text is parsed to a tree first and bound field by field, so every problem of every
 *       document (unknown fields, wrong types, missing fields) is collected with its path, e.g.
 *       {@code doc[1] (AppVersion shop/v2): spec.cpu}. Only a syntax error stops reading, since
 *       nothing after it can be trusted.</li>
 *   <li>Duplicate keys in one mapping are a syntax error (YAML silently keeps the last one,
 *       which hides typos in long manifests).</li>
 *   <li>An AppVersion is named {@code <app>.<version>} with its App in {@code spec.app}
 *       (decision 035); the old shape with {@code metadata.app} is read with a warning
 *       ({@link Manifests#warnings()}).</li>
 *   <li>{@code status} blocks and the store-managed {@code metadata.generation} and
 *       {@code metadata.creationTimestamp} are read too, so the output of {@code get -o yaml}
 *       reads back to the same record. Apply never writes status; a non-zero generation makes
 *       apply check that nobody changed the record since it was fetched.</li>
 * </ul>
 * The reader never throws for bad content: look at {@link Manifests#problems()}.
 */
public final class ManifestReader {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ManifestReader() {}

    /** Reads manifest text with no source name (labels start with {@code doc[i]}). */
    public static Manifests read(String text) {
        return read(text, null);
    }

    /**
     * Reads manifest text.
     *
     * @param text   YAML (one or more documents) or JSON (an object or an array); JSON is recognised
     *               by a leading {@code {} or {@code [}
     * @param source shown before each document label (a file name); null for none
     */
    public static Manifests read(String text, String source) {
        String prefix = source == null ? "" : source + " ";
        String trimmed = text.stripLeading();
        ObjectMapper mapper = trimmed.startsWith("{") || trimmed.startsWith("[") ? JSON : YAML;
        List<Document> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode root = it.nextValue();
                if (root == null || root.isNull() || root.isMissingNode()) {
                    continue; // an empty YAML document, e.g. a trailing ---
                }
                if (root.isArray()) {
                    for (JsonNode element : root) {
                        docs.add(bind(element, prefix + "doc[" + docs.size() + "]"));
                    }
                } else {
                    docs.add(bind(root, prefix + "doc[" + docs.size() + "]"));
                }
            }
        } catch (JsonProcessingException e) {
            docs.add(unreadable(prefix + "doc[" + docs.size() + "]", e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (docs.isEmpty()) {
            String label = source == null ? "input" : source;
            docs.add(new Document(label, null, List.of(new Problem(label, "no App or AppVersion documents found"))));
        }
        return new Manifests(docs);
    }

    /**
     * Reads a manifest file (UTF-8), labelling its documents with the file name.
     *
     * @throws IOException when the file cannot be read
     */
    public static Manifests read(Path file) throws IOException {
        return read(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    private static Document unreadable(String label, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        // SnakeYAML's message interleaves what went wrong with excerpts of the text; keep the words only.
        String why = e.getOriginalMessage().lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining("; "));
        return new Document(label, null, List.of(new Problem(label, where + why + " (nothing after this point was read)")));
    }

    private static Document bind(JsonNode node, String prefix) {
        if (!node.isObject()) {
            return new Document(prefix, null, List.of(new Problem(prefix,
                    "expected a record (a mapping with apiVersion, kind, metadata and spec), found " + ObjectFields.describe(node))));
        }
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        ObjectFields root = ObjectFields.of(node, "", problems);
        String apiVersion = root.string("apiVersion");
        if (apiVersion == null && !root.has("apiVersion")) {
            root.problem("apiVersion", "required field is missing; use " + ApiVersion.V1ALPHA1);
        } else if (apiVersion != null && !apiVersion.equals(ApiVersion.V1ALPHA1)) {
            root.problem("apiVersion", "'" + apiVersion + "' is not supported; use " + ApiVersion.V1ALPHA1);
        }
        String kind = root.string("kind");
        Subject subject = null;
        String label;
        if (ApiVersion.KIND_APP.equals(kind)) {
            App app = RecordBinder.app(root);
            label = prefix + " (App " + orUnknown(app.name()) + ")";
            subject = new Subject.OfApp(label, app);
        } else if (ApiVersion.KIND_APP_VERSION.equals(kind)) {
            AppVersion v = RecordBinder.version(root, warnings);
            label = prefix + " (AppVersion " + orUnknown(v.app()) + "/" + orUnknown(v.id()) + ")";
            subject = new Subject.OfVersion(label, v);
        } else {
            // Without a kind we cannot know which fields belong; report only the kind.
            label = prefix;
            if (kind == null && !root.has("kind")) {
                root.problem("kind", "required field is missing; use App or AppVersion");
            } else if (kind != null) {
                String hint = kind.equalsIgnoreCase(ApiVersion.KIND_APP) || kind.equalsIgnoreCase(ApiVersion.KIND_APP_VERSION)
                        ? " (kinds are case-sensitive)" : "";
                root.problem("kind", "'" + kind + "' is not a kind skewless knows; use App or AppVersion" + hint);
            }
        }
        String finalLabel = label;
        return new Document(label, subject, problems.stream().map(p -> p.under(finalLabel)).toList(),
                warnings.stream().map(p -> p.under(finalLabel)).toList());
    }

    private static String orUnknown(String s) {
        return s == null || s.isEmpty() ? "?" : s;
    }
}
