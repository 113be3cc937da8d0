package dev.skewless.model;

import java.util.Locale;
import java.util.Map;

/**
 * How the files of a web build are served, the same in {@code skewless dev} (the local router)
 * and on AWS (the objects {@code deploy:web} uploads for CloudFront): hashed assets are cached for
 * good, everything else is revalidated, and each file's Content-Type follows its extension.
 */
public final class WebAssets {
    /** Cache-Control of a content-hashed asset: its name changes whenever its bytes do. */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Cache-Control of {@code index.html} and other unhashed files: always revalidated. */
    public static final String NO_CACHE = "no-cache";
    /** Content-Type of a file whose extension is not known. */
    public static final String UNKNOWN_TYPE = "application/octet-stream";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"));

    private WebAssets() {}

    /** The Content-Type of a file (or S3 key) by its extension; {@link #UNKNOWN_TYPE} otherwise. */
    public static String contentType(String fileName) {
        int slash = fileName.lastIndexOf('/');
        int dot = fileName.lastIndexOf('.');
        return dot <= slash ? UNKNOWN_TYPE : TYPES.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN_TYPE);
    }
}
