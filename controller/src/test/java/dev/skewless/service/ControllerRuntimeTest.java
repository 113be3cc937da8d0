package dev.skewless.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.EngineConfig;
import dev.skewless.engine.PassResult;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.plan.Plan;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The composition with providers handed in by code, as {@code skewless dev} does. */
class ControllerRuntimeTest {

    @Test
    void aSoleLeaderRunsTheEngineTellsExtraObserversAndStopsCleanly() {
        TestingVersionStore store = new TestingVersionStore(InstantSource.system());
        TestingCloud cloud = new TestingCloud(InstantSource.system());
        List<String> passes = new CopyOnWriteArrayList<>();
        SoleLeaderLease lease = new SoleLeaderLease("dev");
        ControllerRuntime runtime = ControllerRuntime.builder().store(store).lease(lease, Duration.ofMillis(50))
                .compute(cloud.compute()).router(cloud.router())
                .engineConfig(EngineConfig.DEFAULT.withShutdownGrace(Duration.ofSeconds(1)))
                .observer(new ReconcileObserver() {
                    @Override
                    public void passFinished(String app, Duration took, PassResult result, Plan plan) {
                        passes.add(app);
                    }
                }).build();
        assertThat(runtime.readiness().state()).isEqualTo("starting");
        runtime.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runtime.readiness().ready());
        assertThat(runtime.engine()).isNotNull();

        store.applyApp(SampleRecords.app("shop"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> passes.contains("shop"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runtime.feed().snapshot("shop").isPresent());
        assertThat(runtime.events().recent("shop", 10)).as("the pass wrote the App's status, and the history heard it")
                .extracting(ReconcileObserver.Decision::action).contains("WriteAppStatus");

        runtime.close();
        assertThat(runtime.readiness().state()).isEqualTo("stopping");
        assertThat(runtime.engine()).isNull();
        assertThat(lease.isHeld()).as("the lease is released on close").isFalse();
        runtime.close(); // idempotent
    }
}
