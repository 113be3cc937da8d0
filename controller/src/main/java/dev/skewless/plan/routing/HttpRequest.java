package dev.skewless.plan.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The parts of an HTTP request routing looks at.
 *
 * @param host    the Host header without port (may be null)
 * @param path    the path without the query string, starting with {@code /}
 * @param headers header name (any case) to its values in order
 * @param query   query parameters in the order they appear (a key may repeat)
 */
public record HttpRequest(String host, String path, Map<String, List<String>> headers, List<QueryParam> query) {
    public HttpRequest {
        Objects.requireNonNull(path, "path");
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
                var all = new java.util.ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            }));
        }
        headers = java.util.Collections.unmodifiableMap(h);
        query = query == null ? List.of() : List.copyOf(query);
    }

    /** Values of a header, matched case-insensitively as HTTP and ALB do; empty when absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), headers.getOrDefault(name, List.of()));
    }

    /** One query parameter; value is "" for {@code ?key} without {@code =}. */
    public record QueryParam(String key, String value) {
        public QueryParam {
            Objects.requireNonNull(key, "key");
            value = value == null ? "" : value;
        }
    }
}
