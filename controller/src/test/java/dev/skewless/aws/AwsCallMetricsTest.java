package dev.skewless.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.platform.ecs.EcsComputePlatform;
import dev.skewless.router.alb.AlbTrafficRouter;
import dev.skewless.testing.MotoServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The call counter sees every attempt with its outcome, and the providers turn injected 429s and
 * 503s into THROTTLED and TRANSIENT. WireMock sits in front of moto: it proxies everything and
 * answers chosen operations with faults.
 */
class AwsCallMetricsTest {
    private static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113.";
    private static final String THROTTLED_JSON = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";

    private WireMockServer proxy;
    private MotoAccount account;

    @BeforeEach
    void setUp() {
        proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        proxy.start();
        proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(MotoServer.shared().endpoint().toString())));
        account = MotoAccount.via(URI.create(proxy.baseUrl()));
    }

    @AfterEach
    void tearDown() {
        account.close();
        proxy.stop();
    }

    @Test
    void countsOkThrottledAndErrorPerOperation() {
        proxy.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo(ECS_TARGET + "ListClusters"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(THROTTLED_JSON)));
        proxy.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo(ECS_TARGET + "DescribeClusters"))
                .willReturn(aResponse().withStatus(503).withBody("{}")));
        try (EcsClient ecs = account.clients.ecs()) {
            ecs.createCluster(b -> b.clusterName("c"));
            assertThatThrownBy(ecs::listClusters);
            assertThatThrownBy(() -> ecs.describeClusters(b -> b.clusters("c")));
        }
        assertThat(account.metrics.count("ECS", "CreateCluster", "ok")).isEqualTo(1);
        assertThat(account.metrics.count("ECS", "ListClusters", "throttled")).isEqualTo(1);
        assertThat(account.metrics.count("ECS", "DescribeClusters", "error")).isEqualTo(1);
        assertThat(account.registry.find(AwsCallMetrics.CALLS).counters()).hasSize(3);
    }

    @Test
    void retriedAttemptsAreEachCounted() {
        proxy.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo(ECS_TARGET + "ListClusters"))
                .inScenario("flaky").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(THROTTLED_JSON)));
        try (AwsClientFactory retrying = new AwsClientFactory(MotoAccount.settings(URI.create(proxy.baseUrl())).withMaxAttempts(3),
                account.metrics); EcsClient ecs = retrying.ecs()) {
            assertThat(ecs.listClusters().clusterArns()).isEmpty();
        }
        assertThat(account.metrics.count("ListClusters", "throttled")).isEqualTo(1);
        assertThat(account.metrics.count("ListClusters", "ok")).isEqualTo(1);
    }

    @Test
    void theTokenBucketPacesEachOperation() {
        CallRates slow = new CallRates(20, 1, 20, 1);
        try (AwsClientFactory paced = new AwsClientFactory(MotoAccount.settings(MotoServer.shared().endpoint()).withRates(slow),
                account.metrics); EcsClient ecs = paced.ecs()) {
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                ecs.listClusters();
            }
            ecs.createCluster(b -> b.clusterName("own-bucket"));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            // 1 token at once, then 1 per 50 ms: the 4 later ListClusters wait ~200 ms; CreateCluster has its own bucket.
            assertThat(elapsedMs).isGreaterThanOrEqualTo(180);
        }
        assertThat(account.metrics.count("ListClusters", "ok")).isEqualTo(5);
    }

    @Test
    void providersReportInjectedThrottlingAndServerErrorsByKind() {
        account.withNetwork();
        proxy.stubFor(post(anyUrl()).atPriority(1).withHeader("X-Amz-Target", equalTo(ECS_TARGET + "ListServices"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(THROTTLED_JSON)));
        proxy.stubFor(post(anyUrl()).atPriority(1).withRequestBody(containing("Action=DescribeRules"))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "text/xml").withBody(
                        "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>injected</Message></Error></ErrorResponse>")));
        App app = new App(new ObjectMeta("shop", null, Map.of(), 1, null), new AppSpec(
                new PlatformSpec("apps", List.of(account.subnetA), List.of(account.securityGroup), "arn:aws:iam::123456789012:role/x", null,
                        null, false, 1),
                new RouterSpec(account.listenerArn, new PriorityRange(1, 10), List.of("/api/*"), List.of(), null, false, null),
                null, null, null, null), null);

        try (EcsClient ecs = account.clients.ecs()) {
            assertThatThrownBy(() -> new EcsComputePlatform(ecs, account.clients.applicationAutoScaling(), null).observe(app)).isInstanceOfSatisfying(ActionException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
                assertThat(e.code()).isEqualTo("ThrottlingException");
            });
        }
        assertThatThrownBy(() -> new AlbTrafficRouter(account.clients.elbv2(), null).observe(app))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
                    assertThat(e.code()).isEqualTo("ServiceUnavailable");
                });
        assertThat(account.metrics.count("ListServices", "throttled")).isEqualTo(1);
        assertThat(account.metrics.count("DescribeRules", "error")).isEqualTo(1);
    }
}
