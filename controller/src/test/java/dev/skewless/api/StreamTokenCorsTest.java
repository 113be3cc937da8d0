package dev.skewless.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.service.ControllerRuntime;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingVersionStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event stream, the bearer token and CORS, through real HTTP. */
class StreamTokenCorsTest {
    private static final String TOKEN = "s3cret-token";
    private static final String ORIGIN = "https://dash.example.com";

    private TestingVersionStore store;
    private ControllerServer.Running<ControllerRuntime> server;
    private ApiClient api;
    private final List<AutoCloseable> streams = new ArrayList<>();

    @BeforeEach
    void start() {
        store = new TestingVersionStore(InstantSource.system());
        store.applyApp(SampleRecords.app("shop"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.applyApp(SampleRecords.app("blog", 300, 399));
        server = ControllerServer.start(StatusApiTest.standby(store), new ServerOptions(0, TOKEN, List.of(ORIGIN),
                Duration.ofMillis(200)));
        api = new ApiClient(server.uri());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : streams) {
            s.close();
        }
        api.close();
        server.close();
    }

    @Test
    void versionAndAppChangesAndDecisionsAreStreamedForTheChosenApp() throws Exception {
        BlockingQueue<String> lines = open("/api/v1/stream?app=shop");
        assertThat(next(lines, l -> l.equals(": heartbeat"))).isNotNull();

        store.applyVersion(SampleRecords.version("blog", "b1")); // another App: filtered out
        store.writeVersionStatus(new VersionKey("shop", "v1"), StatusApiTest.status(Phase.Live, null));
        JsonNode app = data(lines, "app");
        assertThat(app.get("name").asText()).isEqualTo("shop");
        assertThat(app.get("phaseCounts").toString()).isEqualTo("{\"Live\":1}");
        JsonNode version = data(lines, "version");
        assertThat(version.get("app").asText()).isEqualTo("shop");
        assertThat(version.get("version").asText()).isEqualTo("v1");
        assertThat(version.get("phase").asText()).isEqualTo("Live");
        assertThat(version.get("rulePriorities").toString()).isEqualTo("[101,102]");

        server.runtime().events().decided(new ReconcileObserver.Decision(StatusApiTest.T, "blog", "b1", "CreateService", "ok", "x"));
        server.runtime().events().decided(new ReconcileObserver.Decision(StatusApiTest.T, "shop", "v1", "CreateRule", "ok", "pin rule"));
        JsonNode event = data(lines, "event");
        assertThat(event.toString()).isEqualTo("{\"time\":\"2026-11-25T10:00:00Z\",\"app\":\"shop\",\"version\":\"v1\","
                + "\"action\":\"CreateRule\",\"outcome\":\"ok\",\"message\":\"pin rule\"}");
    }

    @Test
    void everyApiCallNeedsTheTokenButHealthAndMetricsDoNot() {
        StatusApiTest.assertProblem(api.get("/api/v1/apps"), 401, "this API needs 'Authorization: Bearer <token>' (SKEWLESS_API_TOKEN)");
        StatusApiTest.assertProblem(api.get("/api/v1/apps", "Authorization", "Bearer wrong"), 401, "wrong bearer token");
        StatusApiTest.assertProblem(api.get("/api/v1/stream"), 401, "this API needs 'Authorization: Bearer <token>' (SKEWLESS_API_TOKEN)");
        StatusApiTest.assertProblem(api.get("/api/v1/openapi.yaml", "Authorization", "Basic " + TOKEN), 401, "wrong bearer token");
        assertThat(api.get("/api/v1/apps", "Authorization", "Bearer wrong").headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(api.json("/api/v1/apps", "Authorization", "Bearer " + TOKEN).get("items")).hasSize(2);
        assertThat(api.get("/health/liveness").statusCode()).isEqualTo(200);
        assertThat(api.get("/health/readiness").statusCode()).isEqualTo(503); // a standby, but answered without a token
        assertThat(api.get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void theDashboardOriginMayCallTheApiFromABrowser() {
        HttpResponse<String> preflight = api.send("OPTIONS", "/api/v1/apps", "Origin", ORIGIN, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(ORIGIN);
        HttpResponse<String> get = api.get("/api/v1/apps", "Origin", ORIGIN, "Authorization", "Bearer " + TOKEN);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("access-control-allow-origin")).hasValue(ORIGIN);
        HttpResponse<String> other = api.get("/api/v1/apps", "Origin", "https://evil.example.net", "Authorization", "Bearer " + TOKEN);
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    /** Opens the stream with the token; its lines go to the queue. */
    private BlockingQueue<String> open(String path) throws Exception {
        HttpRequest request = api.builder(path, "Authorization", "Bearer " + TOKEN, "Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(2)).GET().build();
        HttpResponse<Stream<String>> response = api.http().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (RuntimeException e) {
                // closed by the test
            }
        });
        streams.add(() -> {
            response.body().close();
            reader.interrupt();
        });
        return lines;
    }

    /** The next line matching, skipping others (waits up to 20 s per line, never a timed assertion). */
    private static String next(BlockingQueue<String> lines, java.util.function.Predicate<String> matching) throws InterruptedException {
        while (true) {
            String line = lines.poll(20, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the stream went quiet");
            }
            if (matching.test(line)) {
                return line;
            }
        }
    }

    /** The data of the next event named {@code name}; fails on any other named event first. */
    private static JsonNode data(BlockingQueue<String> lines, String name) throws InterruptedException {
        String eventLine = next(lines, l -> l.startsWith("event:"));
        assertThat(eventLine.substring("event:".length()).strip()).isEqualTo(name);
        String data = next(lines, l -> l.startsWith("data:"));
        return ApiClient.parse(data.substring("data:".length()).strip());
    }
}
