package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.Plan;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingCloud.FaultRates;
import dev.skewless.testing.TestingCloud.Operation;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler tells its caller about records being deleted: the plan's teardown travels in
 * the {@link PassResult} (the operator removes finalizers from it without planning again), through
 * failed passes too, never from a replica that may no longer act.
 */
class AppReconcilerTeardownTest {
    private final TestingClock clock = new TestingClock();
    private final TestingVersionStore store = new TestingVersionStore(clock);
    private final TestingCloud cloud = EngineFixtures.cloud(clock).startupDelay(Duration.ofSeconds(20));
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private final AppReconciler reconciler = new AppReconciler(store, cloud.compute(), cloud.router(),
            new Planner(PlannerConfig.DEFAULT)::plan, clock, leader::get);

    /** Passes 5 s apart until {@code done}. */
    private PassResult passUntil(java.util.function.Predicate<PassResult> done) {
        for (int i = 0; i < 60; i++) {
            PassResult r = reconciler.reconcile("shop");
            if (done.test(r)) {
                return r;
            }
            clock.advance(Duration.ofSeconds(5));
        }
        throw new AssertionError("not done after 60 passes; left " + cloud.resources().ofApp("shop"));
    }

    private void releaseV1() {
        store.applyApp(EngineFixtures.app("shop"));
        store.applyVersion(EngineFixtures.version("shop", "v1"));
        passUntil(r -> store.getVersion(new VersionKey("shop", "v1")).orElseThrow().status().phase() == Phase.Live);
    }

    @Test
    void aFailedPassStillCarriesTheTeardownAndTheTeardownCompletesOnceTheFaultsStop() {
        releaseV1();
        store.markAppDeleting("shop");
        cloud.faults(Operation.DELETE_RULE, new FaultRates(1, 0, 0));
        PassResult failed = reconciler.reconcile("shop");
        assertThat(failed.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(failed.teardown()).isEqualTo(Plan.Teardown.NONE);
        assertThat(cloud.resources().ofApp("shop").services()).as("nothing of v1 touched while its rules stay").hasSize(1)
                .allMatch(s -> s.desiredCount() == 2);

        cloud.clearFaults();
        PassResult done = passUntil(PassResult::teardownComplete);
        assertThat(done.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(done.versionsTornDown()).as("v1's own record is not being deleted").isEmpty();
        assertThat(cloud.resources().ofApp("shop").isEmpty()).isTrue();
    }

    @Test
    void aDeletedVersionIsReportedTornDownInThePassResult() {
        releaseV1();
        store.applyVersion(EngineFixtures.version("shop", "v2"));
        passUntil(r -> store.getVersion(new VersionKey("shop", "v2")).orElseThrow().status().phase() == Phase.Live);
        store.markVersionDeleting(new VersionKey("shop", "v1"));
        PassResult r = passUntil(x -> x.versionsTornDown().contains("v1"));
        assertThat(r.teardownComplete()).isFalse();
        assertThat(cloud.resources().ofVersion(new VersionKey("shop", "v1")).isEmpty()).isTrue();
    }

    @Test
    void anAppBeingDeletedWhoseListenerIsGoneIsNoInvalidReferenceAndCompletes() {
        App app = EngineFixtures.app("shop");
        RouterSpec r = app.spec().router();
        store.applyApp(new App(app.metadata(), new AppSpec(app.spec().platform(),
                new RouterSpec(TestingCloud.listenerArn("gone", 443), r.priorities(), r.pathPatterns(), r.hostHeaders(),
                        r.deregistrationDelay(), false, null), null, null, null, null), null));
        store.markAppDeleting("shop");
        PassResult first = reconciler.reconcile("shop");
        assertThat(first.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(Conditions.find(store.getApp("shop").orElseThrow().status().conditions(), Condition.TERMINAL)).isEmpty();
        clock.advance(first.requeueAfter());
        assertThat(reconciler.reconcile("shop").teardownComplete()).isTrue();
    }

    @Test
    void aReplicaThatMayNotActReportsNoTeardown() {
        store.applyApp(EngineFixtures.app("shop"));
        store.markAppDeleting("shop");
        PassResult first = reconciler.reconcile("shop");
        clock.advance(first.requeueAfter());
        leader.set(false);
        PassResult standby = reconciler.reconcile("shop");
        assertThat(standby.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(standby.teardownComplete()).isFalse();
        leader.set(true);
        assertThat(reconciler.reconcile("shop").teardownComplete()).isTrue();
    }
}
