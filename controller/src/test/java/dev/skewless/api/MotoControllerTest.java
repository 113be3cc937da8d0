package dev.skewless.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skewless.aws.MotoAccount;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.service.AwsProviders;
import dev.skewless.service.ControllerRuntime;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import dev.skewless.testing.MotoServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The controller composed from the AWS providers ({@link AwsProviders}, as {@code skewless
 * controller} does) against moto: records applied to the DynamoDB table as the CLI would, the
 * API shows the version going Live, and readiness follows the lease.
 */
class MotoControllerTest {
    private static final String TABLE = "skewless-service";
    private static final String CLUSTER = "apps";

    private MotoAccount account;
    private DynamoDbClient ddb;
    private EcsClient ecs;
    private ElasticLoadBalancingV2Client elb;
    private DynamoVersionStore cli;
    private ControllerServer.Running<ControllerRuntime> server;
    private ApiClient api;

    @BeforeEach
    void start() {
        account = MotoAccount.fresh().withNetwork();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        ddb = DynamoDbClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials).build();
        ecs = EcsClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials).build();
        elb = account.setupElb();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        TableSetup.create(ddb, TABLE);
        cli = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(TABLE), InstantSource.system());
        server = ControllerServer.start(
                AwsProviders.with(MotoAccount.settings(MotoServer.shared().endpoint()), Map.of("SKEWLESS_TABLE", TABLE)).build(),
                ServerOptions.DEFAULT.withPort(0));
        api = new ApiClient(server.uri());
    }

    @AfterEach
    void stop() {
        api.close();
        server.close();
        ecs.close();
        elb.close();
        ddb.close();
        account.close();
    }

    @Test
    void anAppliedVersionGoesLiveAndTheApiShowsIt() {
        awaitReady();
        cli.applyApp(new App(ObjectMeta.ofApp("shop"), new AppSpec(
                new PlatformSpec(CLUSTER, List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                        "arn:aws:iam::123456789012:role/exec", null, "/skewless/shop", false, 1),
                new RouterSpec(account.listenerArn, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(5),
                        false, null),
                null, new RetentionSpec(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofDays(1), null, 10), null, null), null));
        cli.applyVersion(new AppVersion(ObjectMeta.ofVersion("shop", "v1"),
                new AppVersionSpec("repo/api:v1", 256, 512, 2, 8080, Map.of(), Map.of(), null, null, false), null));

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            registerTargets(); // moto never registers ECS tasks in target groups; ECS would
            HttpResponse<String> r = api.get("/api/v1/apps/shop/versions/v1");
            return r.statusCode() == 200 && "Live".equals(ApiClient.parse(r.body()).get("phase").asText());
        });
        JsonNode v1 = api.json("/api/v1/apps/shop/versions/v1");
        assertThat(v1.get("live").asBoolean()).isTrue();
        assertThat(v1.get("resources").get("serviceArn").asText()).startsWith("arn:aws:ecs:");
        assertThat(v1.get("resources").get("targetGroupArn").asText()).startsWith("arn:aws:elasticloadbalancing:");
        assertThat(v1.get("rulePriorities")).isNotEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                "v1".equals(api.json("/api/v1/apps/shop").get("liveVersion").asText(null)));
        JsonNode apps = api.json("/api/v1/apps").get("items");
        assertThat(apps.get(0).get("phaseCounts").toString()).isEqualTo("{\"Live\":1}");

        JsonNode events = api.json("/api/v1/apps/shop/events?limit=500").get("items");
        Set<String> done = new HashSet<>();
        events.forEach(e -> done.add(e.get("action").asText() + ":" + e.get("outcome").asText()));
        assertThat(done).contains("CreateTargetGroup:ok", "RegisterTaskDefinition:ok", "CreateService:ok", "CreateRule:ok");

        // The gauges follow the status feed, which may publish a moment after the API answered.
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(api.get("/metrics").body()).contains("skewless_lease_held 1.0",
                "skewless_aws_calls_total{operation=\"CreateService\",outcome=\"ok\",service=\"ECS\"}",
                "skewless_reconcile_duration_seconds_bucket{app=\"shop\",outcome=\"succeeded\"",
                "skewless_reconcile_retries{app=\"shop\"}",
                "skewless_reconcile_actions_total{action=\"CreateService\",outcome=\"ok\"} 1.0",
                "skewless_versions{app=\"shop\",phase=\"Live\"} 1.0",
                "skewless_reconcile_queue_depth"));
        assertThat(api.get("/metrics").body()).doesNotContain("skewless_drift_repairs_total{");
    }

    @Test
    void readinessFollowsTheLease() {
        JsonNode ready = awaitReady();
        long token = ready.get("fencingToken").asLong();
        assertThat(token).isPositive();

        // Another replica took the lease (as after a network partition): our next renewal is refused.
        setLease("other-replica", token + 1, System.currentTimeMillis() + Duration.ofHours(1).toMillis());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/health/readiness").statusCode() == 503);
        JsonNode standby = ApiClient.parse(api.get("/health/readiness").body());
        assertThat(standby.get("state").asText()).isEqualTo("standby");
        assertThat(standby.get("leader").asBoolean()).isFalse();
        assertThat(server.runtime().engine()).as("the engine stops with the lease").isNull();
        assertThat(api.get("/metrics").body()).contains("skewless_lease_held 0.0");
        assertThat(api.get("/health/liveness").statusCode()).isEqualTo(200);

        // That replica went away and its lease expired: this one takes over with a newer token.
        setLease("other-replica", token + 1, 0);
        JsonNode again = awaitReady();
        assertThat(again.get("fencingToken").asLong()).isEqualTo(token + 2);
    }

    private JsonNode awaitReady() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/health/readiness").statusCode() == 200);
        JsonNode body = ApiClient.parse(api.get("/health/readiness").body());
        assertThat(body.get("state").asText()).isEqualTo("leading");
        assertThat(body.get("storeReachable").asBoolean()).isTrue();
        return body;
    }

    private void setLease(String holder, long token, long expiresAtMillis) {
        ddb.updateItem(b -> b.tableName(TABLE)
                .key(Map.of("pk", AttributeValue.fromS("LEASE"), "sk", AttributeValue.fromS("LEASE#controller")))
                .updateExpression("SET holder = :h, fencingToken = :t, expiresAtMillis = :e")
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(holder), ":t", AttributeValue.fromN(Long.toString(token)),
                        ":e", AttributeValue.fromN(Long.toString(expiresAtMillis)))));
    }

    private final Set<String> registered = new HashSet<>();

    private void registerTargets() {
        for (TargetGroup tg : elb.describeTargetGroups().targetGroups()) {
            if (registered.add(tg.targetGroupArn())) {
                elb.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                        .targets(t -> t.id("10.0.1.10").port(tg.port()), t -> t.id("10.0.2.10").port(tg.port())));
            }
        }
    }
}
