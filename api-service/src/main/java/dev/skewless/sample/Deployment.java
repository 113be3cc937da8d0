package dev.skewless.sample;

import java.util.Objects;

/**
 * The running version as the request handlers see it.
 *
 * @param id     the version id ({@code DEPLOYMENT_ID}), answered in {@code x-deployment-id}
 * @param schema the API shape served under {@code /api}
 */
public record Deployment(String id, ApiSchema schema) {
    /** The response header every answer carries; the router pins on the same name. */
    public static final String HEADER = "x-deployment-id";

    public Deployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(schema, "schema");
    }
}
