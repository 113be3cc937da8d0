package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingCloud.CrashPoint;
import dev.skewless.testing.TestingCloud.FaultRates;
import dev.skewless.testing.TestingCloud.Operation;
import dev.skewless.testing.TestingCloud.SimulatedCrash;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real passes: the planner against {@link TestingCloud} and {@link TestingVersionStore}. */
class AppReconcilerPlannerTest {
    private static final VersionKey V1 = new VersionKey("shop", "v1");

    private final TestingClock clock = new TestingClock();
    private final TestingVersionStore store = new TestingVersionStore(clock);
    private final TestingCloud cloud = EngineFixtures.cloud(clock).startupDelay(Duration.ofSeconds(20));
    private final Planner planner = new Planner(PlannerConfig.DEFAULT);
    private final AppReconciler reconciler =
            new AppReconciler(store, cloud.compute(), cloud.router(), planner::plan, clock);

    @BeforeEach
    void setUp() {
        cloud.addForeignRule(EngineFixtures.LISTENER, 150, EngineFixtures.rejectRule("not-ours"), Map.of("team", "payments"));
        store.applyApp(EngineFixtures.app("shop"));
    }

    /**
     * Runs passes the way the engine would (requeue after the plan's delay, else the next resync)
     * until {@code done}; fails after {@code maxPasses}.
     */
    private void runUntil(BooleanSupplier done, int maxPasses) {
        for (int i = 0; i < maxPasses; i++) {
            PassResult result = reconciler.reconcile("shop");
            if (done.getAsBoolean()) {
                return;
            }
            Duration next = result.outcome() == PassResult.Outcome.SUCCEEDED && result.requeueAfter() != null
                    ? result.requeueAfter() : Duration.ofSeconds(5);
            clock.advance(next.isZero() ? Duration.ofSeconds(1) : next);
        }
        throw new AssertionError("not done after " + maxPasses + " passes: app " + app() + ", v1 " + v1());
    }

    private AppVersionStatus v1() {
        return store.getVersion(V1).orElseThrow().status();
    }

    private AppStatus app() {
        return store.getApp("shop").orElseThrow().status();
    }

    private static Condition condition(java.util.List<Condition> conditions, String type) {
        return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no " + type + " in " + conditions));
    }

    @Test
    void aNewVersionBecomesLiveAndForeignRulesAreNeverTouched() {
        store.applyVersion(EngineFixtures.version("shop", "v1"));

        runUntil(() -> v1().phase() == Phase.Live, 30);

        assertThat(app().liveVersion()).isEqualTo("v1");
        runUntil(() -> condition(app().conditions(), Condition.SYNCED).isTrue(), 3);
        TestingCloud.Resources ours = cloud.resources().ofVersion(V1);
        assertThat(ours.targetGroups()).hasSize(1);
        assertThat(ours.services()).singleElement().satisfies(s -> assertThat(s.runningCount()).isEqualTo(2));
        assertThat(ours.rules()).isNotEmpty();
        assertThat(cloud.foreignMutations(OwnershipTags.DEFAULT_OWNER)).isEmpty();
        assertThat(cloud.resources().rules()).filteredOn(r -> r.priority() == 150).singleElement()
                .satisfies(r -> assertThat(r.tags()).containsEntry("team", "payments"));
    }

    @Test
    void theObserverHearsEveryDecisionAndEachPassWithTheRoutingTableItsRulesImplement() {
        java.util.List<ReconcileObserver.Decision> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<dev.skewless.plan.Plan> plans = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<PassResult> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        ReconcileObserver observer = new ReconcileObserver() {
            @Override
            public void decided(Decision decision) {
                decisions.add(decision);
            }

            @Override
            public void passFinished(String app, Duration took, PassResult result, dev.skewless.plan.Plan plan) {
                assertThat(app).isEqualTo("shop");
                assertThat(took).isPositive();
                results.add(result);
                plans.add(plan);
            }
        };
        AppReconciler observed = new AppReconciler(store, cloud.compute(), cloud.router(), planner::plan, clock,
                () -> true, observer);
        store.applyVersion(EngineFixtures.version("shop", "v1"));

        for (int i = 0; i < 30 && v1().phase() != Phase.Live; i++) {
            observed.reconcile("shop");
            clock.advance(Duration.ofSeconds(5));
        }
        observed.reconcile("shop");

        assertThat(v1().phase()).isEqualTo(Phase.Live);
        assertThat(results).hasSameSizeAs(plans).isNotEmpty();
        assertThat(decisions).anySatisfy(d -> {
            assertThat(d.action()).isEqualTo("CreateService");
            assertThat(d.version()).isEqualTo("v1");
            assertThat(d.outcome()).isEqualTo("ok");
        });
        assertThat(decisions).anySatisfy(d -> assertThat(d.message()).startsWith("status written: Live"));
        // The last pass's table routes unpinned traffic and v1's pins to v1.
        var table = plans.getLast().routing();
        assertThat(table.live()).isEqualTo("v1");
        assertThat(table.routable()).containsExactly("v1");
    }

    @Test
    void aSteadyStateWritesNothingHoweverLongItLasts() {
        store.applyVersion(EngineFixtures.version("shop", "v1"));
        runUntil(() -> v1().phase() == Phase.Live, 30);
        runUntil(() -> condition(v1().conditions(), Condition.SYNCED).isTrue()
                && condition(app().conditions(), Condition.SYNCED).isTrue(), 5);
        clock.advance(Duration.ofSeconds(1));
        reconciler.reconcile("shop");
        int writes = store.statusWrites();
        int mutations = cloud.journal().size();

        clock.advance(Duration.ofMinutes(1));
        PassResult steady = reconciler.reconcile("shop");

        assertThat(steady.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(steady.actionsExecuted()).isZero();
        assertThat(steady.statusWrites()).isZero();
        assertThat(store.statusWrites()).isEqualTo(writes);
        assertThat(cloud.journal()).hasSize(mutations);

        clock.advance(Duration.ofHours(6));
        assertThat(reconciler.reconcile("shop").statusWrites()).as("no heartbeat rewrite").isZero();
        assertThat(store.statusWrites()).isEqualTo(writes);
    }

    @Test
    void aThrottledActionIsReportedAndTheNextPassesRecover() {
        store.applyVersion(EngineFixtures.version("shop", "v1"));
        cloud.faults(Operation.CREATE_TARGET_GROUP, new FaultRates(1, 0, 0));

        PassResult failed = reconciler.reconcile("shop");

        assertThat(failed.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        Condition synced = condition(v1().conditions(), Condition.SYNCED);
        assertThat(synced.status()).isEqualTo(ConditionStatus.False);
        assertThat(synced.reason()).isEqualTo("Throttling");
        assertThat(synced.message()).contains("CreateTargetGroup");
        assertThat(condition(app().conditions(), Condition.SYNCED).reason()).isEqualTo("Throttling");

        cloud.clearFaults();
        runUntil(() -> v1().phase() == Phase.Live, 30);
        assertThat(Conditions.find(v1().conditions(), Condition.TERMINAL)).isEmpty();
    }

    @Test
    void anInvalidSpecEndsTerminalAndFailed() {
        AppVersion bad = new AppVersion(ObjectMeta.ofVersion("shop", "v1"),
                new AppVersionSpec("registry.example/api:v1", 256, 4096, 2, 8080, Map.of(), Map.of(), null, null, false), null);
        store.applyVersion(bad);

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        Condition terminal = condition(v1().conditions(), Condition.TERMINAL);
        assertThat(terminal.status()).isEqualTo(ConditionStatus.True);
        assertThat(terminal.reason()).isEqualTo("ClientException");

        clock.advance(Duration.ofSeconds(5));
        reconciler.reconcile("shop");
        assertThat(v1().phase()).isEqualTo(Phase.Failed);
        assertThat(cloud.resources().ofVersion(V1).services()).isEmpty();
    }

    @Test
    void aCrashMidPassPropagatesAndTheNextPassRepairsWithoutLeaking() {
        store.applyVersion(EngineFixtures.version("shop", "v1"));
        cloud.crashAfterMutations(1, CrashPoint.AFTER_APPLY);

        assertThatThrownBy(() -> reconciler.reconcile("shop")).isInstanceOf(SimulatedCrash.class);
        assertThat(store.statusWrites()).isZero();
        assertThat(cloud.resources().ofVersion(V1).targetGroups()).hasSize(1);

        runUntil(() -> v1().phase() == Phase.Live, 30);
        TestingCloud.Resources ours = cloud.resources().ofVersion(V1);
        assertThat(ours.targetGroups()).hasSize(1);
        assertThat(ours.services()).hasSize(1);
        assertThat(ours.taskDefinitions()).hasSize(1);
    }

    @Test
    void anObserveFailureLeavesVersionsAlone() {
        store.applyVersion(EngineFixtures.version("shop", "v1"));
        cloud.faults(Operation.OBSERVE_COMPUTE, new FaultRates(0, 1, 0));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(condition(app().conditions(), Condition.SYNCED).status()).isEqualTo(ConditionStatus.Unknown);
        assertThat(v1()).isEqualTo(AppVersionStatus.PENDING);
        assertThat(cloud.mutatingCalls()).isZero();
    }
}
