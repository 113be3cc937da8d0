package dev.skewless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skewless.api.ControllerServer;
import dev.skewless.store.kubernetes.AppResource;
import dev.skewless.store.kubernetes.AppVersionResource;
import dev.skewless.store.kubernetes.KubernetesRecords;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * The operator's story on a real kube-apiserver with AWS on moto: the CRDs installed, the
 * operator started as {@code skewless operator} composes it, records written as the CLI writes
 * them. An App and v1 go Live with the printer columns' fields filled; v2 goes live and v1 is
 * Superseded yet still reached by its pin on the listener; v1 revoked drains and retires with
 * its resources gone; the App deleted takes every AWS resource it owned with it before its
 * finalizer goes, and a foreign rule on the listener stays. Beside it, an App whose records do not
 * validate gets {@code Valid=False} naming every problem, and never reaches AWS.
 */
@Tag("kubernetes")
class OperatorStoryTest {
    private static KubeApiServer kube;
    private static int tests;

    /** Each test has its own namespace: records a test leaves behind (held by finalizers) never meet the next one. */
    private String namespace;
    private OperatorWorld world;
    private ControllerServer.Running<SkewlessOperator> server;
    private KubernetesClient k;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void apiServer() {
        kube = KubeApiServer.start();
        try (KubernetesClient admin = kube.client()) {
            SkewlessCrds.install(admin);
        }
    }

    @AfterAll
    static void stopApiServer() {
        kube.close();
    }

    @BeforeEach
    void start() {
        namespace = "story-" + ++tests;
        world = new OperatorWorld(kube, namespace);
        k = world.admin;
        server = world.startOperator("story-operator", () -> { });
        world.closeLater(server);
    }

    @AfterEach
    void stop() {
        world.close();
        http.close();
    }

    private static ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
    }

    @Test
    void releaseSupersedeRevokeAndDeleteAnApp() throws Exception {
        await(Duration.ofSeconds(60)).until(() -> get("/health/readiness").statusCode() == 200);

        // App + v1 -> Live, with what the printer columns show filled in.
        world.applyApp("shop");
        world.applyVersion("shop", "v1");
        await(Duration.ofMinutes(3)).until(() -> {
            world.registerTargets();
            return "Live".equals(phase("v1")) && "v1".equals(app().getStatus().path("liveVersion").asText(null))
                    && "True".equals(condition(version("v1").getStatus(), "Synced")) && "True".equals(condition(app().getStatus(), "Synced"));
        });
        AppVersionResource v1 = version("v1");
        assertThat(v1.getSpec().path("app").asText()).isEqualTo("shop");
        assertThat(v1.getStatus().path("runningCount").asInt()).isEqualTo(2);
        assertThat(v1.getStatus().path("desiredCount").asInt()).isEqualTo(2);
        assertThat(condition(v1.getStatus(), "Synced")).isEqualTo("True");
        assertThat(v1.getStatus().path("message").isTextual()).isTrue();
        assertThat(condition(app().getStatus(), "Synced")).isEqualTo("True");
        assertThat(app().getMetadata().getFinalizers()).contains(KubernetesRecords.FINALIZER);
        assertThat(v1.getMetadata().getFinalizers()).contains(KubernetesRecords.FINALIZER);
        String v1TargetGroup = v1.getStatus().path("resources").path("targetGroupArn").asText();
        assertThat(v1TargetGroup).startsWith("arn:aws:elasticloadbalancing:");
        await(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(reasons("shop.v1")).contains("Admitted", "Live");
            assertThat(reasons("shop")).contains("Released");
        });

        // v2 -> live; v1 Superseded and still reached by its pin.
        world.applyVersion("shop", "v2");
        await(Duration.ofMinutes(3)).until(() -> {
            world.registerTargets();
            return "Live".equals(phase("v2")) && "Superseded".equals(phase("v1"));
        });
        assertThat(pinRuleTo("v1", v1TargetGroup)).as("v1's pin rule on the listener").isTrue();
        await(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reasons("shop.v1")).contains("Superseded"));
        assertThat(reasons("shop.v1")).as("one event per transition, not per pass")
                .filteredOn("Live"::equals).hasSize(1);

        // v1 revoked -> Draining -> Retired, its resources gone.
        world.revoke("shop", "v1");
        Set<String> seen = new TreeSet<>();
        await(Duration.ofMinutes(3)).until(() -> {
            seen.add(phase("v1"));
            return "Retired".equals(phase("v1"));
        });
        assertThat(seen).contains("Draining", "Retired");
        assertThat(world.owned("shop")).noneMatch(r -> r.endsWith(" v1"));
        assertThat(world.elb.describeTargetGroups().targetGroups()).noneMatch(t -> t.targetGroupArn().equals(v1TargetGroup));

        // A rule skewless does not own, on the same listener.
        String foreign = world.elb.createRule(b -> b.listenerArn(world.account.listenerArn).priority(900)
                .conditions(c -> c.field("path-pattern").values("/legacy/*"))
                .actions(a -> a.type("fixed-response").fixedResponseConfig(f -> f.statusCode("200")))).rules().getFirst().ruleArn();

        // The App deleted -> every AWS resource it owned gone, then the finalizer released.
        assertThat(world.owned("shop")).isNotEmpty();
        k.resources(AppResource.class).inNamespace(namespace).withName("shop").delete();
        await(Duration.ofMinutes(3)).until(() -> k.resources(AppResource.class).inNamespace(namespace).withName("shop").get() == null);
        assertThat(world.owned("shop")).as("AWS resources of the deleted App").isEmpty();
        assertThat(world.rules()).extracting(Rule::ruleArn).containsExactly(foreign);
        assertThat(version("v2").getMetadata().getFinalizers()).as("nothing left to hold the version for")
                .doesNotContain(KubernetesRecords.FINALIZER);

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("skewless_lease_held 1.0", "skewless_reconcile_duration_seconds_bucket{app=\"shop\"",
                "skewless_aws_calls_total{", "operator_sdk_");
    }

    @Test
    void recordsThatDoNotValidateAreMarkedAndNeverReachAws() throws Exception {
        await(Duration.ofSeconds(60)).until(() -> get("/health/readiness").statusCode() == 200);
        // Written with kubectl while no webhook checks records: fields the CRD preserves (spec is open) but no record has.
        AppResource blog = KubernetesRecords.resource(world.app("blog", "latest", new dev.skewless.model.PriorityRange(300, 399),
                List.of("/blog/*")));
        blog.getSpec().with("router").put("prioritys", "300-399");
        k.resource(blog).create();
        AppVersionResource bad = KubernetesRecords.resource(new dev.skewless.model.AppVersion(
                dev.skewless.model.ObjectMeta.ofVersion("blog", "b1"),
                new dev.skewless.model.AppVersionSpec("repo/blog:b1", 256, 512, 1, 8080, Map.of(), Map.of(), null, null, false), null));
        bad.getSpec().put("replicas", 3);
        k.resource(bad).create();

        await(Duration.ofSeconds(60)).untilAsserted(() -> {
            String appMessage = validMessage(k.resources(AppResource.class).inNamespace(namespace).withName("blog").get().getStatus());
            assertThat(appMessage).contains("App blog: spec.router.prioritys", "AppVersion blog.b1: spec.replicas");
            assertThat(validMessage(k.resources(AppVersionResource.class).inNamespace(namespace).withName("blog.b1").get().getStatus()))
                    .contains("spec.replicas").doesNotContain("prioritys");
        });
        assertThat(reasons("blog")).contains("Invalid");
        // The App's pass never ran: no reconcile of it, no resource tagged for it.
        assertThat(get("/metrics").body()).doesNotContain("skewless_reconcile_duration_seconds_count{app=\"blog\"");
        assertThat(world.owned("blog")).isEmpty();

        // Fixed with an apply: the condition goes and the App goes on.
        world.cli.applyApp(world.app("blog", "latest", new dev.skewless.model.PriorityRange(300, 399), List.of("/blog/*")));
        world.cli.applyVersion(new dev.skewless.model.AppVersion(dev.skewless.model.ObjectMeta.ofVersion("blog", "b1"),
                new dev.skewless.model.AppVersionSpec("repo/blog:b1", 256, 512, 1, 8080, Map.of(), Map.of(), null, null, false), null));
        await(Duration.ofMinutes(3)).until(() -> {
            world.registerTargets();
            AppVersionResource b1 = k.resources(AppVersionResource.class).inNamespace(namespace).withName("blog.b1").get();
            return "Live".equals(b1.getStatus().path("phase").asText(null)) && validMessage(b1.getStatus()) == null;
        });
        assertThat(validMessage(k.resources(AppResource.class).inNamespace(namespace).withName("blog").get().getStatus())).isNull();
    }

    // ---------------------------------------------------------------- helpers

    private AppResource app() {
        return k.resources(AppResource.class).inNamespace(namespace).withName("shop").get();
    }

    private AppVersionResource version(String id) {
        return k.resources(AppVersionResource.class).inNamespace(namespace).withName("shop." + id).get();
    }

    private String phase(String id) {
        AppVersionResource v = version(id);
        return v == null || v.getStatus() == null ? null : v.getStatus().path("phase").asText(null);
    }

    private static String condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    private static String validMessage(JsonNode status) {
        return RecordValidity.invalidMessage(status);
    }

    /** Reasons of the events recorded on a record, oldest first. */
    private List<String> reasons(String name) {
        List<String> out = new ArrayList<>();
        for (Event e : k.v1().events().inNamespace(namespace).list().getItems()) {
            if (name.equals(e.getInvolvedObject().getName())) {
                out.add(e.getReason());
            }
        }
        return out;
    }

    /** Whether a listener rule sends requests pinned to {@code version} (header carrier) to {@code targetGroup}. */
    private boolean pinRuleTo(String version, String targetGroup) {
        for (Rule r : world.rules()) {
            boolean pinned = r.conditions().stream().anyMatch(c -> "http-header".equals(c.field())
                    && c.httpHeaderConfig().values().stream().anyMatch(v -> v.equalsIgnoreCase(version)));
            boolean forwards = r.actions().stream().anyMatch(a -> targetGroup.equals(a.targetGroupArn())
                    || (a.forwardConfig() != null && a.forwardConfig().targetGroups().stream().anyMatch(t -> targetGroup.equals(t.targetGroupArn()))));
            if (pinned && forwards) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
