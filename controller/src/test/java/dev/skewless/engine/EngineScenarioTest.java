package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingCloud.CallOutcome;
import dev.skewless.testing.TestingCloud.CrashPoint;
import dev.skewless.testing.TestingCloud.FaultRates;
import dev.skewless.testing.TestingScheduler;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole controller loop: engine workers, the real planner, {@link TestingCloud} with seeded
 * faults (throttling, 5xx, timeouts that apply), a simulated crash and a manual clock. Releases
 * must still converge, never touch a foreign rule and never leak a resource.
 */
class EngineScenarioTest {
    private static final VersionKey V1 = new VersionKey("shop", "v1");
    private static final VersionKey V2 = new VersionKey("shop", "v2");

    @ParameterizedTest(name = "fault seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void releasesConvergeDespiteFaults(long seed) {
        TestingClock clock = new TestingClock();
        TestingScheduler scheduler = new TestingScheduler(clock);
        TestingVersionStore store = new TestingVersionStore(clock);
        TestingCloud cloud = new TestingCloud(clock, seed)
                .addLoadBalancer(EngineFixtures.LB)
                .addListener(EngineFixtures.LISTENER, EngineFixtures.LB,
                        new AlbAction.FixedResponse(404, "text/plain", "not found"))
                .addCluster(EngineFixtures.CLUSTER)
                .startupDelay(Duration.ofSeconds(20))
                .faults(new FaultRates(0.05, 0.05, 0.05));
        String foreign = cloud.addForeignRule(EngineFixtures.LISTENER, 120, EngineFixtures.rejectRule("not-ours"),
                Map.of("team", "payments"));
        AppReconciler reconciler = new AppReconciler(store, cloud.compute(), cloud.router(),
                new Planner(PlannerConfig.DEFAULT)::plan, clock);
        EngineConfig config = EngineConfig.DEFAULT.withWorkers(2)
                .withBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), Backoff.Jitter.FULL));

        try (ReconcileEngine engine = new ReconcileEngine(store, reconciler, config, clock, scheduler, new SplittableRandom(seed))) {
            engine.start();
            store.applyApp(EngineFixtures.app("shop"));
            store.applyVersion(EngineFixtures.version("shop", "v1"));
            runUntil(engine, scheduler, () -> phase(store, V1) == Phase.Live);

            // The process "dies" right after the second call of v2's rollout took effect.
            cloud.crashAfterMutations(2, CrashPoint.AFTER_APPLY);
            store.applyVersion(EngineFixtures.version("shop", "v2"));
            runUntil(engine, scheduler, () -> phase(store, V2) == Phase.Live && phase(store, V1) == Phase.Superseded);
        }

        assertThat(cloud.foreignMutations(OwnershipTags.DEFAULT_OWNER)).isEmpty();
        assertThat(cloud.resources().rules()).filteredOn(r -> r.arn().equals(foreign)).singleElement()
                .satisfies(r -> assertThat(r.priority()).isEqualTo(120));
        for (VersionKey key : new VersionKey[] {V1, V2}) {
            TestingCloud.Resources ours = cloud.resources().ofVersion(key);
            assertThat(ours.targetGroups()).as("%s target groups", key).hasSize(1);
            assertThat(ours.services()).as("%s services", key).hasSize(1);
            assertThat(ours.taskDefinitions()).as("%s task definitions", key).hasSize(1);
        }
        int injected = cloud.calls(CallOutcome.THROTTLED) + cloud.calls(CallOutcome.TRANSIENT) + cloud.calls(CallOutcome.TIMEOUT);
        assertThat(injected).as("faults were injected").isPositive();
        assertThat(cloud.calls(CallOutcome.CRASHED)).isEqualTo(1);
    }

    private static Phase phase(TestingVersionStore store, VersionKey key) {
        return store.getVersion(key).orElseThrow().status().phase();
    }

    /** Moves the clock a second at a time, letting the workers settle in between. */
    private static void runUntil(ReconcileEngine engine, TestingScheduler scheduler, BooleanSupplier done) {
        for (int second = 0; second < 600; second++) {
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> engine.queued().isEmpty() && engine.inFlight().isEmpty());
            if (done.getAsBoolean()) {
                return;
            }
            scheduler.advance(Duration.ofSeconds(1));
        }
        throw new AssertionError("did not converge within 10 simulated minutes");
    }
}
