package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.AppVersion;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.DriftRepair;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scalable target deregistered by hand is drift like a deleted rule: its repair is counted once,
 * by kind, while the promotion that first attached it is not.
 */
class AutoscalingDriftTest {
    private static final VersionKey V1 = new VersionKey("shop", "v1");

    @TempDir
    Path dir;

    private final TestingClock clock = new TestingClock();
    private final TestingCloud cloud = EngineFixtures.cloud(clock).startupDelay(Duration.ofSeconds(20));
    private final List<ReconcileObserver.Decision> decisions = new CopyOnWriteArrayList<>();

    @Test
    void aTargetDeregisteredByHandIsOneScalableTargetRepairAndThePromotionNone() {
        EmbeddedVersionStore store = EmbeddedVersionStore.open(dir, clock, EmbeddedVersionStore.DEFAULT_POLL_INTERVAL);
        AppReconciler reconciler = new AppReconciler(store, cloud.compute(), cloud.router(), new Planner(PlannerConfig.DEFAULT)::plan,
                clock, () -> true, new ReconcileObserver() {
                    @Override
                    public void decided(Decision decision) {
                        decisions.add(decision);
                    }
                });
        store.applyApp(EngineFixtures.app("shop"));
        AppVersion plain = EngineFixtures.version("shop", "v1");
        store.applyVersion(new AppVersion(plain.metadata(), plain.spec().withAutoscaling(new AutoscalingSpec(2, 4, 60, null, null, null)), null));
        for (int i = 0; i < 40 && !settled(store); i++) {
            PassResult r = reconciler.reconcile("shop");
            clock.advance(r.requeueAfter() != null && !r.requeueAfter().isZero() ? r.requeueAfter() : Duration.ofSeconds(5));
        }
        assertThat(settled(store)).as("v1 live and synced").isTrue();
        String resourceId = ScalableTargetSpec.resourceId(EngineFixtures.CLUSTER, ResourceNames.service(V1));
        assertThat(cloud.scalableTargets()).containsKey(resourceId);
        assertThat(decisions).as("attaching at promotion is not drift").noneMatch(d -> d.driftKind() != null);

        cloud.deregisterScalableTargetOutOfBand(resourceId);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(200));
            assertThat(reconciler.reconcile("shop").outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        }

        assertThat(cloud.scalableTargets()).containsKey(resourceId);
        assertThat(decisions).filteredOn(d -> d.driftKind() != null).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo("RegisterScalableTarget");
            assertThat(d.driftKind()).isEqualTo(DriftRepair.SCALABLE_TARGET);
        });
    }

    private static boolean settled(EmbeddedVersionStore store) {
        var v1 = store.getVersion(V1).orElseThrow().status();
        var app = store.getApp("shop").orElseThrow().status();
        return v1 != null && v1.phase() == Phase.Live && synced(v1.conditions()) && app != null && synced(app.conditions());
    }

    private static boolean synced(List<Condition> conditions) {
        return Conditions.find(conditions, Condition.SYNCED).map(Condition::isTrue).orElse(false);
    }
}
