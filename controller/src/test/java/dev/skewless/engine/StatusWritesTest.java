package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.DriftRepair;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import dev.skewless.testing.CountingVersionStore;
import dev.skewless.testing.CountingVersionStore.StatusWrite;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine writes to a real store (the embedded one, every status write counted): nothing
 * in a steady state however long it lasts, and after a repair each status once, never the same
 * twice in a row.
 */
class StatusWritesTest {
    private static final VersionKey V1 = new VersionKey("shop", "v1");

    @TempDir
    Path dir;

    private final TestingClock clock = new TestingClock();
    private final TestingCloud cloud = EngineFixtures.cloud(clock).startupDelay(Duration.ofSeconds(20));
    private final List<ReconcileObserver.Decision> decisions = new CopyOnWriteArrayList<>();
    private CountingVersionStore store;
    private AppReconciler reconciler;

    @BeforeEach
    void setUp() {
        store = new CountingVersionStore(EmbeddedVersionStore.open(dir, clock, EmbeddedVersionStore.DEFAULT_POLL_INTERVAL));
        reconciler = new AppReconciler(store, cloud.compute(), cloud.router(), new Planner(PlannerConfig.DEFAULT)::plan, clock,
                () -> true, new ReconcileObserver() {
                    @Override
                    public void decided(Decision decision) {
                        decisions.add(decision);
                    }
                });
        store.applyApp(EngineFixtures.app("shop"));
        store.applyVersion(EngineFixtures.version("shop", "v1"));
        runUntil(() -> v1().phase() == Phase.Live && synced(v1().conditions()) && synced(app().conditions()), 40);
    }

    @Test
    void aSteadyStateMakesNoStoreWriteHoweverLongItLasts() {
        reconciler.reconcile("shop");
        int writes = store.statusWriteCount();

        for (Duration later : List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(6))) {
            clock.advance(later);
            PassResult steady = reconciler.reconcile("shop");
            assertThat(steady.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
            assertThat(steady.statusWrites()).isZero();
        }
        assertThat(store.statusWriteCount()).as("status writes counted at the store").isEqualTo(writes);
        assertThat(decisions).noneMatch(d -> d.action().startsWith("Write") && !"ok".equals(d.outcome()));
    }

    @Test
    void aRepairIsCountedOnceAsDriftAndWritesEachStatusOnce() {
        reconciler.reconcile("shop");
        int before = store.statusWriteCount();
        int decided = decisions.size();
        String pin = cloud.resources().ofVersion(V1).rules().getFirst().arn();
        cloud.deleteRuleOutOfBand(pin);

        // Passes close together, as the engine runs them after its own status writes: within a second.
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(200));
            assertThat(reconciler.reconcile("shop").outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        }
        assertThat(synced(v1().conditions())).isTrue();

        List<ReconcileObserver.Decision> repair = decisions.subList(decided, decisions.size());
        assertThat(repair).filteredOn(d -> d.driftKind() != null).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo("CreateRule");
            assertThat(d.driftKind()).isEqualTo(DriftRepair.RULE);
            assertThat(d.message()).contains("drift repaired");
        });
        List<StatusWrite> writes = store.statusWrites().subList(before, store.statusWriteCount());
        assertThat(writes).as("the repair shows on the statuses (busy, then synced again)").isNotEmpty();
        Map<String, Object> last = new HashMap<>();
        for (StatusWrite w : writes) {
            Object content = withoutStamp(w.status());
            assertThat(content).as("%s/%s written twice unchanged", w.app(), w.version()).isNotEqualTo(last.get(w.version()));
            last.put(w.version(), content);
        }
        int settled = store.statusWriteCount();
        clock.advance(Duration.ofMillis(200));
        reconciler.reconcile("shop");
        assertThat(store.statusWriteCount()).isEqualTo(settled);
    }

    private static Object withoutStamp(Object status) {
        return switch (status) {
            case AppVersionStatus s -> s.toBuilder().lastReconcileTime(null).build();
            case AppStatus s -> new AppStatus(s.observedGeneration(), s.liveVersion(), s.canaryVersion(), s.canaryWeight(),
                    s.conditions(), null, s.message());
            default -> throw new IllegalArgumentException(status.toString());
        };
    }

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
        throw new AssertionError("not done after " + maxPasses + " passes: " + v1());
    }

    private AppVersionStatus v1() {
        return store.getVersion(V1).orElseThrow().status();
    }

    private AppStatus app() {
        return store.getApp("shop").orElseThrow().status();
    }

    private static boolean synced(List<Condition> conditions) {
        return Conditions.find(conditions, Condition.SYNCED).map(Condition::isTrue).orElse(false);
    }
}
