package dev.skewless.model;

import java.util.Objects;

/**
 * One release of an App's backend. Gets its own ECS service, target group and pin rules while it
 * is retained.
 *
 * @param metadata {@link ObjectMeta#app()} names the App, {@link ObjectMeta#name()} is the version id
 *                 ({@code [A-Za-z0-9._-]{1,64}}), the value clients pin to; in a document they are
 *                 {@code spec.app} and {@code metadata.name: <app>.<version>} (decision 035)
 * @param spec     what to run
 * @param status   what the controller last reported; {@link AppVersionStatus#PENDING} until then
 */
public record AppVersion(ObjectMeta metadata, AppVersionSpec spec, AppVersionStatus status) {
    public AppVersion {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(metadata.app(), "metadata.app");
        Objects.requireNonNull(spec, "spec");
        status = status == null ? AppVersionStatus.PENDING : status;
    }

    /** The App this version belongs to. */
    public String app() {
        return metadata.app();
    }

    /** The version id. */
    public String id() {
        return metadata.name();
    }

    /** The version's key. */
    public VersionKey key() {
        return new VersionKey(metadata.app(), metadata.name());
    }

    /** Copy with another status. */
    public AppVersion withStatus(AppVersionStatus newStatus) {
        return new AppVersion(metadata, spec, newStatus);
    }

    /** Copy with other metadata (used by stores). */
    public AppVersion withMetadata(ObjectMeta newMetadata) {
        return new AppVersion(newMetadata, spec, status);
    }
}
