package dev.skewless.router.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.App;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.AppSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.router.TrafficRouter;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local router over real HTTP, with in-process backends standing in for version tasks. */
class LocalTrafficRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path web;

    private final TestingClock clock = new TestingClock();
    private final Map<String, VersionBackend> backends = new HashMap<>();
    private final Map<String, String> groups = new HashMap<>();
    private VersionBackend status;
    private LocalTrafficRouter router;

    @BeforeEach
    void start() throws IOException {
        build("v1", "aaa111");
        build("v2", "bbb222");
        status = new VersionBackend("status-api");
        router = new LocalTrafficRouter(LocalRouterConfig.loopback().withWeb(web, "shop").withStatusUpstream(status.uri()), clock).start();
        router.observe(app("shop", 100));
        for (String v : List.of("v1", "v2")) {
            VersionBackend b = new VersionBackend(v);
            backends.put(v, b);
            String group = router.createTargetGroup(targetGroup("shop", v));
            groups.put(v, group);
            router.updateTargets(group, Map.of(b.uri(), true));
        }
        router.install("shop", table("v2", List.of("v2", "v1"), null));
    }

    @AfterEach
    void stop() {
        router.close();
        backends.values().forEach(VersionBackend::close);
        status.close();
    }

    // ---- routing ----

    @Test
    void pinnedByHeaderGoesToThatVersionWithHeadersKeptAndForwardedHeadersAdded() throws Exception {
        HttpResponse<String> r = send(get("/api/items?x=1").header("x-deployment-id", "v1").header("X-Custom", "kept"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-deployment-id")).contains("v1");
        assertThat(body.get("backend").asText()).isEqualTo("v1");
        assertThat(body.get("path").asText()).isEqualTo("/api/items");
        assertThat(body.get("query").asText()).isEqualTo("x=1");
        JsonNode h = body.get("headers");
        assertThat(h.get("x-deployment-id").asText()).isEqualTo("v1");
        assertThat(h.get("x-custom").asText()).isEqualTo("kept");
        assertThat(h.get("x-forwarded-for").asText()).isEqualTo("127.0.0.1");
        assertThat(h.get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(h.get("x-forwarded-host").asText()).isEqualTo(router.uri().getAuthority());
        assertThat(h.get("x-forwarded-port").asText()).isEqualTo(Integer.toString(router.uri().getPort()));
    }

    @Test
    void pinnedByQueryUnpinnedAndNavigations() throws Exception {
        assertThat(backendOf(send(get("/api/events?dpl=v1&since=3")))).isEqualTo("v1");
        assertThat(JSON.readTree(send(get("/api/events?dpl=v1&since=3")).body()).get("query").asText()).isEqualTo("dpl=v1&since=3");
        assertThat(backendOf(send(get("/api/items")))).isEqualTo("v2");
        // A full page load is never pinned.
        assertThat(backendOf(send(get("/api/items").header("x-deployment-id", "v1").header("Sec-Fetch-Mode", "navigate"))))
                .isEqualTo("v2");
        // The header wins over the query parameter.
        assertThat(backendOf(send(get("/api/items?dpl=v2").header("x-deployment-id", "v1")))).isEqualTo("v1");
    }

    @Test
    void heldTrafficIsAnswered503WithRetryAfterWhileTheStatusApiStaysReachable() throws Exception {
        router.holdTraffic("restoring shop/v1");
        HttpResponse<String> pinned = send(get("/api/items").header("x-deployment-id", "v1"));
        assertThat(pinned.statusCode()).isEqualTo(503);
        assertThat(pinned.headers().firstValue("retry-after")).contains("1");
        assertThat(JSON.readTree(pinned.body()).get("error").asText()).isEqualTo("starting");
        assertThat(JSON.readTree(pinned.body()).get("message").asText()).isEqualTo("restoring shop/v1");
        assertThat(send(get("/")).statusCode()).isEqualTo(503);
        assertThat(backendOf(send(get("/_skewless/api/v1/apps")))).isEqualTo("status-api");

        router.releaseTraffic();
        assertThat(backendOf(send(get("/api/items").header("x-deployment-id", "v1")))).isEqualTo("v1");
    }

    @Test
    void anExpiredPinGetsThe410NamingLive() throws Exception {
        HttpResponse<String> r = send(get("/api/items").header("x-deployment-id", "v0"));
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        assertThat(r.body()).isEqualTo(RoutingTable.expiredResponse("shop", "v2").body());
        assertThat(JSON.readTree(r.body()).get("live").asText()).isEqualTo("v2");
    }

    @Test
    void withNoLiveVersionUnpinnedRequestsGet503() throws Exception {
        router.install("shop", table(null, List.of("v1"), null));
        HttpResponse<String> r = send(get("/api/items"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo(RoutingTable.noLiveResponse("shop").body());
        assertThat(backendOf(send(get("/api/items").header("x-deployment-id", "v1")))).isEqualTo("v1");
    }

    @Test
    void aCanarySplitSendsUnpinnedTrafficToBothAndPinsStillDecide() throws Exception {
        router.install("shop", table("v2", List.of("v2", "v1"), new RoutingTable.CanarySplit("v1", 50)));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100 && seen.size() < 2; i++) {
            seen.add(backendOf(send(get("/api/items"))));
        }
        assertThat(seen).containsExactlyInAnyOrder("v1", "v2");
        for (int i = 0; i < 20; i++) {
            assertThat(backendOf(send(get("/api/items").header("x-deployment-id", "v2")))).isEqualTo("v2");
        }
        router.install("shop", table("v2", List.of("v2", "v1"), new RoutingTable.CanarySplit("v1", 0)));
        for (int i = 0; i < 20; i++) {
            assertThat(backendOf(send(get("/api/items")))).isEqualTo("v2");
        }
    }

    @Test
    void forwardsRoundRobinToHealthyTargetsOnly() throws Exception {
        try (VersionBackend second = new VersionBackend("v2-second")) {
            router.updateTargets(groups.get("v2"), Map.of(backends.get("v2").uri(), true, second.uri(), true));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                seen.add(backendOf(send(get("/api/items"))));
            }
            assertThat(seen).containsExactlyInAnyOrder("v2", "v2-second");

            router.updateTargets(groups.get("v2"), Map.of(backends.get("v2").uri(), false, second.uri(), true));
            for (int i = 0; i < 4; i++) {
                assertThat(backendOf(send(get("/api/items")))).isEqualTo("v2-second");
            }
            router.updateTargets(groups.get("v2"), Map.of(backends.get("v2").uri(), false));
            HttpResponse<String> none = send(get("/api/items"));
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(none.body()).get("error").asText()).isEqualTo("no_healthy_target");
        }
    }

    @Test
    void aTargetThatDoesNotAnswerIsA502() throws Exception {
        URI dead = backends.get("v1").uri();
        backends.get("v1").close();
        router.updateTargets(groups.get("v1"), Map.of(dead, true));
        HttpResponse<String> r = send(get("/api/items").header("x-deployment-id", "v1"));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("bad_gateway");
    }

    @Test
    void bodiesStreamBothWays() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(router.uri().resolve("/api/upload"))
                .header("x-deployment-id", "v1").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(upload.body()).get("received").asLong()).isEqualTo(big.length);
        assertThat(JSON.readTree(upload.body()).get("method").asText()).isEqualTo("POST");

        // The first event arrives through the router while the backend still holds the response open.
        HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(router.uri().resolve("/api/stream?dpl=v1")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.headers().firstValue("content-type")).contains("text/event-stream");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("data: first from v1");
            backends.get("v1").releaseStream();
            assertThat(reader.readLine()).isEmpty();
            assertThat(reader.readLine()).isEqualTo("data: second from v1");
        }
    }

    @Test
    void appsAreAskedInTheOrderOfTheirPriorityRanges() throws Exception {
        // A second App scoped to the same paths but with a lower range takes the request first, as
        // its rules would on the ALB.
        router.observe(app("early", 50));
        String group = router.createTargetGroup(targetGroup("early", "e1"));
        try (VersionBackend e1 = new VersionBackend("e1")) {
            router.updateTargets(group, Map.of(e1.uri(), true));
            router.install("early", new RoutingTable("early", RoutingSpec.DEFAULT, List.of("/api/early/*"), List.of(), false, "e1", null,
                    List.of("e1")));
            assertThat(backendOf(send(get("/api/early/x")))).isEqualTo("e1");
            assertThat(backendOf(send(get("/api/items")))).isEqualTo("v2");
            router.forget("early");
            assertThat(backendOf(send(get("/api/early/x")))).isEqualTo("v2");
        }
    }

    // ---- static builds, status API, unmatched ----

    @Test
    void navigationsGetTheLiveIndexAndOldHashedAssetsStayReachable() throws Exception {
        HttpResponse<String> index = send(get("/").header("Sec-Fetch-Mode", "navigate"));
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("build v2");
        assertThat(index.headers().firstValue("cache-control")).contains("no-cache");
        assertThat(index.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        // Client-side routes get the same page.
        assertThat(send(get("/orders/42")).body()).contains("build v2");

        HttpResponse<String> oldAsset = send(get("/assets/app-aaa111.js"));
        assertThat(oldAsset.statusCode()).isEqualTo(200);
        assertThat(oldAsset.body()).isEqualTo("console.log('v1')");
        assertThat(oldAsset.headers().firstValue("cache-control")).contains("public, max-age=31536000, immutable");
        assertThat(oldAsset.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(send(get("/assets/app-bbb222.js")).body()).isEqualTo("console.log('v2')");
        assertThat(send(get("/assets/app-ccc333.js")).statusCode()).isEqualTo(404);
        assertThat(send(get("/favicon.svg")).body()).isEqualTo("<svg>v2</svg>");

        // v1 retired: its assets go with it; promoting v1 back would serve its page again.
        router.install("shop", table("v2", List.of("v2"), null));
        assertThat(send(get("/assets/app-aaa111.js")).statusCode()).isEqualTo(404);
        router.install("shop", table("v1", List.of("v1", "v2"), null));
        assertThat(send(get("/")).body()).contains("build v1");
    }

    @Test
    void staticPathsCannotLeaveTheBuilds() throws Exception {
        Files.writeString(web.resolve("secret.txt"), "secret");
        for (String path : List.of("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt")) {
            RawHttp.Response r = RawHttp.send(router.uri(), "GET", path, List.of("Host: localhost"));
            assertThat(r.body()).as(path).doesNotContain("secret");
        }
        assertThat(send(HttpRequest.newBuilder(router.uri().resolve("/x")).POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode())
                .isEqualTo(405);
    }

    @Test
    void aLiveVersionWithoutAWebBuildIsAClear503() throws Exception {
        router.install("shop", table("v3", List.of("v3"), null));
        HttpResponse<String> r = send(get("/"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("no_web_build").contains("v3");
    }

    @Test
    void theStatusApiIsForwardedWithThePrefixStripped() throws Exception {
        JsonNode apps = JSON.readTree(send(get("/_skewless/api/apps?watch=1")).body());
        assertThat(apps.get("backend").asText()).isEqualTo("status-api");
        assertThat(apps.get("path").asText()).isEqualTo("/api/apps");
        assertThat(apps.get("query").asText()).isEqualTo("watch=1");
        assertThat(JSON.readTree(send(get("/_skewless")).body()).get("path").asText()).isEqualTo("/");
        // Even a pinned request: the prefix is the router's own.
        assertThat(backendOf(send(get("/_skewless/x").header("x-deployment-id", "v1")))).isEqualTo("status-api");
    }

    @Test
    void withoutWebBuildsWhatNoAppMatchesIs404() throws Exception {
        try (LocalTrafficRouter plain = new LocalTrafficRouter(LocalRouterConfig.loopback(), clock).start()) {
            plain.install("shop", table("v2", List.of("v2"), null));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(plain.uri().resolve("/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(HTTP.send(HttpRequest.newBuilder(plain.uri().resolve("/_skewless/x")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);
        }
    }

    // ---- the planner's view ----

    @Test
    void observesLikeAnAlbAndKeepsItsConstraints() throws Exception {
        App shop = app("shop", 100);
        String listener = shop.spec().router().listenerArn();
        Map<String, String> tags = OwnershipTags.forApp(OwnershipTags.DEFAULT_OWNER, "shop");
        ListenerRuleSpec pin = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/api/*"))),
                AlbAction.Forward.to(groups.get("v1")));
        String rule = router.createRule(listener, 100, pin, tags);
        assertThatThrownBy(() -> router.createRule(listener, 100, pin, tags)).isInstanceOfSatisfying(ActionException.class,
                e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.CONFLICT));
        String other = router.createRule(listener, 101, pin, tags);
        assertThatThrownBy(() -> router.setRulePriorities(listener, Map.of(other, 100))).isInstanceOfSatisfying(ActionException.class,
                e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.CONFLICT));
        router.setRulePriorities(listener, Map.of(other, 100, rule, 101)); // a swap is fine
        assertThatThrownBy(() -> router.deleteTargetGroup(groups.get("v1"))).isInstanceOfSatisfying(ActionException.class,
                e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.CONFLICT));
        assertThat(router.createTargetGroup(targetGroup("shop", "v1"))).isEqualTo(groups.get("v1"));

        TrafficRouter.Observation seen = router.observe(shop);
        assertThat(seen.listener().arn()).isEqualTo(listener);
        assertThat(seen.listener().defaultAction()).isEqualTo(LocalTrafficRouter.NOT_FOUND);
        assertThat(seen.listener().rules()).extracting(r -> r.arn() + "@" + r.priority()).containsExactly(other + "@100", rule + "@101");
        assertThat(seen.listener().loadBalancerTargetGroupCount()).isEqualTo(1);
        ObservedTargetGroup v1 = seen.targetGroups().stream().filter(t -> t.arn().equals(groups.get("v1"))).findFirst().orElseThrow();
        assertThat(v1.registeredTargets()).isEqualTo(1);
        assertThat(v1.healthyTargets()).isEqualTo(1);
        assertThat(seen.lastRequestAt()).containsEntry(new VersionKey("shop", "v1"), TestingClock.START);

        clock.advance(Duration.ofMinutes(5));
        send(get("/api/x").header("x-deployment-id", "v1"));
        assertThat(router.observe(shop).lastRequestAt()).containsEntry(new VersionKey("shop", "v1"), TestingClock.START.plusSeconds(300))
                .containsEntry(new VersionKey("shop", "v2"), TestingClock.START);

        router.deleteRule(rule);
        router.deleteRule(other);
        router.deleteRule(other); // gone is fine
        router.deleteTargetGroup(groups.get("v1"));
        router.deleteTargetGroup(groups.get("v1"));
        assertThat(router.observe(shop).targetGroups()).extracting(ObservedTargetGroup::arn).containsExactly(groups.get("v2"));
        assertThatThrownBy(() -> router.modifyRule(rule, pin)).isInstanceOfSatisfying(ActionException.class,
                e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> router.createTargetGroup(new TargetGroupSpec("-bad-", 80, null, listener, HealthCheckSpec.DEFAULT,
                Duration.ZERO, Map.of()))).isInstanceOf(ActionException.class);
    }

    @Test
    void parsesRequestsAsTheAlbSeesThem() {
        assertThat(LocalTrafficRouter.hostWithoutPort("App.Example.com:8080")).isEqualTo("App.Example.com");
        assertThat(LocalTrafficRouter.hostWithoutPort("[::1]:80")).isEqualTo("[::1]");
        assertThat(LocalTrafficRouter.hostWithoutPort("")).isEmpty();
        assertThat(LocalTrafficRouter.hostWithoutPort(null)).isNull();
        assertThat(LocalTrafficRouter.query("a=1&b&&c=%20x&d=%zz&dpl=v1.2"))
                .extracting(q -> q.key() + "=" + q.value())
                .containsExactly("a=1", "b=", "c= x", "d=%zz", "dpl=v1.2");
    }

    // ---- helpers ----

    private void build(String version, String hash) throws IOException {
        Path dir = Files.createDirectories(web.resolve(version).resolve("assets"));
        Files.writeString(web.resolve(version).resolve("index.html"), "<html><body>build " + version
                + "<script src=\"/assets/app-" + hash + ".js\"></script></body></html>");
        Files.writeString(dir.resolve("app-" + hash + ".js"), "console.log('" + version + "')");
        Files.writeString(web.resolve(version).resolve("favicon.svg"), "<svg>" + version + "</svg>");
    }

    static App app(String name, int firstPriority) {
        return new App(ObjectMeta.ofApp(name), new AppSpec(SampleRecords.platform(),
                new RouterSpec(SampleRecords.LISTENER, new PriorityRange(firstPriority, firstPriority + 49), List.of("/api/*"), List.of(),
                        Duration.ofSeconds(1), false, null), null, null, null, null), null);
    }

    static TargetGroupSpec targetGroup(String app, String version) {
        VersionKey key = new VersionKey(app, version);
        return new TargetGroupSpec(ResourceNames.targetGroup(key), 8080, null, SampleRecords.LISTENER, HealthCheckSpec.DEFAULT,
                Duration.ofSeconds(1), OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, key));
    }

    private static RoutingTable table(String live, List<String> routable, RoutingTable.CanarySplit canary) {
        return new RoutingTable("shop", RoutingSpec.DEFAULT, List.of("/api/*"), List.of(), false, live, canary, new ArrayList<>(routable));
    }

    private HttpRequest.Builder get(String pathAndQuery) {
        return HttpRequest.newBuilder(router.uri().resolve(pathAndQuery)).timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String backendOf(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("backend").asText();
    }
}
