package dev.skewless.model;

/** Constants naming the record schema; kept in one place so the manifest reader and writers agree. */
public final class ApiVersion {
    /** The only apiVersion this build reads and writes. */
    public static final String V1ALPHA1 = "skewless.dev/v1alpha1";
    /** {@code kind} of an {@link App} manifest. */
    public static final String KIND_APP = "App";
    /** {@code kind} of an {@link AppVersion} manifest. */
    public static final String KIND_APP_VERSION = "AppVersion";

    private ApiVersion() {}
}
