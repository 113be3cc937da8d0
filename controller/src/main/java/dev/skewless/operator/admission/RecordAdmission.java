package dev.skewless.operator.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.ApiVersion;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.manifest.Document;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.MissingApps;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import dev.skewless.store.VersionStore;
import dev.skewless.store.kubernetes.InvalidResourceException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating admission webhook's decision: an {@code admission.k8s.io/v1} AdmissionReview
 * for an App or AppVersion in, the same review with its response out. Pure apart from reading
 * the other records of the namespace through a {@link VersionStore}.
 *
 * <p>The object is turned back into the manifest document it was written as ({@code apiVersion},
 * {@code kind}, {@code metadata.name}, {@code metadata.labels}, {@code spec}) and checked by
 * {@link Manifests#validated}, exactly what {@code skewless apply} runs: the reader's binding,
 * every per-record rule and every cross-record rule against what the namespace holds, with one
 * difference: a version whose App does not exist yet is admitted, with a warning, because the API
 * server sees one object at a time in whatever order {@code kubectl apply -f dir/} or a GitOps
 * tool sends them ({@link MissingApps#AWAITED}; decision 038). A refusal
 * names every problem with its field path, one per line in {@code status.message} and one per
 * entry in {@code status.details.causes}, with code 422 and reason {@code Invalid}: {@code kubectl}
 * prints it as it prints the CRD schema's refusals ({@code The App "shop" is invalid:} and a
 * {@code * field: message} line per problem).
 *
 * <p>Always allowed, because refusing them could only get in the way:
 * <ul>
 *   <li>DELETE (deleting an AppVersion revokes it; deleting an App tears it down);</li>
 *   <li>any subresource, i.e. the operator's status writes;</li>
 *   <li>an UPDATE that leaves name, labels and spec as they were (a finalizer or an annotation
 *       added or removed), and any UPDATE of a record being deleted: a record stored before the
 *       webhook was installed, or made invalid by another record since, must still let the
 *       operator add and release its finalizer.</li>
 * </ul>
 * Kinds other than App and AppVersion are allowed with a warning: they reach the webhook only
 * through a misconfigured ValidatingWebhookConfiguration, which must not block the cluster.
 */
public final class RecordAdmission {
    private static final Logger log = LoggerFactory.getLogger(RecordAdmission.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** The only AdmissionReview version the webhook configuration asks for. */
    public static final String REVIEW_API_VERSION = "admission.k8s.io/v1";
    /** {@code skewless.dev}, the API group of both kinds. */
    private static final String GROUP = ApiVersion.V1ALPHA1.substring(0, ApiVersion.V1ALPHA1.indexOf('/'));

    private final Function<String, VersionStore> storeOfNamespace;

    /**
     * @param storeOfNamespace the records of a namespace; called once per review with the
     *                         request's namespace
     */
    public RecordAdmission(Function<String, VersionStore> storeOfNamespace) {
        this.storeOfNamespace = Objects.requireNonNull(storeOfNamespace, "storeOfNamespace");
    }

    /**
     * Decides one review.
     *
     * @param review an AdmissionReview as the API server sends it
     * @return the AdmissionReview to answer with (same apiVersion and kind, {@code response} set)
     * @throws MalformedReviewException when {@code review} is not an {@code admission.k8s.io/v1}
     *                                  AdmissionReview with a request uid
     */
    public ObjectNode review(JsonNode review) {
        if (review == null || !review.isObject()) {
            throw new MalformedReviewException("expected an AdmissionReview object");
        }
        if (!REVIEW_API_VERSION.equals(review.path("apiVersion").asText()) || !"AdmissionReview".equals(review.path("kind").asText())) {
            throw new MalformedReviewException("expected kind AdmissionReview, apiVersion " + REVIEW_API_VERSION + " (set admissionReviewVersions: [v1]); got "
                    + review.path("kind").asText("?") + " " + review.path("apiVersion").asText("?"));
        }
        JsonNode request = review.path("request");
        String uid = request.path("uid").asText("");
        if (uid.isEmpty()) {
            throw new MalformedReviewException("request.uid is missing");
        }
        ObjectNode response = decide(request);
        response.put("uid", uid);
        ObjectNode out = JSON.createObjectNode();
        out.put("apiVersion", REVIEW_API_VERSION);
        out.put("kind", "AdmissionReview");
        out.set("response", response);
        return out;
    }

    private ObjectNode decide(JsonNode request) {
        String operation = request.path("operation").asText("");
        String kind = request.path("kind").path("kind").asText("");
        String group = request.path("kind").path("group").asText("");
        String name = request.path("name").asText("");
        if (!"CREATE".equals(operation) && !"UPDATE".equals(operation)) {
            return allowed();
        }
        if (!request.path("subResource").asText("").isEmpty()) {
            return allowed();
        }
        if (!GROUP.equals(group) || !(ApiVersion.KIND_APP.equals(kind) || ApiVersion.KIND_APP_VERSION.equals(kind))) {
            log.atWarn().addKeyValue("kind", group + "/" + kind).addKeyValue("name", name).addKeyValue("action", "Admit")
                    .addKeyValue("outcome", "notChecked").log("a kind skewless does not validate reached the webhook; allowed");
            return allowed().set("warnings", JSON.createArrayNode().add(
                    "skewless validates only App and AppVersion (" + GROUP + "); check the rules of its ValidatingWebhookConfiguration"));
        }
        JsonNode object = request.path("object");
        if ("UPDATE".equals(operation) && (deleting(object) || sameDocument(object, request.path("oldObject")))) {
            return allowed();
        }
        Manifests read = ManifestReader.read(document(object).toString());
        Subject subject = read.documents().getFirst().subject();
        String namespace = request.path("namespace").asText("");
        Checked checked;
        try {
            checked = check(read, subject, storeOfNamespace.apply(namespace));
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("namespace", namespace).addKeyValue("kind", kind).addKeyValue("name", name)
                    .addKeyValue("action", "Admit").addKeyValue("outcome", "failed").setCause(e).log("reading the namespace's records failed");
            return refused(503, "ServiceUnavailable", "skewless could not read the other records of namespace " + namespace
                    + " to check this " + kind + " against them (" + e.getMessage() + "); try again", List.of());
        }
        var line = log.atInfo().addKeyValue("namespace", namespace);
        line = switch (subject) {
            case Subject.OfApp a -> line.addKeyValue("app", a.app().name());
            case Subject.OfVersion v -> line.addKeyValue("app", v.version().app()).addKeyValue("version", v.version().id());
            case null -> line.addKeyValue("name", name);
        };
        line = line.addKeyValue("action", "Admit").addKeyValue("operation", operation);
        List<Problem> problems = checked.document().fieldProblems();
        ObjectNode answer;
        if (problems.isEmpty()) {
            line.addKeyValue("outcome", "allowed").log(kind + " admitted");
            answer = allowed();
        } else {
            line.addKeyValue("outcome", "refused").addKeyValue("problems", problems.size()).log(kind + " refused");
            String what = kind + " " + (subject == null ? name : subject.displayName());
            answer = refused(422, "Invalid", what + " has " + (problems.size() == 1 ? "1 problem" : problems.size() + " problems") + ":"
                    + String.join("", problems.stream().map(p -> "\n  " + p).toList()), problems);
            // kubectl prints an Invalid status with causes as "The App "shop" is invalid:" and one
            // "* field: message" line per cause, as it prints the CRD schema's own refusals.
            ObjectNode details = (ObjectNode) answer.path("status").path("details");
            details.put("group", GROUP).put("kind", kind).put("name", name);
        }
        if (!checked.warnings().isEmpty()) {
            ArrayNode warnings = answer.putArray("warnings");
            checked.warnings().forEach(warnings::add);
        }
        return answer;
    }

    /** The document with every problem, and what could not be checked. */
    private record Checked(Document document, List<String> warnings) {}

    /**
     * Validates the document against the namespace's Apps and the versions of the App it names,
     * the same context {@code apply} gives the validator. A stored version that does not bind
     * (written while no webhook checked records) must not block the write that fixes it: the
     * App's versions are then left out of the comparison, and the answer warns about it
     * ({@code kubectl} prints admission warnings).
     */
    private static Checked check(Manifests read, Subject subject, VersionStore store) {
        List<App> apps = store.listApps();
        String app = switch (subject) {
            case Subject.OfApp a -> a.app().name();
            case Subject.OfVersion v -> v.version().app();
            case null -> null;
        };
        List<AppVersion> versions = List.of();
        List<String> warnings = List.of();
        boolean appStored = app != null && apps.stream().anyMatch(a -> a.name().equals(app));
        if (subject instanceof Subject.OfVersion && !appStored) {
            warnings = List.of("App " + app + " does not exist in this namespace yet; this AppVersion is admitted and is acted on once it does");
        }
        if (appStored) {
            try {
                versions = store.listVersions(app);
            } catch (InvalidResourceException e) {
                // The store gives all of an App's versions or none; compare with none and say so.
                warnings = e.resources().stream().map(b -> "the versions of App " + app + " were not compared with this " + subject.kind()
                        + ": " + b.kind() + " " + b.name() + " is itself invalid (" + String.join("; ", b.problems().stream().map(Problem::toString).toList())
                        + ")").toList();
            }
        }
        return new Checked(read.validated(apps, versions, MissingApps.AWAITED).documents().getFirst(), warnings);
    }

    /**
     * The manifest document a Kubernetes object was written as: what {@code kubectl apply} sent,
     * without the fields the API server adds to metadata (uid, resourceVersion, managedFields,
     * annotations...), which the reader would rightly call unknown in a manifest.
     */
    static ObjectNode document(JsonNode object) {
        ObjectNode doc = JSON.createObjectNode();
        copy(object, doc, "apiVersion");
        copy(object, doc, "kind");
        ObjectNode meta = doc.putObject("metadata");
        copy(object.path("metadata"), meta, "name");
        copy(object.path("metadata"), meta, "labels");
        copy(object, doc, "spec");
        return doc;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null) {
            to.set(field, value);
        }
    }

    private static boolean deleting(JsonNode object) {
        JsonNode at = object.path("metadata").path("deletionTimestamp");
        return at.isTextual() && !at.asText().isEmpty();
    }

    /** Whether an update leaves everything the validator looks at as it was. */
    private static boolean sameDocument(JsonNode object, JsonNode oldObject) {
        return oldObject.isObject() && document(object).equals(document(oldObject));
    }

    private static ObjectNode allowed() {
        ObjectNode r = JSON.createObjectNode();
        r.put("allowed", true);
        return r;
    }

    private static ObjectNode refused(int code, String reason, String message, List<Problem> problems) {
        ObjectNode r = JSON.createObjectNode();
        r.put("allowed", false);
        ObjectNode status = r.putObject("status");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("code", code);
        status.put("reason", reason);
        status.put("message", message);
        if (!problems.isEmpty()) {
            ArrayNode causes = status.putObject("details").putArray("causes");
            for (Problem p : problems) {
                causes.addObject().put("reason", "FieldValueInvalid").put("field", p.path()).put("message", p.message());
            }
        }
        return r;
    }
}
