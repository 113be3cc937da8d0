package dev.skewless.router.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Forwards one exchange to an upstream and streams the answer back, as a reverse proxy does:
 * request and response bodies are streamed (an EventSource stays open and flows), end-to-end
 * headers pass unchanged ({@code x-deployment-id} included), hop-by-hop headers are dropped, and
 * {@code X-Forwarded-For/-Proto/-Host/-Port} tell the upstream who asked.
 */
final class Forwarding implements AutoCloseable {
    /** RFC 9110 hop-by-hop headers, plus ones the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "host", "content-length", "expect", "http2-settings");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "content-length", "date", ":status");
    private static final int BUFFER = 16 * 1024;

    private final HttpClient client;

    Forwarding(Duration connectTimeout) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * Sends the exchange's request to {@code target} (scheme, host, port, path and query already
     * chosen) and writes the upstream's response to the exchange. A failure to reach the
     * upstream is answered 502 (or 504 for a connect timeout) with a JSON body, as a load balancer
     * answers.
     *
     * @param what names the upstream in errors (a version, the status API)
     */
    void forward(HttpExchange exchange, URI target, String what) throws IOException {
        HttpRequest request = request(exchange, target);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            Responses.json(exchange, 504, "gateway_timeout", "No answer from " + what + " in time.");
            return;
        } catch (ConnectException e) {
            Responses.json(exchange, 502, "bad_gateway", "Cannot reach " + what + ".");
            return;
        } catch (IOException e) {
            Responses.json(exchange, 502, "bad_gateway", "Lost the connection to " + what + ": " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + what, e);
        }
        try (InputStream body = response.body()) {
            Headers out = exchange.getResponseHeaders();
            response.headers().map().forEach((name, values) -> {
                if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                    out.put(name, values);
                }
            });
            int status = response.statusCode();
            boolean noBody = exchange.getRequestMethod().equalsIgnoreCase("HEAD") || status == 204 || status == 304
                    || (status >= 100 && status < 200);
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            // The JDK server: -1 means no body, 0 means chunked, n means exactly n bytes.
            exchange.sendResponseHeaders(status, noBody || length == 0 ? -1 : Math.max(length, 0));
            if (!noBody) {
                copyFlushing(body, exchange.getResponseBody());
            }
        }
    }

    private HttpRequest request(HttpExchange exchange, URI target) {
        Headers in = exchange.getRequestHeaders();
        long length = parseLength(in.getFirst("Content-Length"));
        boolean hasBody = length > 0 || in.containsKey("Transfer-Encoding");
        HttpRequest.BodyPublisher body = !hasBody ? HttpRequest.BodyPublishers.noBody()
                : length > 0
                        ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody), length)
                        : HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).method(exchange.getRequestMethod(), body).expectContinue(false);
        Set<String> named = connectionTokens(in);
        for (Map.Entry<String, List<String>> h : in.entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(lower) || named.contains(lower) || lower.startsWith("x-forwarded-")) {
                continue;
            }
            for (String value : h.getValue()) {
                try {
                    b.header(h.getKey(), value);
                } catch (IllegalArgumentException e) {
                    // a header the JDK client refuses to send (restricted or malformed): dropped
                }
            }
        }
        String client = exchange.getRemoteAddress().getAddress().getHostAddress();
        String forwardedFor = in.getFirst("X-Forwarded-For");
        b.header("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
        b.header("X-Forwarded-Proto", firstOr(in, "X-Forwarded-Proto", "http"));
        String host = in.getFirst("Host");
        b.header("X-Forwarded-Host", firstOr(in, "X-Forwarded-Host", host == null ? "" : host));
        b.header("X-Forwarded-Port", firstOr(in, "X-Forwarded-Port", Integer.toString(exchange.getLocalAddress().getPort())));
        return b.build();
    }

    private static String firstOr(Headers h, String name, String fallback) {
        String v = h.getFirst(name);
        return v == null ? fallback : v;
    }

    /** Headers named in {@code Connection} are hop-by-hop too. */
    private static Set<String> connectionTokens(Headers in) {
        List<String> values = in.get("Connection");
        if (values == null) {
            return Set.of();
        }
        return values.stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(t -> t.strip().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty())
                .collect(java.util.stream.Collectors.toSet());
    }

    private static long parseLength(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Copies as data arrives, flushing each piece, so streamed responses reach the client at once. */
    static void copyFlushing(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        out.close();
    }

    @Override
    public void close() {
        client.close();
    }

    /** Small JSON answers of the router itself. */
    static final class Responses {
        private Responses() {}

        static void json(HttpExchange exchange, int status, String error, String message) throws IOException {
            send(exchange, status, "application/json", "{\"error\":\"" + escape(error) + "\",\"message\":\"" + escape(message) + "\"}");
        }

        static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
            exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
            if (!head && bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }

        static String escape(String s) {
            StringBuilder out = new StringBuilder(s.length());
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.toString();
        }
    }
}
