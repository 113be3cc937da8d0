package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.platform.local.LocalComputePlatform.TaskView;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.router.local.LocalRouterConfig;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import dev.skewless.testing.LocalProcesses;
import dev.skewless.testing.LocalRuntime;
import dev.skewless.testing.SampleRecords;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Most of {@code ./skewless dev} without the CLI: the real planner and engine on the embedded
 * store drive local processes and the local router. A version goes live and a pinned request
 * reaches its process; a second version goes live while the first stays reachable by its pins;
 * the first expires and its pins get the 410; a restart resumes from the store.
 */
class LocalRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private final List<ProcessHandle> processes = new ArrayList<>();
    private LocalRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            processes.addAll(runtime.platform().processes());
            runtime.close();
        }
        assertThat(processes).as("processes left behind").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void versionsGoLiveStayPinnedExpireAndSurviveARestart() throws Exception {
        runtime = start();
        EmbeddedVersionStore store = runtime.store();
        store.applyApp(app(Duration.ofHours(1)));
        store.applyVersion(version("v1"));

        await().until(() -> phase("v1") == Phase.Live);
        JsonNode pinned = json(get("/api/items", "v1"));
        assertThat(pinned.get("version").asText()).isEqualTo("v1");
        assertThat(runtime.platform().tasks()).filteredOn(t -> t.version().equals("v1")).extracting(TaskView::pid)
                .contains(pinned.get("pid").asLong());
        assertThat(json(get("/api/items", null)).get("version").asText()).isEqualTo("v1");

        // v2 ships; release follows latest, so it goes live once healthy; v1 stays for its pins.
        store.applyVersion(version("v2"));
        await().until(() -> phase("v2") == Phase.Live && phase("v1") == Phase.Superseded);
        await().until(() -> json(get("/api/items", null)).get("version").asText().equals("v2"));
        assertThat(json(get("/api/items", "v1")).get("version").asText()).isEqualTo("v1");
        assertThat(json(get("/api/items?dpl=v1", null)).get("version").asText()).isEqualTo("v1");
        HttpResponse<String> gone = get("/api/items", "v0");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).isEqualTo(RoutingTable.expiredResponse("shop", "v2").body());

        // The release manager shortens retention: v1 expires, drains, and its process stops.
        store.applyApp(app(Duration.ofSeconds(1)));
        await().until(() -> phase("v1") == Phase.Retired);
        HttpResponse<String> expired = get("/api/items", "v1");
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(JSON.readTree(expired.body()).get("live").asText()).isEqualTo("v2");
        await().until(() -> runtime.platform().tasks().stream().noneMatch(t -> t.version().equals("v1")));
        assertThat(Files.list(dir.resolve("logs/shop/v1")).toList()).isNotEmpty();

        // Stop everything, then start again on the same directory: same records, same statuses,
        // and the live version serves again from new processes.
        List<AppVersion> before = store.listVersions("shop");
        processes.addAll(runtime.platform().processes());
        runtime.close();
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        try (EmbeddedVersionStore reopened = EmbeddedVersionStore.open(dir.resolve("store"))) {
            assertThat(reopened.listVersions("shop")).isEqualTo(before);
        }
        runtime = start();
        await().until(() -> get("/api/items", "v2").statusCode() == 200);
        assertThat(json(get("/api/items", "v2")).get("version").asText()).isEqualTo("v2");
        await().until(() -> phase("v2") == Phase.Live);
        assertThat(get("/api/items", "v1").statusCode()).isEqualTo(410);
    }

    @Test
    void aSecondRuntimeOnTheSameDirectoryIsRefused() {
        runtime = start();
        try {
            start();
            throw new AssertionError("a second runtime started");
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).contains("another skewless dev is running");
        }
    }

    // ---- helpers ----

    private LocalRuntime start() {
        return LocalRuntime.start(dir, dir, LocalRouterConfig.loopback(), Duration.ofMillis(300));
    }

    private Phase phase(String version) {
        return runtime.store().getVersion(new VersionKey("shop", version)).map(v -> v.status().phase()).orElse(null);
    }

    private HttpResponse<String> get(String path, String pin) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(runtime.router().uri().resolve(path)).timeout(Duration.ofSeconds(20));
        if (pin != null) {
            b.header("x-deployment-id", pin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static App app(Duration retention) {
        return new App(ObjectMeta.ofApp("shop"), new AppSpec(SampleRecords.platform(),
                new RouterSpec(SampleRecords.LISTENER, new PriorityRange(1000, 1099), List.of("/api/*"), List.of(), Duration.ofSeconds(1),
                        false, null),
                null,
                new RetentionSpec(retention, Duration.ofSeconds(1), Duration.ofDays(1), null, 10),
                ReleaseSpec.LATEST,
                new LocalSpec(LocalProcesses.versionServerCommand(), Map.of("PORT", "${PORT}", "VERSION", "${VERSION}"))), null);
    }

    private static AppVersion version(String id) {
        return new AppVersion(ObjectMeta.ofVersion("shop", id), new AppVersionSpec("repo/api:" + id, 256, 512, 1, 8080, Map.of(), Map.of(),
                new HealthCheckSpec("/health", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 2, "200"), null, false), null);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }
}
