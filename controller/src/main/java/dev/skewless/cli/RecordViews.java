package dev.skewless.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.manifest.ManifestWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How records are shown: tables for people, JSON and YAML (the manifest format) for scripts. */
final class RecordViews {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private RecordViews() {}

    /** Output formats of {@code get}. */
    enum Format {
        table, json, yaml
    }

    /** Apps as a table; {@code versions} gives each App's versions (for the count). */
    static String appsTable(List<App> apps, Map<String, List<AppVersion>> versions, Instant now) {
        TextTable t = new TextTable("NAME", "LIVE", "WANTED", "CANARY", "VERSIONS", "RETAINED", "SYNCED", "AGE", "MESSAGE");
        for (App a : apps) {
            List<AppVersion> all = versions.getOrDefault(a.name(), List.of());
            // Every record counts in VERSIONS; RETAINED is what pins can still reach.
            long retained = all.stream().filter(v -> v.status().phase().routable()).count();
            t.row(a.name(), a.status().liveVersion(), a.spec().release().live(), canary(a), Integer.toString(all.size()), Long.toString(retained),
                    synced(a.status().conditions()), TimeText.age(a.metadata().creationTimestamp(), now), a.status().message());
        }
        return t.render();
    }

    /** Versions as a table, in the order given; {@code apps} marks canaries. */
    static String versionsTable(List<AppVersion> versions, Map<String, App> apps, Instant now) {
        TextTable t = new TextTable("APP", "VERSION", "PHASE", "TASKS", "SYNCED", "AGE", "EXPIRES", "MESSAGE");
        for (AppVersion v : versions) {
            t.row(v.app(), v.id(), phase(v, apps.get(v.app())), tasks(v), synced(v.status().conditions()),
                    TimeText.age(v.metadata().creationTimestamp(), now), TimeText.relative(v.status().expiresAt(), now), v.status().message());
        }
        return t.render();
    }

    /** Records as JSON: always an array, so scripts need not care how many matched. */
    static String json(List<App> apps, List<AppVersion> versions) {
        try {
            JsonNode written = JSON.readTree(ManifestWriter.write(ManifestWriter.Format.JSON, apps, versions));
            ArrayNode array = written.isArray() ? (ArrayNode) written : JSON.createArrayNode().add(written);
            return JSON.writeValueAsString(array) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ManifestWriter wrote JSON Jackson cannot read back", e);
        }
    }

    /** Records as YAML documents (what {@code apply -f} reads back). */
    static String yaml(List<App> apps, List<AppVersion> versions) {
        if (apps.isEmpty() && versions.isEmpty()) {
            return "";
        }
        return ManifestWriter.write(ManifestWriter.Format.YAML, apps, versions);
    }

    /** The phase, with why it left service, a pending revoke, or canary duty. */
    static String phase(AppVersion v, App app) {
        Phase p = v.status().phase();
        boolean leaving = p == Phase.Draining || p == Phase.Retired;
        if (leaving && v.status().expiryReason() != null) {
            return p + " (" + v.status().expiryReason() + ")";
        }
        if (v.spec().revoked() && !leaving) {
            return p + " (revoking)";
        }
        if (app != null && v.id().equals(app.status().canaryVersion())) {
            return p + " (canary " + app.status().canaryWeight() + "%)";
        }
        return p.name();
    }

    /** {@code running/desired}. Before the controller has sized a version, desired is its spec's count. */
    static String tasks(AppVersion v) {
        Phase p = v.status().phase();
        int desired = v.status().desiredCount() > 0 || p == Phase.Draining || p == Phase.Retired || p == Phase.Failed
                ? v.status().desiredCount() : v.spec().desiredCount();
        return v.status().runningCount() + "/" + desired;
    }

    static String synced(List<Condition> conditions) {
        return Conditions.find(conditions, Condition.SYNCED).map(c -> c.status().name()).orElse("-");
    }

    static String canary(App a) {
        if (a.status().canaryVersion() != null) {
            return a.status().canaryVersion() + " " + a.status().canaryWeight() + "%";
        }
        ReleaseSpec.Canary wanted = a.spec().release().canary();
        if (wanted != null && wanted.version() != null && wanted.weight() > 0) {
            return wanted.version() + " " + wanted.weight() + "% (not yet)";
        }
        return "-";
    }
}
