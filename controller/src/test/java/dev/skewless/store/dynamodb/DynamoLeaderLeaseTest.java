package dev.skewless.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.store.Fence;
import dev.skewless.store.FencedVersionStore;
import dev.skewless.store.LeaderLease;
import dev.skewless.store.LeaseLostException;
import dev.skewless.store.StoreConflictException;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingClock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The leader lease and fenced status writes against moto. */
class DynamoLeaderLeaseTest {
    private static final LeaseConfig LEASE = new LeaseConfig("controller", Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(2));
    private static final VersionKey V1 = new VersionKey("shop", "v1");

    private final DynamoDbClient ddb = MotoDynamo.dynamoDb();
    private final TestingClock clock = new TestingClock();
    private final List<LeaderLease> leases = new ArrayList<>();

    @BeforeEach
    void freshTable() {
        MotoDynamo.freshTable(ddb);
    }

    @AfterEach
    void close() {
        leases.forEach(LeaderLease::close);
        ddb.close();
    }

    @Test
    void onlyOneOfTwoContendersHoldsTheLease() {
        DynamoLeaderLease a = lease("a", LEASE, clock);
        DynamoLeaderLease b = lease("b", LEASE, clock);
        assertThat(a.tryAcquire()).isTrue();
        assertThat(b.tryAcquire()).isFalse();
        assertThat(a.isHeld()).isTrue();
        assertThat(b.isHeld()).isFalse();
        assertThat(a.fencingToken()).hasValue(1);
        assertThat(b.fencingToken()).isEmpty();
        assertThat(b.fence()).isEmpty();
        // Acquiring again while holding is a renewal: same token.
        assertThat(a.tryAcquire()).isTrue();
        assertThat(a.fencingToken()).hasValue(1);
        assertThat(b.renew()).isFalse();
    }

    @Test
    void everyAcquisitionGetsAGreaterToken() {
        DynamoLeaderLease a = lease("a", LEASE, clock);
        DynamoLeaderLease b = lease("b", LEASE, clock);
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(a.tryAcquire()).isTrue();
            tokens.add(a.fencingToken().orElseThrow());
            a.close(); // releases: the standby need not wait for expiry
            a = lease("a", LEASE, clock);
            assertThat(b.tryAcquire()).isTrue();
            tokens.add(b.fencingToken().orElseThrow());
            b.close();
            b = lease("b", LEASE, clock);
        }
        assertThat(tokens).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

        // The same holder re-acquiring after its lease lapsed gets a new token too.
        assertThat(a.tryAcquire()).isTrue();
        clock.advance(LEASE.duration());
        assertThat(a.isHeld()).isFalse();
        assertThat(a.tryAcquire()).isTrue();
        assertThat(a.fencingToken()).hasValue(8);
    }

    @Test
    void expiryLetsAnotherReplicaTakeOver() {
        DynamoLeaderLease a = lease("a", LEASE, clock);
        DynamoLeaderLease b = lease("b", LEASE, clock);
        List<String> events = new CopyOnWriteArrayList<>();
        a.addListener(listener("a", events));
        assertThat(a.tryAcquire()).isTrue();

        // Past expiry minus the margin, a stops considering itself leader, before any renewal fails...
        clock.advance(LEASE.duration().minus(LEASE.safetyMargin()));
        assertThat(a.isHeld()).isFalse();
        assertThat(a.fence()).isEmpty();
        // ...while the table still protects it from takeover.
        assertThat(b.tryAcquire()).isFalse();

        clock.advance(LEASE.safetyMargin());
        assertThat(b.tryAcquire()).isTrue();
        assertThat(b.fencingToken()).hasValue(2);
        assertThat(a.renew()).isFalse();
        assertThat(a.tryAcquire()).isFalse();
        assertThat(events).containsExactly("a acquired 1", "a lost");
    }

    @Test
    void fencedStatusWriteWithAStaleTokenIsRefused() {
        DynamoVersionStore store = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(MotoDynamo.TABLE), clock);
        store.applyApp(SampleRecords.app("shop"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        DynamoLeaderLease a = lease("a", LEASE, clock);
        DynamoLeaderLease b = lease("b", LEASE, clock);
        FencedVersionStore asA = new FencedVersionStore(store, a);
        FencedVersionStore asB = new FencedVersionStore(store, b);

        assertThat(a.tryAcquire()).isTrue();
        asA.writeVersionStatus(V1, status(Phase.Provisioning));
        assertThatThrownBy(() -> asB.writeVersionStatus(V1, status(Phase.Failed))).isInstanceOf(LeaseLostException.class);

        clock.advance(LEASE.duration());
        assertThat(b.tryAcquire()).isTrue();
        asB.writeVersionStatus(V1, status(Phase.Ready));

        // a, paused through all this, still believes in token 1 (its local check is bypassed here): the table refuses.
        Fence stale = new Fence("controller", "a", 1);
        assertThatThrownBy(() -> store.writeVersionStatus(V1, status(Phase.Draining), stale)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.writeAppStatus("shop", dev.skewless.model.AppStatus.EMPTY, stale))
                .isInstanceOf(LeaseLostException.class);
        // Right holder, old token (a's previous term) is refused too.
        assertThatThrownBy(() -> store.writeVersionStatus(V1, status(Phase.Draining), new Fence("controller", "b", 1)))
                .isInstanceOf(LeaseLostException.class);
        // Through the decorator a fails locally, without a request.
        assertThatThrownBy(() -> asA.writeVersionStatus(V1, status(Phase.Draining))).isInstanceOf(LeaseLostException.class);
        assertThat(store.getVersion(V1).orElseThrow().status().phase()).isEqualTo(Phase.Ready);

        // A valid fence on a missing record is a plain conflict.
        assertThatThrownBy(() -> asB.writeVersionStatus(new VersionKey("shop", "v9"), status(Phase.Ready)))
                .isInstanceOf(StoreConflictException.class);
        // Spec writes are not fenced: release managers write without the lease.
        assertThat(asA.applyVersion(SampleRecords.version("shop", "v2")).metadata().generation()).isEqualTo(1);
    }

    @Test
    void holderNoticesAStolenLeaseWithinOneHeartbeat() {
        LeaseConfig fast = new LeaseConfig("controller", Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(1));
        DynamoLeaderLease a = lease("a", fast, InstantSource.system());
        List<String> events = new CopyOnWriteArrayList<>();
        a.addListener(listener("a", events));
        a.start();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(a::isHeld);

        // Another replica takes the lease behind a's back (as after a long pause of a).
        ddb.updateItem(b -> b.tableName(MotoDynamo.TABLE)
                .key(Map.of("pk", AttributeValue.fromS("LEASE"), "sk", AttributeValue.fromS("LEASE#controller")))
                .updateExpression("SET holder = :thief, fencingToken = fencingToken + :one")
                .expressionAttributeValues(Map.of(":thief", AttributeValue.fromS("thief"), ":one", AttributeValue.fromN("1"))));
        long stolenAt = System.nanoTime();
        // One heartbeat plus the renewal's round trip.
        Awaitility.await().atMost(fast.heartbeat().plusMillis(500)).pollInterval(Duration.ofMillis(10))
                .until(() -> !a.isHeld() && events.contains("a lost"));
        assertThat(Duration.ofNanos(System.nanoTime() - stolenAt)).isLessThan(fast.heartbeat().plusMillis(500));
        assertThat(a.fence()).isEmpty();
    }

    @Test
    void standbyTakesOverWhenTheLeaderStops() {
        LeaseConfig fast = new LeaseConfig("controller", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
        DynamoLeaderLease a = lease("a", fast, InstantSource.system());
        DynamoLeaderLease b = lease("b", fast, InstantSource.system());
        a.start();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(a::isHeld);
        b.start();
        List<String> events = new CopyOnWriteArrayList<>();
        b.addListener(listener("b", events));
        // Several heartbeats: b stays standby while a renews.
        Awaitility.await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> a.isHeld() && !b.isHeld());

        a.close();
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(b::isHeld);
        assertThat(events).containsExactly("b acquired 2");
        assertThat(a.isHeld()).isFalse();
    }

    @Test
    void configRejectsAHeartbeatThatCannotKeepTheLease() {
        assertThatThrownBy(() -> new LeaseConfig("c", Duration.ofSeconds(10), Duration.ofSeconds(9), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeaseConfig("c", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LeaseConfig.defaultHolder()).isNotEqualTo(LeaseConfig.defaultHolder());
    }

    private DynamoLeaderLease lease(String holder, LeaseConfig config, InstantSource clock) {
        DynamoLeaderLease lease = new DynamoLeaderLease(ddb, MotoDynamo.TABLE, holder, config, clock);
        leases.add(lease);
        return lease;
    }

    private static LeaderLease.Listener listener(String who, List<String> events) {
        return new LeaderLease.Listener() {
            @Override
            public void acquired(long token) {
                events.add(who + " acquired " + token);
            }

            @Override
            public void lost() {
                events.add(who + " lost");
            }
        };
    }

    private static AppVersionStatus status(Phase phase) {
        return AppVersionStatus.PENDING.toBuilder().phase(phase).build();
    }
}
