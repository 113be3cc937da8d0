package dev.skewless.model;

/** What a request pinned to a version that is no longer routable gets. */
public enum OnExpired {
    /** HTTP 410 with a JSON body naming the live version, so the client can offer a reload. */
    REJECT,
    /** Silently forwarded to the live version (for APIs that are backward compatible). */
    FALLBACK
}
