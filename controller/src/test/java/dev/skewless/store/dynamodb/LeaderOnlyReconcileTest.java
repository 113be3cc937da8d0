package dev.skewless.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
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
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two controller replicas on one table (moto) and one cloud ({@link TestingCloud}): only the lease
 * holder mutates the cloud or writes status, and a replica whose lease lapsed stops at once.
 */
class LeaderOnlyReconcileTest {
    private static final String LB = TestingCloud.loadBalancerArn("shared");
    private static final String LISTENER = TestingCloud.listenerArn("shared", 443);
    private static final LeaseConfig LEASE = new LeaseConfig("controller", Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(2));

    private final DynamoDbClient ddb = MotoDynamo.dynamoDb();
    private final TestingClock clock = new TestingClock();
    private final TestingCloud cloud = new TestingCloud(clock).addLoadBalancer(LB)
            .addListener(LISTENER, LB, new AlbAction.FixedResponse(404, "text/plain", "not found")).addCluster("apps");
    private DynamoVersionStore table;

    @BeforeEach
    void setUp() {
        MotoDynamo.freshTable(ddb);
        table = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(MotoDynamo.TABLE), clock);
        table.applyApp(new App(ObjectMeta.ofApp("shop"), new AppSpec(
                new PlatformSpec("apps", List.of("subnet-1"), List.of("sg-1"), "arn:aws:iam::123456789012:role/exec", null,
                        "/skewless/shop", false, 1),
                new RouterSpec(LISTENER, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(30), false, null),
                null, null, null, null), null));
        table.applyVersion(new AppVersion(ObjectMeta.ofVersion("shop", "v1"),
                new AppVersionSpec("registry.example/api:v1", 256, 512, 2, 8080, Map.of(), Map.of(), null, null, false), null));
    }

    @AfterEach
    void close() {
        ddb.close();
    }

    @Test
    void onlyTheLeaseHolderMutatesAnything() {
        DynamoLeaderLease leaseA = lease("a");
        DynamoLeaderLease leaseB = lease("b");
        AppReconciler a = replica(leaseA);
        AppReconciler b = replica(leaseB);
        assertThat(leaseA.tryAcquire()).isTrue();
        assertThat(leaseB.tryAcquire()).isFalse();

        PassResult standby = b.reconcile("shop");
        assertThat(standby.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(standby.error()).startsWith("not the leader");
        assertThat(cloud.mutatingCalls()).isZero();
        assertThat(cloud.describeCalls()).isZero(); // a standby does not even observe
        assertThat(table.getVersion(new VersionKey("shop", "v1")).orElseThrow().status().phase()).isEqualTo(Phase.Pending);

        PassResult leader = a.reconcile("shop");
        assertThat(leader.actionsExecuted()).isPositive();
        assertThat(leader.statusWrites()).isPositive();
        int mutationsByA = cloud.mutatingCalls();
        assertThat(mutationsByA).isEqualTo(leader.actionsExecuted());
        assertThat(table.getVersion(new VersionKey("shop", "v1")).orElseThrow().status().phase()).isEqualTo(Phase.Provisioning);

        // a's lease lapses locally (no renewal): a stops before the table would even let b in.
        clock.advance(LEASE.duration().minus(LEASE.safetyMargin()));
        PassResult lapsed = a.reconcile("shop");
        assertThat(lapsed.error()).startsWith("not the leader");
        assertThat(cloud.mutatingCalls()).isEqualTo(mutationsByA);

        clock.advance(LEASE.safetyMargin());
        assertThat(leaseB.tryAcquire()).isTrue();
        PassResult byB = b.reconcile("shop");
        assertThat(byB.error()).satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).doesNotStartWith("not the leader"));
        int mutationsAfterB = cloud.mutatingCalls();
        assertThat(a.reconcile("shop").error()).startsWith("not the leader");
        assertThat(cloud.mutatingCalls()).isEqualTo(mutationsAfterB);
    }

    @Test
    void aPassStopsAtTheFirstMutationAfterLeadershipEnds() {
        AtomicInteger asked = new AtomicInteger();
        // Asked at the start of the pass and before each mutation: leader for the start and one action.
        BooleanSupplier leaderForOneAction = () -> asked.incrementAndGet() <= 2;
        AppReconciler reconciler = new AppReconciler(table, cloud.compute(), cloud.router(),
                new Planner(PlannerConfig.DEFAULT)::plan, clock, leaderForOneAction);
        PassResult result = reconciler.reconcile("shop");
        assertThat(result.actionsExecuted()).isEqualTo(1);
        assertThat(result.statusWrites()).isZero();
        assertThat(cloud.mutatingCalls()).isEqualTo(1);
        assertThat(result.error()).startsWith("not the leader");
    }

    private DynamoLeaderLease lease(String holder) {
        return new DynamoLeaderLease(ddb, MotoDynamo.TABLE, holder, LEASE, clock);
    }

    private AppReconciler replica(DynamoLeaderLease lease) {
        return new AppReconciler(new FencedVersionStore(table, lease), cloud.compute(), cloud.router(),
                new Planner(PlannerConfig.DEFAULT)::plan, clock, lease::isHeld);
    }
}
