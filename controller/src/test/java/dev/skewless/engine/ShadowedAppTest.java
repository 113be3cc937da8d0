package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Apps stored before {@code apply} refused overlaps: the App evaluated later is reported
 * {@code Shadowed}, naming the App that takes its requests; its rules are still planned; the
 * condition goes once the overlap does.
 */
class ShadowedAppTest {
    private final TestingClock clock = new TestingClock();
    private final TestingVersionStore store = new TestingVersionStore(clock);
    private final TestingCloud cloud = EngineFixtures.cloud(clock);
    private final AppReconciler reconciler =
            new AppReconciler(store, cloud.compute(), cloud.router(), new Planner(PlannerConfig.DEFAULT)::plan, clock);

    private static App onRange(String name, int from, List<String> paths) {
        App a = EngineFixtures.app(name);
        RouterSpec r = a.spec().router();
        return new App(a.metadata(), new AppSpec(a.spec().platform(),
                new RouterSpec(r.listenerArn(), new PriorityRange(from, from + 99), paths, r.hostHeaders(), r.deregistrationDelay(),
                        false, null), a.spec().routing(), a.spec().retention(), a.spec().release(), a.spec().local()), null);
    }

    @Test
    void theAppEvaluatedLaterIsReportedShadowedUntilTheOverlapGoes() {
        store.applyApp(onRange("shop", 100, List.of("/api/*")));
        store.applyApp(onRange("blog", 200, List.of("/api/*")));

        reconciler.reconcile("shop");
        reconciler.reconcile("blog");

        assertThat(Conditions.find(status("shop").conditions(), Condition.SHADOWED)).isEmpty();
        Condition shadowed = Conditions.find(status("blog").conditions(), Condition.SHADOWED).orElseThrow();
        assertThat(shadowed.isTrue()).isTrue();
        assertThat(shadowed.reason()).isEqualTo(ShadowedApps.REASON);
        assertThat(shadowed.message()).contains("App blog", "App shop", "/api/*");
        assertThat(status("blog").message()).startsWith("Shadowed: every request of App blog");
        assertThat(cloud.resources().ofApp("blog").rules()).as("its rules are planned as before").isNotEmpty();

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(10));
            reconciler.reconcile("blog");
        }
        int writes = store.statusWrites();
        clock.advance(Duration.ofSeconds(10));
        reconciler.reconcile("blog");
        assertThat(store.statusWrites()).as("a lasting overlap is not rewritten").isEqualTo(writes);

        store.applyApp(onRange("blog", 200, List.of("/blog/*")));
        reconciler.reconcile("blog");
        assertThat(Conditions.find(status("blog").conditions(), Condition.SHADOWED)).isEmpty();
        assertThat(status("blog").message()).doesNotContain("Shadowed");
    }

    private AppStatus status(String app) {
        return store.getApp(app).orElseThrow().status();
    }
}
