package dev.skewless.store;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where App and AppVersion records live.
 *
 * <p>Specs and statuses are written separately: {@link #applyApp}/{@link #applyVersion} change
 * only metadata and spec, {@link #writeAppStatus}/{@link #writeVersionStatus} only status, so a
 * release manager's edit and the controller's status write never overwrite each other.
 *
 * <p>Generations: a store bumps {@code metadata.generation} whenever a spec actually changes and
 * leaves it alone for an identical apply (apply is idempotent). It sets
 * {@code metadata.creationTimestamp} on first write.
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface VersionStore {

    /** All Apps, ordered by name. */
    List<App> listApps();

    /** One App. */
    Optional<App> getApp(String name);

    /** All versions of an App, ordered by creation time (oldest first), then name. */
    List<AppVersion> listVersions(String app);

    /** One version. */
    Optional<AppVersion> getVersion(VersionKey key);

    /**
     * Creates or updates an App's spec and labels, keeping its status.
     *
     * @param app the record; if {@code metadata.generation} is non-zero it must equal the stored
     *            generation (optimistic concurrency)
     * @return the stored record (with generation and creation time)
     * @throws StoreConflictException when the expected generation does not match
     */
    App applyApp(App app);

    /**
     * Creates or updates a version's spec, keeping its status. Same rules as {@link #applyApp}.
     *
     * @throws StoreConflictException when the expected generation does not match, or the App does
     *                                not exist
     */
    AppVersion applyVersion(AppVersion version);

    /**
     * Replaces an App's status.
     *
     * @throws StoreConflictException when the App no longer exists
     */
    void writeAppStatus(String app, AppStatus status);

    /**
     * Replaces a version's status.
     *
     * @throws StoreConflictException when the version no longer exists
     */
    void writeVersionStatus(VersionKey key, AppVersionStatus status);

    /**
     * Subscribes to changes. The listener receives the name of the App whose App or AppVersion
     * record changed (spec or status); it must return quickly. Delivery is at-least-once and may
     * coalesce; consumers treat it as a hint to reconcile, never as the data itself.
     *
     * @return closing it stops delivery
     */
    AutoCloseable watch(Consumer<String> listener);
}
