package dev.skewless.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.RecordValidator;
import dev.skewless.model.validation.Subject;
import dev.skewless.store.kubernetes.AppResource;
import dev.skewless.store.kubernetes.AppVersionResource;
import dev.skewless.store.kubernetes.KubernetesRecords;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether an App and its versions, as stored in the cluster, are records skewless can act on: each
 * binds (no unknown field, wrong type or missing field) and passes {@link RecordValidator}, the
 * per-record rules and the cross-record ones (against the Apps that were there first). A record
 * written with {@code kubectl} while no validating webhook is installed can fail this; then the
 * App's pass does not run at all (nothing for that App reaches AWS) and the records carry a
 * {@code Valid=False} condition listing every problem with its field path. Other Apps go on.
 *
 * <p>Pure apart from reading the clock handed in: the reconciler writes what this computes.
 */
final class RecordValidity {
    /** Condition type; present only while False (a valid record carries none, as Shadowed). */
    static final String VALID = "Valid";
    /** Reason of {@code Valid=False}. */
    static final String REASON = "InvalidSpec";

    private RecordValidity() {}

    /**
     * Every problem of one App's records.
     *
     * @param app      problems of the App itself (labelled {@code App shop: spec...})
     * @param versions problems of each version, by resource name (labelled {@code AppVersion shop.v1: spec...})
     */
    record Verdict(List<Problem> app, Map<String, List<Problem>> versions) {
        Verdict {
            app = List.copyOf(app);
            versions = Map.copyOf(versions);
        }

        boolean valid() {
            return app.isEmpty() && versions.values().stream().allMatch(List::isEmpty);
        }

        /** Every problem, the App's first: what the App's condition lists. */
        List<Problem> all() {
            List<Problem> out = new ArrayList<>(app);
            versions.values().forEach(out::addAll);
            return List.copyOf(out);
        }
    }

    /**
     * Checks one App's records.
     *
     * @param app         the App's resource
     * @param versions    its AppVersion resources
     * @param earlierApps Apps that were there before this one (other Apps sharing a listener are
     *                    checked against these only, so of two overlapping Apps the later one is
     *                    refused, as {@code skewless apply} would have refused it)
     * @param nameTakenBy the namespace of an older App with the same name in another watched
     *                    namespace, or null: AWS resources are named after the App, so one name
     *                    cannot serve two Apps
     */
    static Verdict check(AppResource app, List<AppVersionResource> versions, List<App> earlierApps, String nameTakenBy) {
        String appLabel = "App " + app.getMetadata().getName();
        List<Problem> appProblems = new ArrayList<>();
        if (nameTakenBy != null) {
            appProblems.add(new Problem("metadata.name", "App " + app.getMetadata().getName() + " already exists in namespace "
                    + nameTakenBy + "; AWS resources are named after the App, so an App name must be unique across the namespaces "
                    + "the operator watches. Rename this App").under(appLabel));
        }
        KubernetesRecords.Bound<App> boundApp = KubernetesRecords.app(app);
        boundApp.problems().forEach(p -> appProblems.add(p.under(appLabel)));

        Map<String, List<Problem>> versionProblems = new LinkedHashMap<>();
        List<Subject> subjects = new ArrayList<>();
        boundApp.value().ifPresent(a -> subjects.add(new Subject.OfApp(appLabel, a)));
        for (AppVersionResource v : versions) {
            String label = "AppVersion " + v.getMetadata().getName();
            KubernetesRecords.Bound<AppVersion> bound = KubernetesRecords.version(v);
            versionProblems.put(v.getMetadata().getName(), new ArrayList<>(bound.problems().stream().map(p -> p.under(label)).toList()));
            bound.value().ifPresent(b -> subjects.add(new Subject.OfVersion(label, b)));
        }

        List<Problem> checked;
        if (boundApp.valid()) {
            List<App> others = earlierApps.stream().filter(a -> !a.name().equals(app.getMetadata().getName())).toList();
            checked = RecordValidator.validate(subjects, others, List.of());
        } else {
            // Without the App, cross-record rules would only say it is missing; the per-record ones still apply.
            checked = subjects.stream().flatMap(s -> RecordValidator.check(s).stream()).toList();
        }
        for (Problem p : checked) {
            if (p.path().startsWith(appLabel + ":") || p.path().equals(appLabel)) {
                appProblems.add(p);
                continue;
            }
            versionProblems.entrySet().stream().filter(e -> p.path().startsWith("AppVersion " + e.getKey() + ":")
                    || p.path().equals("AppVersion " + e.getKey())).findFirst()
                    .ifPresentOrElse(e -> e.getValue().add(p), () -> appProblems.add(p));
        }
        return new Verdict(appProblems, versionProblems);
    }

    /** One line listing every problem: the condition's message. */
    static String message(List<Problem> problems) {
        return (problems.size() == 1 ? "1 problem: " : problems.size() + " problems: ")
                + String.join("; ", problems.stream().map(Problem::toString).toList());
    }

    /**
     * {@code status} (null for none yet) with {@code Valid=False} listing {@code problems}; its
     * transition time stays when it was already False. Other conditions and fields are kept.
     */
    static ObjectNode invalid(JsonNode status, List<Problem> problems, Instant now) {
        Objects.requireNonNull(problems, "problems");
        ObjectNode out = status instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
        String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode c : out.path("conditions")) {
            if (VALID.equals(c.path("type").asText())) {
                if ("False".equals(c.path("status").asText()) && c.hasNonNull("lastTransitionTime")) {
                    since = c.get("lastTransitionTime").asText();
                }
                continue;
            }
            conditions.add(c);
        }
        ObjectNode valid = conditions.addObject();
        valid.put("type", VALID);
        valid.put("status", "False");
        valid.put("reason", REASON);
        valid.put("message", message(problems));
        valid.put("lastTransitionTime", since);
        out.set("conditions", conditions);
        return out;
    }

    /** {@code status} without its {@code Valid} condition (the record is valid again). */
    static ObjectNode cleared(JsonNode status) {
        ObjectNode out = status instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
        for (JsonNode c : out.path("conditions")) {
            if (!VALID.equals(c.path("type").asText())) {
                conditions.add(c);
            }
        }
        out.set("conditions", conditions);
        return out;
    }

    /** Whether {@code status} carries {@code Valid=False}, and with which message (null when none). */
    static String invalidMessage(JsonNode status) {
        if (status == null) {
            return null;
        }
        for (JsonNode c : status.path("conditions")) {
            if (VALID.equals(c.path("type").asText()) && "False".equals(c.path("status").asText())) {
                return c.path("message").asText();
            }
        }
        return null;
    }
}
