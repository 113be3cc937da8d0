package dev.skewless.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.EngineConfig;
import dev.skewless.engine.ReconcileEngine;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.store.FencedVersionStore;
import dev.skewless.testing.TestingCloud;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The whole loop on moto: a record applied to the table reaches the engine through the stream,
 * the leader's pass acts and writes status through the fence; a standby engine on the same table
 * does nothing.
 */
class LeaderEngineTest {
    private static final String LB = TestingCloud.loadBalancerArn("shared");
    private static final String LISTENER = TestingCloud.listenerArn("shared", 443);
    private static final LeaseConfig LEASE = new LeaseConfig("controller", Duration.ofSeconds(10), Duration.ofMillis(200),
            Duration.ofSeconds(2));
    private static final VersionKey V1 = new VersionKey("shop", "v1");

    private final DynamoDbClient ddb = MotoDynamo.dynamoDb();
    private final DynamoDbStreamsClient streams = MotoDynamo.streams();
    private final TestingCloud cloud = new TestingCloud(InstantSource.system()).addLoadBalancer(LB)
            .addListener(LISTENER, LB, new AlbAction.FixedResponse(404, "text/plain", "not found")).addCluster("apps");
    private final List<AutoCloseable> toClose = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        ddb.close();
        streams.close();
    }

    @Test
    void onlyTheLeadersEngineActsOnAppliedRecords() {
        MotoDynamo.freshTable(ddb);
        DynamoVersionStore table = new DynamoVersionStore(ddb, streams, DynamoStoreConfig.of(MotoDynamo.TABLE)
                .withFeed(DynamoStoreConfig.FeedMode.STREAMS, Duration.ofMillis(50)), InstantSource.system());
        DynamoLeaderLease leaseA = lease("a");
        assertThat(leaseA.tryAcquire()).isTrue();
        leaseA.start();
        DynamoLeaderLease leaseB = lease("b");
        leaseB.start();

        ReconcileEngine standby = engine(table, leaseB);
        standby.start();
        table.applyApp(new App(ObjectMeta.ofApp("shop"), new AppSpec(
                new PlatformSpec("apps", List.of("subnet-1"), List.of("sg-1"), "arn:aws:iam::123456789012:role/exec", null,
                        "/skewless/shop", false, 1),
                new RouterSpec(LISTENER, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(30), false, null),
                null, null, null, null), null));
        table.applyVersion(new AppVersion(ObjectMeta.ofVersion("shop", "v1"),
                new AppVersionSpec("registry.example/api:v1", 256, 512, 2, 8080, Map.of(), Map.of(), null, null, false), null));
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> cloud.mutatingCalls() == 0 && phase(table) == Phase.Pending);
        assertThat(cloud.describeCalls()).isZero();

        ReconcileEngine leader = engine(table, leaseA);
        leader.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> phase(table) != Phase.Pending);
        assertThat(cloud.mutatingCalls()).isPositive();
        assertThat(leaseB.isHeld()).isFalse();
    }

    private Phase phase(DynamoVersionStore table) {
        return table.getVersion(V1).orElseThrow().status().phase();
    }

    private DynamoLeaderLease lease(String holder) {
        DynamoLeaderLease lease = new DynamoLeaderLease(ddb, MotoDynamo.TABLE, holder, LEASE, InstantSource.system());
        toClose.add(lease);
        return lease;
    }

    private ReconcileEngine engine(DynamoVersionStore table, DynamoLeaderLease lease) {
        FencedVersionStore store = new FencedVersionStore(table, lease);
        AppReconciler reconciler = new AppReconciler(store, cloud.compute(), cloud.router(), new Planner(PlannerConfig.DEFAULT)::plan,
                InstantSource.system(), lease::isHeld);
        ReconcileEngine engine = new ReconcileEngine(store, reconciler, EngineConfig.DEFAULT.withWorkers(2)
                .withShutdownGrace(Duration.ofSeconds(1)));
        toClose.add(engine);
        return engine;
    }
}
