package dev.skewless.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.model.VersionResources;
import dev.skewless.service.ControllerRuntime;
import dev.skewless.service.SoleLeaderLease;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingVersionStore;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint's shape and errors, through real HTTP. The replica is a standby (its lease is
 * never acquired), so nothing but the seeded records is in the store, and the answers show that a
 * standby serves reads from the store.
 */
class StatusApiTest {
    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    static final Set<String> SUMMARY_FIELDS = Set.of("name", "liveVersion", "canary", "versionCount", "phaseCounts", "conditions",
            "lastReconcileTime");
    static final Set<String> VERSION_FIELDS = Set.of("app", "version", "phase", "live", "canaryWeight", "revoked", "image",
            "generation", "observedGeneration", "desiredCount", "runningCount", "createdAt", "readyAt", "supersededAt", "expiresAt",
            "drainingSince", "expiryReason", "lastReconcileTime", "message", "conditions", "resources", "rulePriorities");

    static TestingVersionStore store;
    static ControllerServer.Running<ControllerRuntime> server;
    static ApiClient api;

    @BeforeAll
    static void start() {
        store = new TestingVersionStore(InstantSource.system());
        App shop = SampleRecords.fullApp(); // live v2, canary v3 20%, routing x-build/build, fallback
        store.applyApp(new App(dev.skewless.model.ObjectMeta.ofApp("shop"), shop.spec(), null));
        store.writeAppStatus("shop", shop.status());
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.applyVersion(SampleRecords.version("shop", "v2"));
        store.applyVersion(SampleRecords.version("shop", "v3"));
        store.writeVersionStatus(new VersionKey("shop", "v1"), status(Phase.Superseded, T.plusSeconds(86400)));
        store.writeVersionStatus(new VersionKey("shop", "v2"), status(Phase.Live, null));
        store.writeVersionStatus(new VersionKey("shop", "v3"), status(Phase.Ready, null));
        store.applyApp(SampleRecords.app("blog", 300, 399));
        server = ControllerServer.start(standby(store), ServerOptions.DEFAULT.withPort(0));
        api = new ApiClient(server.uri());
    }

    /** A replica whose lease is closed before it starts: it never leads. */
    static ControllerRuntime standby(TestingVersionStore records) {
        SoleLeaderLease lease = new SoleLeaderLease("standby");
        lease.close();
        TestingCloud cloud = new TestingCloud(InstantSource.system());
        return ControllerRuntime.builder().store(records).lease(lease, Duration.ofMillis(100)).compute(cloud.compute())
                .router(cloud.router()).build();
    }

    static AppVersionStatus status(Phase phase, Instant expiresAt) {
        return AppVersionStatus.PENDING.toBuilder().phase(phase).runningCount(2).desiredCount(2).readyAt(T)
                .supersededAt(expiresAt == null ? null : T).expiresAt(expiresAt).lastReconcileTime(T).message(phase + " for a test")
                .conditions(List.of(new Condition(Condition.SYNCED, ConditionStatus.True, "Reconciled", "in sync", T)))
                .resources(new VersionResources("arn:tg", "arn:svc", "arn:td", List.of("arn:rule1", "arn:rule2")))
                .rulePriorities(List.of(101, 102)).build();
    }

    @AfterAll
    static void stop() {
        api.close();
        server.close();
    }

    @Test
    void listsAppsWithTheirSummaries() {
        JsonNode items = api.json("/api/v1/apps").get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("name").asText()).isEqualTo("blog");
        JsonNode blog = items.get(0);
        assertThat(fields(blog)).isEqualTo(SUMMARY_FIELDS);
        assertThat(blog.get("liveVersion").isNull()).isTrue();
        assertThat(blog.get("canary").isNull()).isTrue();
        assertThat(blog.get("versionCount").asInt()).isZero();
        assertThat(blog.get("conditions")).isEmpty();
        JsonNode shop = items.get(1);
        assertThat(shop.get("liveVersion").asText()).isEqualTo("v2");
        assertThat(shop.get("canary").get("version").asText()).isEqualTo("v3");
        assertThat(shop.get("canary").get("weight").asInt()).isEqualTo(20);
        assertThat(shop.get("versionCount").asInt()).isEqualTo(3);
        assertThat(shop.get("phaseCounts").toString()).isEqualTo("{\"Ready\":1,\"Live\":1,\"Superseded\":1}");
        assertThat(shop.get("conditions").get(0).get("type").asText()).isEqualTo("Synced");
        assertThat(shop.get("lastReconcileTime").asText()).isEqualTo("2026-11-25T10:15:30.123Z");
    }

    @Test
    void showsOneAppWithReleaseRoutingAndRetention() {
        JsonNode shop = api.json("/api/v1/apps/shop");
        Set<String> expected = new TreeSet<>(SUMMARY_FIELDS);
        expected.addAll(Set.of("release", "routing", "retention", "observedGeneration", "generation"));
        assertThat(fields(shop)).isEqualTo(expected);
        assertThat(shop.get("release").toString()).isEqualTo("{\"live\":\"v2\",\"canary\":{\"version\":\"v3\",\"weight\":20}}");
        JsonNode routing = shop.get("routing");
        assertThat(fields(routing)).isEqualTo(Set.of("header", "query", "cookie", "onExpired", "pathPatterns", "hostHeaders",
                "listenerArn", "priorities"));
        assertThat(routing.get("header").asText()).isEqualTo("x-build");
        assertThat(routing.get("cookie").isNull()).isTrue();
        assertThat(routing.get("onExpired").asText()).isEqualTo("fallback");
        assertThat(routing.get("hostHeaders").get(0).asText()).isEqualTo("shop.example.com");
        assertThat(routing.get("priorities").toString()).isEqualTo("{\"from\":1000,\"to\":1099}");
        assertThat(shop.get("retention").toString())
                .isEqualTo("{\"defaultWindow\":\"12h\",\"min\":\"30m\",\"max\":\"3d\",\"idleExpiry\":\"1h30m\",\"maxVersions\":7}");
        assertThat(shop.get("generation").asLong()).isEqualTo(1);
        assertThat(shop.get("observedGeneration").asLong()).isEqualTo(4);
    }

    @Test
    void listsVersionsNewestFirstWithEveryField() {
        JsonNode items = api.json("/api/v1/apps/shop/versions").get("items");
        assertThat(items).hasSize(3);
        assertThat(items.findValuesAsText("version")).containsExactly("v3", "v2", "v1");
        for (JsonNode v : items) {
            assertThat(fields(v)).isEqualTo(VERSION_FIELDS);
        }
        JsonNode v3 = items.get(0);
        assertThat(v3.get("phase").asText()).isEqualTo("Ready");
        assertThat(v3.get("live").asBoolean()).isFalse();
        assertThat(v3.get("canaryWeight").asInt()).isEqualTo(20);
        JsonNode v2 = items.get(1);
        assertThat(v2.get("live").asBoolean()).isTrue();
        assertThat(v2.get("canaryWeight").isNull()).isTrue();
        assertThat(v2.get("expiresAt").isNull()).isTrue();
        JsonNode v1 = items.get(2);
        assertThat(v1.get("phase").asText()).isEqualTo("Superseded");
        assertThat(v1.get("supersededAt").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(v1.get("expiresAt").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(v1.get("resources").toString()).isEqualTo(
                "{\"targetGroupArn\":\"arn:tg\",\"serviceArn\":\"arn:svc\",\"taskDefinitionArn\":\"arn:td\",\"ruleArns\":[\"arn:rule1\",\"arn:rule2\"]}");
        assertThat(v1.get("rulePriorities").toString()).isEqualTo("[101,102]");
        assertThat(v1.get("conditions").get(0).get("lastTransitionTime").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(v1.get("createdAt").isTextual()).isTrue();
        assertThat(v1.get("image").asText()).isEqualTo("repo/api:1");
    }

    @Test
    void showsOneVersion() {
        JsonNode v2 = api.json("/api/v1/apps/shop/versions/v2");
        assertThat(fields(v2)).isEqualTo(VERSION_FIELDS);
        assertThat(v2.get("phase").asText()).isEqualTo("Live");
        assertThat(v2.get("message").asText()).isEqualTo("Live for a test");
    }

    @Test
    void unknownAppsAndVersionsAre404Problems() {
        assertProblem(api.get("/api/v1/apps/nope"), 404, "no App named 'nope'");
        assertProblem(api.get("/api/v1/apps/nope/versions"), 404, "no App named 'nope'");
        assertProblem(api.get("/api/v1/apps/nope/versions/v1"), 404, "no App named 'nope'");
        assertProblem(api.get("/api/v1/apps/nope/events"), 404, "no App named 'nope'");
        assertProblem(api.get("/api/v1/apps/shop/versions/v9"), 404, "App 'shop' has no version 'v9'");
        assertProblem(api.get("/api/v1/no/such/path"), 404, "no resource at /api/v1/no/such/path");
    }

    @Test
    void theApiIsReadOnly() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            assertProblem(api.send(method, "/api/v1/apps/shop"), 405, method + " is not supported: the status API is read-only");
        }
    }

    @Test
    void eventsAreThisReplicasHistoryNewestFirstAndLimited() {
        assertThat(api.json("/api/v1/apps/blog/events").get("items")).isEmpty();
        for (int i = 1; i <= 3; i++) {
            server.runtime().events().decided(new ReconcileObserver.Decision(T.plusSeconds(i), "blog", i == 2 ? null : "v" + i,
                    "CreateService", "ok", "step " + i));
        }
        server.runtime().events().decided(new ReconcileObserver.Decision(T, "shop", "v1", "DeleteRule", "ok", "other app"));
        JsonNode items = api.json("/api/v1/apps/blog/events?limit=2").get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).toString()).isEqualTo("{\"time\":\"2026-11-25T10:00:03Z\",\"app\":\"blog\",\"version\":\"v3\","
                + "\"action\":\"CreateService\",\"outcome\":\"ok\",\"message\":\"step 3\"}");
        assertThat(items.get(1).get("version").isNull()).isTrue();
        assertThat(api.json("/api/v1/apps/blog/events").get("items")).hasSize(3);
        assertProblem(api.get("/api/v1/apps/blog/events?limit=0"), 400, "limit must be a whole number from 1 to 2000, got '0'");
        assertProblem(api.get("/api/v1/apps/blog/events?limit=lots"), 400, "limit must be a whole number from 1 to 2000, got 'lots'");
    }

    @Test
    void aStandbyIsAliveButNotReady() {
        HttpResponse<String> live = api.get("/health/liveness");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ApiClient.parse(live.body()).get("status").asText()).isEqualTo("UP");
        HttpResponse<String> ready = api.get("/health/readiness");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = ApiClient.parse(ready.body());
        assertThat(body.get("state").asText()).isEqualTo("standby");
        assertThat(body.get("storeReachable").asBoolean()).isTrue();
        assertThat(body.get("leader").asBoolean()).isFalse();
    }

    @Test
    void metricsAreExposedInPrometheusText() {
        HttpResponse<String> r = api.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("skewless_lease_held 0.0", "skewless_lease_fencing_token 0.0", "skewless_reconcile_queue_depth 0.0",
                "skewless_versions{app=\"shop\",phase=\"Live\"} 1.0", "skewless_versions{app=\"shop\",phase=\"Superseded\"} 1.0",
                "skewless_versions{app=\"blog\",phase=\"Live\"} 0.0");
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutes() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/openapi.yaml");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/yaml");
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(r.body());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties()
                .forEach(m -> documented.add(m.getKey().toUpperCase() + " /api/v1" + p.getKey())));
        Set<String> served = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : server.context().getBean(Router.class).uriRoutes().toList()) {
            String uri = route.getUriMatchTemplate().toString();
            if (uri.startsWith("/api/") && route.getHttpMethod() != HttpMethod.HEAD) {
                served.add(route.getHttpMethod().name() + " " + uri.replaceAll("\\{\\?[^}]*}", ""));
            }
        }
        assertThat(documented).isEqualTo(served);
        assertThat(served).allMatch(s -> s.startsWith(HttpMethod.GET.name() + " "));
    }

    static void assertProblem(HttpResponse<String> r, int status, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        JsonNode body = ApiClient.parse(r.body());
        assertThat(fields(body)).isEqualTo(Set.of("type", "title", "status", "detail"));
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asText()).isEqualTo(detail);
    }

    static Set<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return new TreeSet<>(names);
    }
}
