package dev.skewless.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingVersionStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The versions-by-phase gauges follow the status feed without ever dropping a row. */
class ControllerMetricsTest {

    @Test
    void versionGaugesAreUpdatedInPlaceAsPhasesMove() throws Exception {
        TestingVersionStore store = new TestingVersionStore(InstantSource.system());
        store.applyApp(SampleRecords.app("shop", 100, 199));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.writeVersionStatus(new VersionKey("shop", "v1"), status(Phase.Ready));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StatusFeed feed = new StatusFeed(store, Duration.ofMinutes(5)); SoleLeaderLease lease = new SoleLeaderLease("test")) {
            new ControllerMetrics(registry, feed, () -> null, lease);
            feed.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(registry, Phase.Ready) == 1);
            Gauge live = registry.get("skewless.versions").tags("app", "shop", "phase", "Live").gauge();
            assertThat(live.value()).isZero();
            assertThat(registry.find("skewless.versions").tag("app", "shop").gauges()).hasSize(Phase.values().length);

            store.writeVersionStatus(new VersionKey("shop", "v1"), status(Phase.Live));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(registry, Phase.Live) == 1);
            assertThat(count(registry, Phase.Ready)).isZero();
            // The same meter as before: a scrape between two refreshes always finds the row.
            assertThat(registry.get("skewless.versions").tags("app", "shop", "phase", "Live").gauge()).isSameAs(live);
        }
    }

    private static double count(SimpleMeterRegistry registry, Phase phase) {
        Gauge g = registry.find("skewless.versions").tags("app", "shop", "phase", phase.name()).gauge();
        return g == null ? -1 : g.value();
    }

    private static AppVersionStatus status(Phase phase) {
        return AppVersionStatus.PENDING.toBuilder().phase(phase).build();
    }
}
