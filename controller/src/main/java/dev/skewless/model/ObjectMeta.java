package dev.skewless.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes-style metadata shared by both record kinds.
 *
 * @param name              the App name (a short DNS label) or the AppVersion id
 * @param app               for an AppVersion, the App it belongs to; {@code null} for an App
 * @param labels            free-form labels, never interpreted by the controller
 * @param generation        bumped by the store on every spec change; status carries the
 *                          generation it last acted on ({@code observedGeneration})
 * @param creationTimestamp set by the store when the record is first written; orders versions
 *                          ("newest") and is {@code null} only in a manifest not yet stored
 */
public record ObjectMeta(
        String name, String app, Map<String, String> labels, long generation, Instant creationTimestamp) {

    public ObjectMeta {
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Metadata of an App as written in a manifest (no generation or timestamp yet). */
    public static ObjectMeta ofApp(String name) {
        return new ObjectMeta(name, null, Map.of(), 0, null);
    }

    /** Metadata of an AppVersion as written in a manifest. */
    public static ObjectMeta ofVersion(String app, String version) {
        return new ObjectMeta(version, app, Map.of(), 0, null);
    }

    /** Copy with the store-managed fields set. */
    public ObjectMeta stored(long newGeneration, Instant created) {
        return new ObjectMeta(name, app, labels, newGeneration, created);
    }
}
