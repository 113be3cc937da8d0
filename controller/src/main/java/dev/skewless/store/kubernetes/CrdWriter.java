package dev.skewless.store.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Generates the CustomResourceDefinitions {@code manifests/kubernetes/crds/*.yaml} from the one
 * source of truth, the JSON schemas in {@code manifests/schema/} (decision 036).
 *
 * <p>A JSON schema (draft 2020-12) says more than a Kubernetes 1.20 structural schema can, so
 * the translation is:
 * <ul>
 *   <li>{@code $ref} to {@code $defs} is inlined; {@code const} becomes a one-value {@code enum};
 *       a node without {@code type} gets the one its {@code enum}, {@code properties} or
 *       {@code items} imply (structural schemas need a type everywhere).</li>
 *   <li>{@code if}/{@code then} becomes {@code anyOf: [{not: if}, then]} (the same logic in words
 *       Kubernetes knows); {@code oneOf}, {@code anyOf}, {@code allOf} and {@code not} are kept
 *       with only the value checks Kubernetes allows inside them (no types, descriptions or
 *       defaults).</li>
 *   <li>Dropped: {@code propertyNames} (no structural equivalent), {@code additionalProperties:
 *       false} (Kubernetes does not allow it next to {@code properties}; see below), and
 *       {@code default} (the API server would write defaults into stored records; the binder
 *       applies them, and the description says what they are).</li>
 *   <li>Unknown fields: every object under {@code spec} carries
 *       {@code x-kubernetes-preserve-unknown-fields: true}, so a typo reaches the validating
 *       webhook or the operator, which name it with its field path, instead of being pruned
 *       silently. {@code status} is written by skewless only and is pruned as usual.</li>
 *   <li>{@code metadata} keeps only what Kubernetes lets a CRD say about it: the name's
 *       pattern and length.</li>
 *   <li>Patterns must be RE2 (the API server's regular expressions): a lookahead that only says
 *       "a non-empty run of optional groups follows" is rewritten as an alternation; any other
 *       construct RE2 lacks stops the generator.</li>
 * </ul>
 * Run it from the repository root after changing a schema (or printer columns):
 * {@code ./mvnw -q -o -pl controller test -Dtest=CrdFilesTest -Dskewless.crds.update=true}, or
 * {@code java -cp controller/target/skewless.jar dev.skewless.store.kubernetes.CrdWriter [repository]}.
 * {@code CrdFilesTest} fails while the checked-in files differ from what this writes.
 */
public final class CrdWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    /** Keywords that only describe; not allowed inside {@code allOf}/{@code anyOf}/{@code oneOf}/{@code not}. */
    private static final Set<String> JUNCTOR_FORBIDDEN = Set.of("type", "description", "default", "additionalProperties",
            "nullable", "title");
    private static final Set<String> JUNCTORS = Set.of("allOf", "anyOf", "oneOf", "not");
    /** Keywords copied as they are. */
    private static final List<String> VALUE_CHECKS = List.of("enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "required", "minProperties", "maxProperties");
    private static final Pattern RE2_UNSUPPORTED = Pattern.compile("\\(\\?[=!<>]|\\\\[1-9]|[*+?}][+]");

    /** Where the schemas and the CRDs are, relative to the repository root. */
    public static final Path SCHEMA_DIR = Path.of("manifests", "schema");
    /** The CRDs' directory, relative to the repository root. */
    public static final Path CRD_DIR = Path.of("manifests", "kubernetes", "crds");

    /**
     * One custom resource kind: its schema file, its resource class (group, version, names) and
     * the columns {@code kubectl get} prints, the same as {@code skewless get}.
     */
    record Kind(String schemaFile, Class<? extends CustomResource<?, ?>> type, List<Column> columns) {
        String crdName() {
            return HasMetadata.getPlural(type) + "." + HasMetadata.getGroup(type);
        }

        String crdFile() {
            return crdName() + ".yaml";
        }
    }

    /** An additional printer column. */
    record Column(String name, String type, String jsonPath, String description, int priority) {}

    private static final String SYNCED = ".status.conditions[?(@.type==\"Synced\")].status";

    /** The two kinds, with the columns of {@code skewless get apps} and {@code skewless get versions}. */
    static final List<Kind> KINDS = List.of(
            new Kind("app.schema.json", AppResource.class, List.of(
                    new Column("Live", "string", ".status.liveVersion", "The version unpinned requests reach.", 0),
                    new Column("Wanted", "string", ".spec.release.live", "spec.release.live: a version id or latest.", 0),
                    new Column("Canary", "string", ".status.canaryVersion", "The canary version, if any.", 0),
                    new Column("Weight", "integer", ".status.canaryWeight", "Percent of unpinned requests the canary gets.", 1),
                    new Column("Synced", "string", SYNCED, "Whether AWS matched the record at the last pass.", 0),
                    new Column("Age", "date", ".metadata.creationTimestamp", "", 0),
                    new Column("Message", "string", ".status.message", "What the controller last said.", 0))),
            new Kind("appversion.schema.json", AppVersionResource.class, List.of(
                    new Column("App", "string", ".spec.app", "The App this version belongs to.", 0),
                    new Column("Phase", "string", ".status.phase", "Pending, Provisioning, Ready, Live, Superseded, Draining, Retired or Failed.", 0),
                    new Column("Tasks", "integer", ".status.runningCount", "Running ECS tasks.", 0),
                    new Column("Desired", "integer", ".status.desiredCount", "Desired ECS tasks.", 0),
                    new Column("Synced", "string", SYNCED, "Whether AWS matched the record at the last pass.", 0),
                    new Column("Age", "date", ".metadata.creationTimestamp", "", 0),
                    new Column("Expires", "date", ".status.expiresAt", "When a superseded version leaves service.", 0),
                    new Column("Reason", "string", ".status.expiryReason", "Why it left service.", 1),
                    new Column("Message", "string", ".status.message", "What the controller last said.", 0))));

    private CrdWriter() {}

    /**
     * Writes both CRDs.
     *
     * @param args optional: the repository root (default: the working directory)
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "").toAbsolutePath();
        for (Map.Entry<Path, String> e : render(root).entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + e.getKey());
        }
    }

    /** The CRD files' contents, by path relative to {@code root}, from the schemas under {@code root}. */
    public static Map<Path, String> render(Path root) {
        Map<Path, String> out = new LinkedHashMap<>();
        for (Kind kind : KINDS) {
            Path schemaFile = root.resolve(SCHEMA_DIR).resolve(kind.schemaFile());
            JsonNode schema;
            try {
                schema = JSON.readTree(Files.readString(schemaFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + schemaFile, e);
            }
            out.put(CRD_DIR.resolve(kind.crdFile()), crdYaml(kind, schema));
        }
        return out;
    }

    /** One CRD as YAML, with a header naming its source. */
    static String crdYaml(Kind kind, JsonNode schema) {
        Translation t = new Translation(schema);
        ObjectNode openApi = t.root();
        String header = "# Generated from manifests/schema/" + kind.schemaFile() + " by dev.skewless.store.kubernetes.CrdWriter; do not edit.\n"
                + "# Regenerate: ./mvnw -q -o -pl controller test -Dtest=CrdFilesTest -Dskewless.crds.update=true\n"
                + (t.dropped.isEmpty() ? "" : "# Not expressible in a structural schema (checked by skewless apply, the webhook and the operator):\n"
                + String.join("\n", t.dropped.stream().map(d -> "#   " + d).toList()) + "\n");
        try {
            return header + YAML.writeValueAsString(crd(kind, openApi));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode crd(Kind kind, ObjectNode openApi) {
        Class<? extends CustomResource<?, ?>> type = kind.type();
        ObjectNode crd = NODES.objectNode();
        crd.put("apiVersion", "apiextensions.k8s.io/v1");
        crd.put("kind", "CustomResourceDefinition");
        crd.putObject("metadata").put("name", kind.crdName());
        ObjectNode spec = crd.putObject("spec");
        spec.put("group", HasMetadata.getGroup(type));
        ObjectNode names = spec.putObject("names");
        names.put("kind", HasMetadata.getKind(type));
        names.put("listKind", HasMetadata.getKind(type) + "List");
        names.put("plural", HasMetadata.getPlural(type));
        names.put("singular", HasMetadata.getSingular(type));
        ShortNames shortNames = type.getAnnotation(ShortNames.class);
        if (shortNames != null) {
            ArrayNode sn = names.putArray("shortNames");
            for (String s : shortNames.value()) {
                sn.add(s);
            }
        }
        names.putArray("categories").add("skewless");
        spec.put("scope", "Namespaced");
        ObjectNode version = spec.putArray("versions").addObject();
        version.put("name", HasMetadata.getVersion(type));
        version.put("served", true);
        version.put("storage", true);
        version.putObject("subresources").putObject("status");
        ArrayNode columns = version.putArray("additionalPrinterColumns");
        for (Column c : kind.columns()) {
            ObjectNode col = columns.addObject();
            col.put("name", c.name());
            col.put("type", c.type());
            col.put("jsonPath", c.jsonPath());
            if (!c.description().isEmpty()) {
                col.put("description", c.description());
            }
            if (c.priority() != 0) {
                col.put("priority", c.priority());
            }
        }
        version.putObject("schema").set("openAPIV3Schema", openApi);
        return crd;
    }

    /** One schema's translation, collecting what could not be expressed. */
    private static final class Translation {
        private final JsonNode source;
        final Set<String> dropped = new TreeSet<>();

        Translation(JsonNode source) {
            this.source = source;
        }

        ObjectNode root() {
            ObjectNode out = NODES.objectNode();
            if (source.has("description")) {
                out.put("description", source.get("description").asText());
            }
            out.put("type", "object");
            ObjectNode props = out.putObject("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = source.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                switch (p.getKey()) {
                    case "metadata" -> props.set("metadata", metadata(resolve(p.getValue())));
                    case "spec" -> props.set("spec", node(p.getValue(), "spec", true));
                    default -> props.set(p.getKey(), node(p.getValue(), p.getKey(), false));
                }
            }
            if (source.has("required")) {
                out.set("required", source.get("required").deepCopy());
            }
            return out;
        }

        /** Kubernetes fixes metadata: a CRD may only restrict the name. */
        private ObjectNode metadata(JsonNode meta) {
            ObjectNode out = NODES.objectNode();
            out.put("type", "object");
            JsonNode name = meta.path("properties").path("name");
            if (!name.isMissingNode()) {
                ObjectNode n = NODES.objectNode();
                n.put("type", "string");
                JsonNode resolved = resolve(name);
                if (resolved.has("pattern")) {
                    n.put("pattern", re2(resolved.get("pattern").asText(), "metadata.name"));
                }
                if (resolved.has("maxLength")) {
                    n.set("maxLength", resolved.get("maxLength"));
                }
                if (resolved.has("not")) {
                    n.set("not", valueOnly(resolved.get("not")));
                }
                if (resolved.has("allOf") || resolved.has("anyOf") || resolved.has("oneOf")) {
                    dropped.add("metadata.name: rules beyond its pattern, length and exclusion");
                }
                out.putObject("properties").set("name", n);
            }
            for (Iterator<String> it = meta.path("properties").fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("name") && !Set.of("labels", "generation", "creationTimestamp", "deletionTimestamp").contains(f)) {
                    dropped.add("metadata." + f + ": Kubernetes keeps only its own metadata fields");
                }
            }
            return out;
        }

        /** {@code $ref} inlined, with the referring node's own keywords (description, default) on top. */
        private JsonNode resolve(JsonNode node) {
            if (!node.has("$ref")) {
                return node;
            }
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) {
                throw new IllegalArgumentException("only local $defs references are supported, found " + ref);
            }
            JsonNode target = source.path("$defs").path(ref.substring("#/$defs/".length()));
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("dangling reference " + ref);
            }
            ObjectNode merged = (ObjectNode) resolve(target).deepCopy();
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("$ref")) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
            return merged;
        }

        /** A schema node outside junctors: typed, described. */
        private ObjectNode node(JsonNode raw, String path, boolean underSpec) {
            JsonNode n = resolve(raw);
            ObjectNode out = NODES.objectNode();
            String description = description(n);
            if (description != null) {
                out.put("description", description);
            }
            String type = type(n, path);
            out.put("type", type);
            if (n.has("const")) {
                out.putArray("enum").add(n.get("const"));
            }
            if (n.has("pattern")) {
                out.put("pattern", re2(n.get("pattern").asText(), path));
            }
            copyValueChecks(n, out);
            if (n.has("properties")) {
                ObjectNode props = out.putObject("properties");
                for (Iterator<Map.Entry<String, JsonNode>> it = n.get("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    props.set(p.getKey(), node(p.getValue(), path + "." + p.getKey(), underSpec));
                }
                if (underSpec) {
                    // Decision 036: a typo is kept for the webhook / operator to name, not pruned.
                    out.put("x-kubernetes-preserve-unknown-fields", true);
                }
            } else if (n.has("additionalProperties") && n.get("additionalProperties").isObject()) {
                out.set("additionalProperties", node(n.get("additionalProperties"), path + ".*", underSpec));
            } else if ("object".equals(type)) {
                out.put("x-kubernetes-preserve-unknown-fields", true);
            }
            if (n.has("items")) {
                out.set("items", node(n.get("items"), path + "[]", underSpec));
            }
            if (n.has("propertyNames")) {
                dropped.add(path + ": rules on field names (propertyNames)");
            }
            junctors(n, out, path);
            return out;
        }

        /** The node's junctors (and if/then), as value checks only. */
        private void junctors(JsonNode n, ObjectNode out, String path) {
            List<JsonNode> all = new ArrayList<>();
            if (n.has("allOf")) {
                n.get("allOf").forEach(all::add);
            }
            if (n.has("if")) {
                all.add(n); // if/then on the node itself
            }
            ArrayNode allOf = NODES.arrayNode();
            for (JsonNode part : all) {
                JsonNode p = resolve(part);
                if (p.has("if")) {
                    if (!p.has("then") || p.has("else")) {
                        dropped.add(path + ": an if without then, or with else");
                        continue;
                    }
                    // if A then B  ==  (not A) or B
                    ObjectNode either = NODES.objectNode();
                    ArrayNode anyOf = either.putArray("anyOf");
                    anyOf.addObject().set("not", valueOnly(p.get("if")));
                    anyOf.add(valueOnly(p.get("then")));
                    allOf.add(either);
                } else if (p != n) {
                    allOf.add(valueOnly(p));
                }
            }
            if (!allOf.isEmpty()) {
                out.set("allOf", allOf);
            }
            for (String j : List.of("anyOf", "oneOf")) {
                if (n.has(j)) {
                    ArrayNode parts = out.putArray(j);
                    n.get(j).forEach(p -> parts.add(valueOnly(p)));
                }
            }
            if (n.has("not")) {
                out.set("not", valueOnly(n.get("not")));
            }
        }

        /** A schema inside a junctor: value checks only (Kubernetes forbids types and descriptions there). */
        private ObjectNode valueOnly(JsonNode raw) {
            JsonNode n = resolve(raw);
            ObjectNode out = NODES.objectNode();
            if (n.has("const")) {
                out.putArray("enum").add(n.get("const"));
            }
            if (n.has("pattern")) {
                out.put("pattern", re2(n.get("pattern").asText(), "a junctor"));
            }
            copyValueChecks(n, out);
            if (n.has("properties")) {
                ObjectNode props = out.putObject("properties");
                n.get("properties").fields().forEachRemaining(p -> props.set(p.getKey(), valueOnly(p.getValue())));
            }
            if (n.has("items")) {
                out.set("items", valueOnly(n.get("items")));
            }
            for (String j : List.of("allOf", "anyOf", "oneOf")) {
                if (n.has(j)) {
                    ArrayNode parts = out.putArray(j);
                    n.get(j).forEach(p -> parts.add(valueOnly(p)));
                }
            }
            if (n.has("not")) {
                out.set("not", valueOnly(n.get("not")));
            }
            n.fieldNames().forEachRemaining(f -> {
                if (!JUNCTOR_FORBIDDEN.contains(f) && !JUNCTORS.contains(f) && !VALUE_CHECKS.contains(f)
                        && !Set.of("const", "pattern", "properties", "items").contains(f)) {
                    throw new IllegalArgumentException("a junctor uses " + f + ", which the CRD writer cannot translate");
                }
            });
            return out;
        }

        private static void copyValueChecks(JsonNode n, ObjectNode out) {
            for (String k : VALUE_CHECKS) {
                if (n.has(k)) {
                    out.set(k, n.get(k).deepCopy());
                }
            }
        }

        /** The description, with the JSON schema's default said in words (CRDs carry no defaults, see the class doc). */
        private static String description(JsonNode n) {
            String d = n.has("description") ? n.get("description").asText() : null;
            if (n.has("default")) {
                JsonNode def = n.get("default");
                String said = "Default: " + (def.isTextual() ? def.asText() : def.toString()) + ".";
                d = d == null ? said : d + " " + said;
            }
            return d;
        }

        /** The node's one type: stated, or implied by const, enum, properties or items. */
        private static String type(JsonNode n, String path) {
            if (n.has("type")) {
                if (!n.get("type").isTextual()) {
                    throw new IllegalArgumentException(path + ": a list of types has no structural equivalent");
                }
                return n.get("type").asText();
            }
            if (n.has("const")) {
                return typeOf(n.get("const"), path);
            }
            if (n.has("enum")) {
                Set<String> types = new TreeSet<>();
                n.get("enum").forEach(v -> types.add(typeOf(v, path)));
                if (types.size() != 1) {
                    throw new IllegalArgumentException(path + ": an enum of mixed types " + types + " has no structural equivalent");
                }
                return types.iterator().next();
            }
            if (n.has("properties") || n.has("additionalProperties")) {
                return "object";
            }
            if (n.has("items")) {
                return "array";
            }
            if (n.has("pattern") || n.has("minLength") || n.has("maxLength")) {
                return "string";
            }
            throw new IllegalArgumentException(path + ": no type, and none implied");
        }

        private static String typeOf(JsonNode v, String path) {
            if (v.isTextual()) {
                return "string";
            }
            if (v.isIntegralNumber()) {
                return "integer";
            }
            if (v.isNumber()) {
                return "number";
            }
            if (v.isBoolean()) {
                return "boolean";
            }
            throw new IllegalArgumentException(path + ": cannot type the value " + v);
        }
    }

    /**
     * The pattern in RE2 syntax, which the API server uses. The one non-RE2 construct the schemas
     * use is rewritten; any other stops the generator, since the API server would refuse the CRD.
     */
    static String re2(String pattern, String path) {
        String out = rewriteNonEmptyOptionalRun(pattern);
        if (RE2_UNSUPPORTED.matcher(out).find()) {
            throw new IllegalArgumentException(path + ": pattern " + pattern
                    + " uses a construct RE2 does not have (lookaround, backreference or possessive quantifier)");
        }
        return out;
    }

    private static final String DIGIT_LOOKAHEAD = "(?=[0-9])";

    /**
     * {@code (?=[0-9])(G1)?(G2)?...(Gn)?}, where every group starts with {@code [0-9]}, means "at
     * least one of the groups, in order": {@code G1 G2? .. Gn? | G2 G3? .. Gn? | ... | Gn}.
     */
    static String rewriteNonEmptyOptionalRun(String pattern) {
        int at = pattern.indexOf(DIGIT_LOOKAHEAD);
        if (at < 0) {
            return pattern;
        }
        int i = at + DIGIT_LOOKAHEAD.length();
        List<String> groups = new ArrayList<>();
        while (i < pattern.length() && pattern.charAt(i) == '(') {
            int close = matchingParen(pattern, i);
            if (close + 1 >= pattern.length() || pattern.charAt(close + 1) != '?') {
                break;
            }
            String group = pattern.substring(i, close + 1);
            if (!group.startsWith("([0-9]")) {
                return pattern; // not the shape this rewrite knows; re2() reports the lookahead
            }
            groups.add(group);
            i = close + 2;
        }
        char next = i < pattern.length() ? pattern.charAt(i) : ')';
        if (groups.isEmpty() || (next != '|' && next != ')')) {
            return pattern;
        }
        List<String> alternatives = new ArrayList<>();
        for (int first = 0; first < groups.size(); first++) {
            StringBuilder alt = new StringBuilder(groups.get(first));
            for (int k = first + 1; k < groups.size(); k++) {
                alt.append(groups.get(k)).append('?');
            }
            alternatives.add(alt.toString());
        }
        String rewritten = pattern.substring(0, at) + "(" + String.join("|", alternatives) + ")" + pattern.substring(i);
        return rewriteNonEmptyOptionalRun(rewritten);
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                while (i < s.length() && s.charAt(i) != ']') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses in " + s);
    }
}
