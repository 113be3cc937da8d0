package dev.skewless.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.store.Fence;
import dev.skewless.store.FencedVersionStore;
import dev.skewless.store.LeaseLostException;
import dev.skewless.store.StoreConflictException;
import dev.skewless.store.VersionStore;
import dev.skewless.store.VersionStoreContract;
import dev.skewless.testing.SampleRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store keeps the same contract as the DynamoDB store, survives restarts, shares its
 * directory with other store instances (as {@code ./skewless apply} in a second terminal does),
 * and isolates an unreadable record file.
 */
class EmbeddedVersionStoreTest extends VersionStoreContract {
    @TempDir
    Path dir;

    @Override
    protected VersionStore newStore(InstantSource clock) {
        return EmbeddedVersionStore.open(dir, clock, Duration.ofMillis(20));
    }

    private EmbeddedVersionStore embedded() {
        return (EmbeddedVersionStore) store;
    }

    private EmbeddedVersionStore reopen() {
        embedded().close();
        return EmbeddedVersionStore.open(dir, clock, Duration.ofMillis(20));
    }

    @Test
    void aReopenedStoreHasTheSameRecordsAndStatuses() {
        App app = store.applyApp(withLive(SampleRecords.app("shop"), "v1"));
        AppVersion v1 = store.applyVersion(SampleRecords.version("shop", "v1"));
        clock.advance(Duration.ofSeconds(3));
        AppVersion v2 = store.applyVersion(SampleRecords.version("shop", "v2"));
        AppVersionStatus live = AppVersionStatus.PENDING.toBuilder().phase(Phase.Live).runningCount(2).desiredCount(2)
                .observedGeneration(1).lastReconcileTime(clock.instant()).message("live").build();
        store.writeVersionStatus(v1.key(), live);
        AppStatus appStatus = new AppStatus(1, "v1", null, 0, List.of(), clock.instant(), "live v1");
        store.writeAppStatus("shop", appStatus);

        try (EmbeddedVersionStore again = reopen()) {
            assertThat(again.listApps()).containsExactly(app.withStatus(appStatus));
            assertThat(again.listVersions("shop")).containsExactly(v1.withStatus(live), v2);
            assertThat(again.getVersion(v2.key())).contains(v2);
            // and it goes on from there: generations and creation order continue
            AppVersion v3 = again.applyVersion(SampleRecords.version("shop", "v3"));
            assertThat(v3.metadata().creationTimestamp()).isAfter(v2.metadata().creationTimestamp());
            assertThat(again.applyApp(withLive(app, "v2")).metadata().generation()).isEqualTo(2);
            assertThat(again.problems()).isEmpty();
        }
    }

    @Test
    void anUnreadableRecordFailsOnlyTheReadsThatNeedItAndNamesTheFile() throws IOException {
        store.applyApp(SampleRecords.app("shop"));
        store.applyApp(SampleRecords.app("web"));
        store.applyApp(SampleRecords.app("api"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.applyVersion(SampleRecords.version("shop", "v2"));
        store.applyVersion(SampleRecords.version("web", "v1"));
        Path badVersion = dir.resolve("versions/shop/v2.json");
        Path badApp = dir.resolve("apps/api.json");
        Files.writeString(badVersion, "{\"apiVersion\": \"skewless.dev/v1alpha1\", \"kind\": \"AppVersion\", \"metad", StandardCharsets.UTF_8);
        Files.writeString(badApp, Files.readString(badApp).replace("\"cluster\"", "\"clusterr\""), StandardCharsets.UTF_8);

        try (EmbeddedVersionStore again = reopen()) {
            // The others load.
            assertThat(again.listApps()).extracting(App::name).containsExactly("shop", "web");
            assertThat(again.getVersion(new VersionKey("shop", "v1"))).isPresent();
            assertThat(again.listVersions("web")).extracting(AppVersion::id).containsExactly("v1");
            // What needs a bad file fails, naming it.
            assertThatThrownBy(() -> again.listVersions("shop")).isInstanceOf(UnreadableRecordException.class)
                    .hasMessageContaining(badVersion.toString());
            assertThatThrownBy(() -> again.getVersion(new VersionKey("shop", "v2"))).isInstanceOf(UnreadableRecordException.class)
                    .hasMessageContaining(badVersion.toString());
            assertThatThrownBy(() -> again.getApp("api")).isInstanceOf(UnreadableRecordException.class)
                    .hasMessageContaining(badApp.toString()).hasMessageContaining("clusterr");
            assertThat(again.problems()).extracting(UnreadableRecordException::file).containsExactlyInAnyOrder(badApp, badVersion);
            // The store never overwrites what it cannot read...
            assertThatThrownBy(() -> again.applyVersion(SampleRecords.version("shop", "v2")))
                    .isInstanceOf(UnreadableRecordException.class);
            assertThatThrownBy(() -> again.writeVersionStatus(new VersionKey("shop", "v2"), AppVersionStatus.PENDING))
                    .isInstanceOf(UnreadableRecordException.class);
            assertThat(Files.readString(badVersion)).endsWith("\"metad");
            // ...and a new version of the App still gets a creation time after its readable siblings.
            AppVersion v3 = again.applyVersion(SampleRecords.version("shop", "v3"));
            assertThat(v3.metadata().creationTimestamp())
                    .isAfter(again.getVersion(new VersionKey("shop", "v1")).orElseThrow().metadata().creationTimestamp());
            // Fixing the file by hand brings the record back.
            Files.delete(badVersion);
            assertThat(again.listVersions("shop")).extracting(AppVersion::id).containsExactly("v1", "v3");
        }
    }

    @Test
    void aRecordStoredUnderTheWrongNameIsUnreadable() throws IOException {
        store.applyApp(SampleRecords.app("shop"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        Path copy = dir.resolve("versions/shop/v9.json");
        Files.copy(dir.resolve("versions/shop/v1.json"), copy);
        assertThatThrownBy(() -> store.listVersions("shop")).isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining(copy.toString()).hasMessageContaining("expected the AppVersion shop/v9");
    }

    @Test
    void idsDifferingOnlyInCaseAreTwoFiles() {
        store.applyApp(SampleRecords.app("shop"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.applyVersion(SampleRecords.version("shop", "V1"));
        store.applyVersion(SampleRecords.version("shop", ".."));
        assertThat(store.listVersions("shop")).extracting(AppVersion::id).containsExactly("v1", "V1", "..");
        assertThat(dir.resolve("versions/shop/^v1.json")).exists();
        assertThat(dir.resolve("versions/shop/...json")).exists();
        // A name that could leave the directory never reaches the file system.
        assertThatThrownBy(() -> store.getApp("../apps/shop")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.getVersion(new VersionKey("shop", "a/b"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesLeaveNoTemporaryFilesAndALeftoverOneIsIgnoredThenRemoved() throws IOException {
        store.applyApp(SampleRecords.app("shop"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.writeVersionStatus(new VersionKey("shop", "v1"), AppVersionStatus.PENDING.toBuilder().phase(Phase.Ready).build());
        assertThat(allFiles()).noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));

        // A writer that crashed before its rename.
        Path leftover = dir.resolve("versions/shop/.v2.json.1234.tmp");
        Files.writeString(leftover, "{half");
        assertThat(store.listVersions("shop")).extracting(AppVersion::id).containsExactly("v1");
        try (EmbeddedVersionStore again = reopen()) {
            assertThat(leftover).doesNotExist();
            assertThat(again.problems()).isEmpty();
        }
    }

    @Test
    void twoStoresOnOneDirectorySeeEachOthersWritesAndHearThem() throws Exception {
        try (EmbeddedVersionStore other = EmbeddedVersionStore.open(dir, clock, Duration.ofMillis(20))) {
            ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
            try (AutoCloseable watch = store.watch(heard::add)) {
                other.applyApp(SampleRecords.app("shop"));
                assertThat(store.getApp("shop")).isPresent();
                await().until(() -> heard.contains("shop"));

                heard.clear();
                other.applyVersion(SampleRecords.version("shop", "v1"));
                store.writeVersionStatus(new VersionKey("shop", "v1"), AppVersionStatus.PENDING.toBuilder().phase(Phase.Ready).build());
                assertThat(other.getVersion(new VersionKey("shop", "v1")).orElseThrow().status().phase()).isEqualTo(Phase.Ready);
                await().until(() -> heard.contains("shop"));
            }
        }
    }

    @Test
    void concurrentWritersInTwoStoresKeepEveryWrite() throws Exception {
        store.applyApp(SampleRecords.app("shop"));
        try (EmbeddedVersionStore other = EmbeddedVersionStore.open(dir, clock, Duration.ofMillis(20))) {
            int n = 20;
            Thread a = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < n; i++) {
                    store.applyVersion(SampleRecords.version("shop", "a" + i));
                }
            });
            Thread b = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < n; i++) {
                    other.applyVersion(SampleRecords.version("shop", "b" + i));
                }
            });
            a.join();
            b.join();
            List<AppVersion> all = store.listVersions("shop");
            assertThat(all).hasSize(2 * n);
            assertThat(all.stream().map(v -> v.metadata().creationTimestamp()).distinct()).hasSize(2 * n);
        }
    }

    @Nested
    class Lease {
        @Test
        void oneHolderPerDirectoryAndTokensGrowAcrossHolders() {
            try (EmbeddedLeaderLease first = new EmbeddedLeaderLease(dir); EmbeddedLeaderLease second = new EmbeddedLeaderLease(dir)) {
                assertThat(first.tryAcquire()).isTrue();
                assertThat(first.isHeld()).isTrue();
                assertThat(second.tryAcquire()).isFalse();
                assertThat(second.fence()).isEmpty();
                long firstToken = first.fencingToken().orElseThrow();
                // Asking again while holding still holds (and does not release the OS lock).
                assertThat(first.tryAcquire()).isTrue();
                assertThat(second.tryAcquire()).isFalse();

                first.close();
                assertThat(first.isHeld()).isFalse();
                assertThat(second.tryAcquire()).isTrue();
                assertThat(second.fencingToken().orElseThrow()).isGreaterThan(firstToken);
            }
        }

        @Test
        void theLockExcludesAnotherProcess() throws Exception {
            try (EmbeddedLeaderLease lease = new EmbeddedLeaderLease(dir)) {
                assertThat(lease.tryAcquire()).isTrue();
                assertThat(otherProcessCanLock(dir.resolve("leader.lock"))).isFalse();
                // Reading the store (which reads the token file) must not drop the lock.
                store.listApps();
                EmbeddedLeaderLease.currentHolding(dir.toRealPath());
                assertThat(otherProcessCanLock(dir.resolve("leader.lock"))).isFalse();
                lease.close();
                assertThat(otherProcessCanLock(dir.resolve("leader.lock"))).isTrue();
            }
        }

        @Test
        void fencedWritesNeedTheCurrentHolding() {
            store.applyApp(SampleRecords.app("shop"));
            try (EmbeddedLeaderLease first = new EmbeddedLeaderLease(dir); EmbeddedLeaderLease second = new EmbeddedLeaderLease(dir)) {
                first.tryAcquire();
                Fence old = first.fence().orElseThrow();
                VersionStore fenced = new FencedVersionStore(embedded(), first);
                AppStatus s1 = new AppStatus(1, "v1", null, 0, List.of(), null, "one");
                fenced.writeAppStatus("shop", s1);
                assertThat(store.getApp("shop").orElseThrow().status()).isEqualTo(s1);

                first.close();
                assertThatThrownBy(() -> fenced.writeAppStatus("shop", AppStatus.EMPTY)).isInstanceOf(LeaseLostException.class);
                second.tryAcquire();
                // A stale fence, checked by the store itself, is refused too.
                assertThatThrownBy(() -> embedded().writeAppStatus("shop", AppStatus.EMPTY, old))
                        .isInstanceOf(LeaseLostException.class);
                assertThat(store.getApp("shop").orElseThrow().status()).isEqualTo(s1);
                embedded().writeAppStatus("shop", AppStatus.EMPTY, second.fence().orElseThrow());
                assertThat(store.getApp("shop").orElseThrow().status()).isEqualTo(AppStatus.EMPTY);
                assertThatThrownBy(() -> embedded().writeAppStatus("ghost", AppStatus.EMPTY, second.fence().orElseThrow()))
                        .isInstanceOf(StoreConflictException.class);
            }
        }
    }

    /** Whether a separate python process can take a POSIX lock on {@code file} right now. */
    private static boolean otherProcessCanLock(Path file) throws Exception {
        Process p = new ProcessBuilder(python(), "-c",
                "import fcntl,sys\nf=open(sys.argv[1],'r+')\ntry:\n fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\n print('free')\n"
                        + "except OSError:\n print('held')", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        assertThat(out).isIn("free", "held");
        return out.equals("free");
    }

    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
