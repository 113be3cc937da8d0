package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.PassResult;
import dev.skewless.model.Phase;
import dev.skewless.store.FencedVersionStore;
import dev.skewless.store.dynamodb.DynamoLeaderLease;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.LeaseConfig;
import dev.skewless.testing.MotoServer;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two controller instances, each with its own lease object (holder a, holder b), its own store
 * object, providers and call counter, against one moto table and one moto cloud. Only the lease
 * holder makes any ECS or ELB call that mutates (counted per instance by {@code skewless.aws.calls});
 * when the holder's lease lapses, or it closes it, the other takes over, and only then mutates.
 */
class MotoLeadershipTest {
    private static final LeaseConfig LEASE = new LeaseConfig("controller", Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    private final MotoWorld world = new MotoWorld();
    private final Instance a = new Instance("a");
    private final Instance b = new Instance("b");

    /** One controller replica. */
    private final class Instance {
        final DynamoLeaderLease lease;
        final MotoWorld.Controller controller;

        Instance(String holder) {
            lease = new DynamoLeaderLease(world.ddb, MotoWorld.TABLE, holder, LEASE, world.clock);
            DynamoVersionStore table = new DynamoVersionStore(world.ddb, null, DynamoStoreConfig.of(MotoWorld.TABLE), world.clock);
            controller = world.new Controller(MotoServer.shared().endpoint(), new FencedVersionStore(table, lease), lease::isHeld,
                    c -> c, r -> r);
        }

        /** What a heartbeat does: renew when holding, else try to acquire. */
        void heartbeat() {
            if (lease.isHeld()) {
                lease.renew();
            } else {
                lease.tryAcquire();
            }
        }

        double calls() {
            return controller.callsByOperation().values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void onlyTheLeaseHolderMutatesAndTheOtherTakesOverWhenItLapsesOrCloses() {
        world.applyApp("latest");
        world.applyVersion("v1");
        assertThat(a.lease.tryAcquire()).isTrue();
        assertThat(b.lease.tryAcquire()).isFalse();

        int passes = run(w -> w.phase("v1") == Phase.Live, true);
        assertThat(passes).isPositive();
        assertThat(a.controller.mutations()).as("the holder provisioned v1").isPositive();
        assertThat(b.calls()).as("the standby made no AWS call at all, not even a describe").isZero();
        assertThat(world.target(dev.skewless.testing.SkewlessSimulation.unpinned())).isEqualTo("v1");

        // a's heartbeats stop (a paused process): its lease lapses locally before b may take it.
        world.applyVersion("v2");
        world.clock.advance(LEASE.duration().minus(LEASE.safetyMargin()));
        assertThat(a.lease.isHeld()).isFalse();
        assertThat(b.lease.tryAcquire()).as("not before the table's expiry").isFalse();
        double byA = a.controller.mutations();
        PassResult lapsed = a.controller.pass();
        assertThat(lapsed.error()).startsWith("not the leader");
        assertThat(b.controller.pass().error()).startsWith("not the leader");
        assertThat(a.controller.mutations()).isEqualTo(byA);
        assertThat(b.controller.mutations()).isZero();

        world.clock.advance(LEASE.safetyMargin());
        assertThat(b.lease.tryAcquire()).isTrue();
        assertThat(a.lease.tryAcquire()).isFalse();
        run(w -> w.phase("v2") == Phase.Live && w.phase("v1") == Phase.Superseded, false);
        assertThat(b.controller.mutations()).as("the new holder provisioned v2").isPositive();
        assertThat(a.controller.mutations()).as("the old holder did nothing more").isEqualTo(byA);

        // b shuts down cleanly and releases the lease: a takes over at once, without waiting for expiry.
        double byB = b.controller.mutations();
        b.lease.close();
        assertThat(b.controller.pass().error()).startsWith("not the leader");
        assertThat(a.lease.tryAcquire()).isTrue();
        world.applyVersion("v3");
        run(w -> w.phase("v3") == Phase.Live, true);
        assertThat(a.controller.mutations()).as("a mutates again").isGreaterThan(byA);
        assertThat(b.controller.mutations()).isEqualTo(byB);
        assertThat(world.target(dev.skewless.testing.SkewlessSimulation.pinned("v1"))).isEqualTo("v1");
        assertThat(world.target(dev.skewless.testing.SkewlessSimulation.unpinned())).isEqualTo("v3");
    }

    /**
     * Passes of both instances (each after its heartbeat) until the leader's pass is quiet and
     * {@code done} holds; the standby's pass must fail as "not the leader" every time and make no
     * call.
     */
    private int run(Predicate<MotoWorld> done, boolean aLeads) {
        Instance leader = aLeads ? a : b;
        Instance standby = aLeads ? b : a;
        for (int pass = 1; pass <= 30; pass++) {
            world.clock.advance(MotoWorld.STEP);
            leader.heartbeat();
            standby.heartbeat();
            assertThat(leader.lease.isHeld()).isTrue();
            assertThat(standby.lease.isHeld()).isFalse();
            double standbyCalls = standby.calls();
            PassResult s = standby.controller.pass();
            assertThat(s.error()).startsWith("not the leader");
            assertThat(standby.calls()).as("a standby pass makes no AWS call").isEqualTo(standbyCalls);
            PassResult r = leader.controller.pass();
            assertThat(r.outcome()).as(r.error()).isEqualTo(PassResult.Outcome.SUCCEEDED);
            if (r.actionsExecuted() == 0 && done.test(world)) {
                return pass;
            }
            world.registerTargets();
        }
        throw new AssertionError("no convergence: " + world.phases());
    }
}
