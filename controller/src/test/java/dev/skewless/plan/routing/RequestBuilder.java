package dev.skewless.plan.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link HttpRequest}s for tests: {@code RequestBuilder.get("/api/x").header("a", "b").build()}. */
public final class RequestBuilder {
    private final String path;
    private String host = "app.example.com";
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final List<HttpRequest.QueryParam> query = new ArrayList<>();

    private RequestBuilder(String path) {
        this.path = path;
    }

    public static RequestBuilder get(String path) {
        return new RequestBuilder(path);
    }

    public RequestBuilder host(String value) {
        host = value;
        return this;
    }

    public RequestBuilder header(String name, String... values) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    public RequestBuilder navigation() {
        return header(RoutingTable.NAVIGATION_HEADER, RoutingTable.NAVIGATION_VALUE);
    }

    /** A query parameter; a null value is {@code ?key} without {@code =}. */
    public RequestBuilder query(String key, String value) {
        query.add(new HttpRequest.QueryParam(key, value));
        return this;
    }

    public RequestBuilder cookie(String header) {
        return header("Cookie", header);
    }

    public HttpRequest build() {
        return new HttpRequest(host, path, headers, query);
    }
}
