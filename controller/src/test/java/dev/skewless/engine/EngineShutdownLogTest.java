package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Stopping the engine while a resync waits on the store is expected: the store's client reports
 * the interrupted call as its own exception (the AWS SDK's AbortedException carries no
 * InterruptedException), and the engine logs it as one line without a stack trace.
 */
class EngineShutdownLogTest {
    private final Logger engineLog = (Logger) LoggerFactory.getLogger(ReconcileEngine.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        engineLog.addAppender(lines);
    }

    @AfterEach
    void release() {
        engineLog.detachAppender(lines);
    }

    @Test
    void aResyncInterruptedByCloseIsOneLineWithoutAStackTrace() throws InterruptedException {
        CountDownLatch listing = new CountDownLatch(1);
        VersionStore stalled = new StalledListing(new TestingVersionStore(new TestingClock()), listing);
        ReconcileEngine engine = new ReconcileEngine(stalled, app -> PassResult.gone(),
                EngineConfig.DEFAULT.withShutdownGrace(Duration.ofMillis(100)).withResyncPeriod(Duration.ofMillis(50)));
        engine.start();
        assertThat(listing.await(10, TimeUnit.SECONDS)).as("a periodic resync is listing apps").isTrue();

        engine.close();

        // close() does not wait for the timer thread it interrupted: wait for that thread's line.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> List.copyOf(lines.list).stream().anyMatch(e -> e.getFormattedMessage().startsWith("resync")));
        assertThat(lines.list).as("no stack trace").allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        assertThat(lines.list).filteredOn(e -> e.getFormattedMessage().startsWith("resync")).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).isEqualTo("resync stopped: the engine is stopping"));
    }

    /** Lists apps at once the first time (start() resyncs on its caller), then like a stalled table: until interrupted, then fails the way the SDK does. */
    private record StalledListing(VersionStore store, CountDownLatch listing, AtomicInteger calls) implements VersionStore {
        StalledListing(VersionStore store, CountDownLatch listing) {
            this(store, listing, new AtomicInteger());
        }

        @Override
        public List<App> listApps() {
            if (calls.incrementAndGet() == 1) {
                return store.listApps();
            }
            listing.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                // The SDK's AbortedException: "Thread was interrupted", no cause, interrupt flag cleared.
                throw new IllegalStateException("Thread was interrupted");
            }
            return store.listApps();
        }

        @Override
        public Optional<App> getApp(String name) {
            return store.getApp(name);
        }

        @Override
        public List<AppVersion> listVersions(String app) {
            return store.listVersions(app);
        }

        @Override
        public Optional<AppVersion> getVersion(VersionKey key) {
            return store.getVersion(key);
        }

        @Override
        public App applyApp(App app) {
            return store.applyApp(app);
        }

        @Override
        public AppVersion applyVersion(AppVersion version) {
            return store.applyVersion(version);
        }

        @Override
        public void writeAppStatus(String app, AppStatus status) {
            store.writeAppStatus(app, status);
        }

        @Override
        public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
            store.writeVersionStatus(key, status);
        }

        @Override
        public AutoCloseable watch(Consumer<String> listener) {
            return store.watch(listener);
        }
    }
}
