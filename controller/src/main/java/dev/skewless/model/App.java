package dev.skewless.model;

import java.util.Objects;

/**
 * One application: where its versions run ({@link AppSpec#platform()}), how the ALB routes to them
 * ({@link AppSpec#router()}, {@link AppSpec#routing()}), how long superseded versions are kept
 * ({@link AppSpec#retention()}) and which version serves unpinned traffic
 * ({@link AppSpec#release()}).
 *
 * @param metadata {@code metadata.name} is a short DNS label; it goes into AWS resource names
 * @param spec     what the release manager wants
 * @param status   what the controller last reported; {@link AppStatus#EMPTY} until then
 */
public record App(ObjectMeta metadata, AppSpec spec, AppStatus status) {
    public App {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        status = status == null ? AppStatus.EMPTY : status;
    }

    /** The App's name. */
    public String name() {
        return metadata.name();
    }

    /** Copy with another status (the spec and metadata are untouched). */
    public App withStatus(AppStatus newStatus) {
        return new App(metadata, spec, newStatus);
    }

    /** Copy with other metadata (used by stores to set generation and creation time). */
    public App withMetadata(ObjectMeta newMetadata) {
        return new App(newMetadata, spec, status);
    }
}
