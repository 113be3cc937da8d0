package dev.skewless.model;

import java.util.Objects;

/**
 * How a client pins itself to a version. The carriers are checked in a fixed order: header, then
 * query parameter, then cookie.
 *
 * @param header    request header carrying the version id ({@code x-deployment-id}, what Next.js
 *                  sends when {@code deploymentId} is set)
 * @param query     query parameter carrying the version id ({@code dpl}, for WebSocket and
 *                  EventSource URLs that cannot carry headers)
 * @param cookie    cookie carrying the version id, or null (off by default: cookies are shared
 *                  between tabs, so one tab's reload would re-pin the others)
 * @param onExpired what a pin to a version that is no longer routable gets
 */
public record RoutingSpec(String header, String query, String cookie, OnExpired onExpired) {
    /** Default header carrier. */
    public static final String DEFAULT_HEADER = "x-deployment-id";
    /** Default query carrier. */
    public static final String DEFAULT_QUERY = "dpl";
    /** The defaults: header and query carriers, no cookie, reject expired pins. */
    public static final RoutingSpec DEFAULT = new RoutingSpec(DEFAULT_HEADER, DEFAULT_QUERY, null, OnExpired.REJECT);

    public RoutingSpec {
        header = header == null ? DEFAULT_HEADER : header;
        query = query == null ? DEFAULT_QUERY : query;
        onExpired = Objects.requireNonNullElse(onExpired, OnExpired.REJECT);
    }

    /** Whether the cookie carrier is enabled. */
    public boolean cookieEnabled() {
        return cookie != null && !cookie.isEmpty();
    }
}
