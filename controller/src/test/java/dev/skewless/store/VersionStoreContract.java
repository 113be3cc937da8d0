package dev.skewless.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingClock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VersionStore} must do, run against each implementation (the in-memory
 * testing store and the DynamoDB store on moto), so the engine's tests on the in-memory store say
 * something about production.
 */
public abstract class VersionStoreContract {
    protected TestingClock clock;
    protected VersionStore store;

    /** A store on an empty table / empty memory, using {@code clock} for creation times. */
    protected abstract VersionStore newStore(InstantSource clock);

    @BeforeEach
    void createStore() {
        clock = new TestingClock();
        store = newStore(clock);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Test
    void createSetsGenerationOneAndCreationTime() {
        App stored = store.applyApp(SampleRecords.app("shop"));
        assertThat(stored.metadata().generation()).isEqualTo(1);
        assertThat(stored.metadata().creationTimestamp()).isEqualTo(clock.instant());
        assertThat(stored.status()).isEqualTo(AppStatus.EMPTY);
        assertThat(store.getApp("shop")).contains(stored);

        clock.advance(Duration.ofSeconds(5));
        AppVersion v = store.applyVersion(SampleRecords.version("shop", "v1"));
        assertThat(v.metadata().generation()).isEqualTo(1);
        assertThat(v.metadata().creationTimestamp()).isEqualTo(clock.instant());
        assertThat(v.status()).isEqualTo(AppVersionStatus.PENDING);
        assertThat(store.getVersion(new VersionKey("shop", "v1"))).contains(v);
        assertThat(store.getApp("nope")).isEmpty();
        assertThat(store.getVersion(new VersionKey("shop", "nope"))).isEmpty();
    }

    @Test
    void applyIsIdempotent() {
        App first = store.applyApp(SampleRecords.app("shop"));
        AppVersion v1 = store.applyVersion(SampleRecords.version("shop", "v1"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.applyApp(SampleRecords.app("shop"))).isEqualTo(first);
        assertThat(store.applyVersion(SampleRecords.version("shop", "v1"))).isEqualTo(v1);
        assertThat(store.getApp("shop")).contains(first);
        assertThat(store.getVersion(v1.key())).contains(v1);
    }

    @Test
    void generationBumpsOnlyOnSpecChange() {
        store.applyApp(SampleRecords.app("shop"));
        AppVersion v1 = store.applyVersion(SampleRecords.version("shop", "v1"));

        // Labels are metadata: stored, no bump.
        AppVersion labelled = store.applyVersion(new AppVersion(
                new ObjectMeta("v1", "shop", Map.of("commit", "abc"), 0, null), v1.spec(), null));
        assertThat(labelled.metadata().generation()).isEqualTo(1);
        assertThat(labelled.metadata().labels()).containsEntry("commit", "abc");

        // Status is not spec: no bump.
        store.writeVersionStatus(v1.key(), AppVersionStatus.PENDING.toBuilder().phase(Phase.Provisioning).build());
        assertThat(store.getVersion(v1.key()).orElseThrow().metadata().generation()).isEqualTo(1);

        AppVersion revoked = store.applyVersion(new AppVersion(ObjectMeta.ofVersion("shop", "v1"), v1.spec().withRevoked(true), null));
        assertThat(revoked.metadata().generation()).isEqualTo(2);
        assertThat(revoked.metadata().creationTimestamp()).isEqualTo(v1.metadata().creationTimestamp());
        assertThat(revoked.spec().revoked()).isTrue();

        App promoted = store.applyApp(withLive(SampleRecords.app("shop"), "v1"));
        assertThat(promoted.metadata().generation()).isEqualTo(2);
        assertThat(store.applyApp(withLive(SampleRecords.app("shop"), "v1")).metadata().generation()).isEqualTo(2);
    }

    @Test
    void staleExpectedGenerationIsAConflict() {
        App v1 = store.applyApp(SampleRecords.app("shop"));
        App edited = store.applyApp(withLive(v1, "a")); // v1 carries generation 1: matches
        assertThat(edited.metadata().generation()).isEqualTo(2);

        assertThatThrownBy(() -> store.applyApp(withLive(v1, "b"))).isInstanceOf(StoreConflictException.class);
        assertThat(store.getApp("shop").orElseThrow().spec().release().live()).isEqualTo("a");

        App missing = SampleRecords.app("ghost").withMetadata(ObjectMeta.ofApp("ghost").stored(3, null));
        assertThatThrownBy(() -> store.applyApp(missing)).isInstanceOf(StoreConflictException.class);
        assertThat(store.getApp("ghost")).isEmpty();

        AppVersion created = store.applyVersion(SampleRecords.version("shop", "v1"));
        store.applyVersion(new AppVersion(created.metadata(), created.spec().withRevoked(true), null));
        assertThatThrownBy(() -> store.applyVersion(new AppVersion(created.metadata(), created.spec(), null)))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.getVersion(created.key()).orElseThrow().spec().revoked()).isTrue();
    }

    @Test
    void versionNeedsItsApp() {
        assertThatThrownBy(() -> store.applyVersion(SampleRecords.version("ghost", "v1")))
                .isInstanceOf(StoreConflictException.class).hasMessageContaining("ghost");
        assertThat(store.listVersions("ghost")).isEmpty();
    }

    @Test
    void specAndStatusAreWrittenIndependently() {
        store.applyApp(SampleRecords.app("shop"));
        AppVersion readByManager = store.applyVersion(SampleRecords.version("shop", "v1"));
        AppVersionStatus ready = AppVersionStatus.PENDING.toBuilder().phase(Phase.Ready).observedGeneration(1).runningCount(2)
                .conditions(List.of(new Condition(Condition.SYNCED, ConditionStatus.True, "Reconciled", "ok", clock.instant())))
                .build();

        // The controller writes status after the release manager read the record...
        store.writeVersionStatus(readByManager.key(), ready);
        // ...and the manager's edit (with the generation it read) still applies and keeps that status.
        AppVersion edited = store.applyVersion(new AppVersion(readByManager.metadata(), readByManager.spec().withRevoked(true), null));
        assertThat(edited.metadata().generation()).isEqualTo(2);
        assertThat(store.getVersion(readByManager.key()).orElseThrow().status()).isEqualTo(ready);

        // The controller's next status write (computed before the edit) keeps the new spec.
        AppVersionStatus live = ready.toBuilder().phase(Phase.Live).build();
        store.writeVersionStatus(readByManager.key(), live);
        AppVersion after = store.getVersion(readByManager.key()).orElseThrow();
        assertThat(after.spec().revoked()).isTrue();
        assertThat(after.status()).isEqualTo(live);
        assertThat(after.metadata().generation()).isEqualTo(2);

        // Same for the App.
        App app = store.getApp("shop").orElseThrow();
        AppStatus appStatus = new AppStatus(1, "v1", null, 0, List.of(), clock.instant(), "live v1");
        store.writeAppStatus("shop", appStatus);
        store.applyApp(withLive(app, "v1"));
        App appAfter = store.getApp("shop").orElseThrow();
        assertThat(appAfter.status()).isEqualTo(appStatus);
        assertThat(appAfter.spec().release().live()).isEqualTo("v1");
        store.writeAppStatus("shop", AppStatus.EMPTY);
        assertThat(store.getApp("shop").orElseThrow().spec().release().live()).isEqualTo("v1");
        assertThat(store.getApp("shop").orElseThrow().status()).isEqualTo(AppStatus.EMPTY);
    }

    @Test
    void concurrentSpecEditsAndStatusWritesKeepBoth() throws Exception {
        store.applyApp(SampleRecords.app("shop"));
        AppVersion v1 = store.applyVersion(SampleRecords.version("shop", "v1"));
        int rounds = 15;
        Thread manager = Thread.ofVirtual().start(() -> {
            for (int i = 1; i <= rounds; i++) {
                AppVersionSpec s = v1.spec();
                store.applyVersion(new AppVersion(ObjectMeta.ofVersion("shop", "v1"), new AppVersionSpec("repo/api:edit-" + i, s.cpu(),
                        s.memory(), s.desiredCount(), s.containerPort(), s.env(), s.secrets(), s.healthCheck(), s.retention(), s.revoked()),
                        null));
            }
        });
        Thread controller = Thread.ofVirtual().start(() -> {
            for (int i = 1; i <= rounds; i++) {
                store.writeVersionStatus(v1.key(), AppVersionStatus.PENDING.toBuilder().phase(Phase.Provisioning).runningCount(i).build());
            }
        });
        manager.join();
        controller.join();
        AppVersion after = store.getVersion(v1.key()).orElseThrow();
        // Each writer's last write survives: neither attribute was written from a stale copy of the other.
        assertThat(after.spec().image()).isEqualTo("repo/api:edit-" + rounds);
        assertThat(after.status().runningCount()).isEqualTo(rounds);
        assertThat(after.metadata().generation()).isEqualTo(1 + rounds);
    }

    @Test
    void concurrentIdenticalAppliesAllSucceedWithOneRecord() throws Exception {
        store.applyApp(SampleRecords.app("shop"));
        List<AppVersion> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(Thread.ofVirtual().start(() -> results.add(store.applyVersion(SampleRecords.version("shop", "v1")))));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(results).hasSize(6);
        assertThat(results).extracting(v -> v.metadata().generation()).containsOnly(1L);
        assertThat(results).extracting(v -> v.metadata().creationTimestamp())
                .containsOnly(results.getFirst().metadata().creationTimestamp());
        assertThat(store.listVersions("shop")).hasSize(1);
    }

    @Test
    void statusWriteToAMissingRecordIsAConflict() {
        assertThatThrownBy(() -> store.writeAppStatus("ghost", AppStatus.EMPTY)).isInstanceOf(StoreConflictException.class);
        store.applyApp(SampleRecords.app("shop"));
        assertThatThrownBy(() -> store.writeVersionStatus(new VersionKey("shop", "v9"), AppVersionStatus.PENDING))
                .isInstanceOf(StoreConflictException.class);
        // and the failed write did not create anything
        assertThat(store.getVersion(new VersionKey("shop", "v9"))).isEmpty();
        assertThat(store.getApp("ghost")).isEmpty();
    }

    @Test
    void listsAppsByNameAndVersionsByCreationTime() {
        store.applyApp(SampleRecords.app("web"));
        store.applyApp(SampleRecords.app("api"));
        store.applyApp(SampleRecords.app("shop"));
        for (String id : List.of("v2", "v10", "v1")) {
            clock.advance(Duration.ofSeconds(1));
            store.applyVersion(SampleRecords.version("shop", id));
        }
        store.applyVersion(SampleRecords.version("web", "v0"));
        assertThat(store.listApps()).extracting(App::name).containsExactly("api", "shop", "web");
        assertThat(store.listVersions("shop")).extracting(AppVersion::id).containsExactly("v2", "v10", "v1");
        assertThat(store.listVersions("web")).extracting(AppVersion::id).containsExactly("v0");
        assertThat(store.listVersions("api")).isEmpty();
    }

    @Test
    void creationTimesIncreaseWithinAnAppWhenTheClockStandsStill() {
        store.applyApp(SampleRecords.app("shop"));
        for (String id : List.of("c", "b", "a")) {
            store.applyVersion(SampleRecords.version("shop", id));
        }
        List<AppVersion> listed = store.listVersions("shop");
        assertThat(listed).extracting(AppVersion::id).containsExactly("c", "b", "a");
        assertThat(listed.get(0).metadata().creationTimestamp()).isBefore(listed.get(1).metadata().creationTimestamp());
        assertThat(listed.get(1).metadata().creationTimestamp()).isBefore(listed.get(2).metadata().creationTimestamp());
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        App full = SampleRecords.fullApp();
        App stored = store.applyApp(new App(full.metadata().stored(0, null), full.spec(), null));
        store.writeAppStatus(full.name(), full.status());
        assertThat(store.getApp(full.name()).orElseThrow())
                .isEqualTo(new App(full.metadata().stored(1, stored.metadata().creationTimestamp()), full.spec(), full.status()));

        AppVersion version = fullVersion();
        AppVersion storedVersion = store.applyVersion(new AppVersion(version.metadata().stored(0, null), version.spec(), null));
        store.writeVersionStatus(version.key(), version.status());
        assertThat(store.getVersion(version.key()).orElseThrow()).isEqualTo(new AppVersion(
                version.metadata().stored(1, storedVersion.metadata().creationTimestamp()), version.spec(), version.status()));
    }

    @Test
    void watchDeliversTheAppOfEveryChange() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        try (AutoCloseable watch = store.watch(seen::add)) {
            store.applyApp(SampleRecords.app("shop"));
            await().until(() -> seen.contains("shop"));

            store.applyApp(SampleRecords.app("web"));
            store.applyVersion(SampleRecords.version("web", "v1"));
            await().until(() -> seen.contains("web"));

            seen.clear();
            store.writeVersionStatus(new VersionKey("web", "v1"), AppVersionStatus.PENDING.toBuilder().phase(Phase.Provisioning).build());
            await().until(() -> seen.contains("web"));
            assertThat(seen).containsOnly("web");
        }
    }

    /** The version whose every field must survive the round trip; a store's test may say what its backend cannot hold. */
    protected AppVersion fullVersion() {
        return SampleRecords.fullVersion();
    }

    /** How long a change may take to reach a watcher; the Dynamo tests poll fast. */
    protected org.awaitility.core.ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
    }

    protected static App withLive(App app, String live) {
        AppSpec s = app.spec();
        return new App(app.metadata(), new AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec(live, null), s.local()), null);
    }

    protected static AppVersionSpec spec() {
        return SampleRecords.versionSpec();
    }
}
