package dev.skewless.router.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An in-process backend that answers as one version: every response carries
 * {@code x-deployment-id: <name>}; {@code /stream} sends a first line, waits for
 * {@link #releaseStream()}, then a second; a request with a body is answered with the number of
 * bytes received; anything else with JSON naming the backend, the path, the raw query and the
 * headers it got.
 */
final class VersionBackend implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final HttpServer server;
    private final CountDownLatch stream = new CountDownLatch(1);

    VersionBackend(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<port>}, as the platform reports targets. */
    URI uri() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    void releaseStream() {
        stream.countDown();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("x-deployment-id", name);
            String path = ex.getRequestURI().getRawPath();
            if (path.endsWith("/stream")) {
                ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write(("data: first from " + name + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    stream.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write(("data: second from " + name + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.close();
                return;
            }
            long received = 0;
            try (InputStream in = ex.getRequestBody()) {
                byte[] buffer = new byte[65536];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received += n;
                }
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("backend", name);
            body.put("method", ex.getRequestMethod());
            body.put("path", path);
            body.put("query", ex.getRequestURI().getRawQuery());
            body.put("received", received);
            ObjectNode headers = body.putObject("headers");
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(" | ", v)));
            byte[] bytes = JSON.writeValueAsBytes(body);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        stream.countDown();
        server.stop(0);
    }
}
