package dev.skewless.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes-style metadata shared by both record kinds.
 *
 * @param name              the App name (a short DNS label) or the AppVersion id (in a document an
 *                          AppVersion's {@code metadata.name} is {@code <app>.<version>}: the
 *                          manifest reader and writer map it, decision 035)
 * @param app               for an AppVersion, the App it belongs to ({@code spec.app} in a
 *                          document); {@code null} for an App
 * @param labels            free-form labels, never interpreted by the controller
 * @param generation        bumped by the store on every spec change; status carries the
 *                          generation it last acted on ({@code observedGeneration})
 * @param creationTimestamp set by the store when the record is first written; orders versions
 *                          ("newest") and is {@code null} only in a manifest not yet stored
 * @param deletionTimestamp when deletion of the record was asked for while its cloud resources are
 *                          still being removed (a Kubernetes record held by the operator's
 *                          finalizer); {@code null} for a record nobody is deleting, and always in
 *                          the DynamoDB and embedded stores
 */
public record ObjectMeta(
        String name, String app, Map<String, String> labels, long generation, Instant creationTimestamp,
        Instant deletionTimestamp) {

    public ObjectMeta {
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Metadata of a record nobody is deleting. */
    public ObjectMeta(String name, String app, Map<String, String> labels, long generation, Instant creationTimestamp) {
        this(name, app, labels, generation, creationTimestamp, null);
    }

    /** Whether deletion was asked for and the record waits for its cloud resources to go. */
    public boolean deleting() {
        return deletionTimestamp != null;
    }

    /** Copy marked as being deleted since {@code since}. */
    public ObjectMeta deletingSince(Instant since) {
        return new ObjectMeta(name, app, labels, generation, creationTimestamp, Objects.requireNonNull(since, "since"));
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
        return new ObjectMeta(name, app, labels, newGeneration, created, deletionTimestamp);
    }
}
