package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skewless.model.App;
import dev.skewless.store.VersionStore;
import dev.skewless.testing.DelegatingVersionStore;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static final class StalledListing extends DelegatingVersionStore {
        private final CountDownLatch listing;
        private final AtomicInteger calls = new AtomicInteger();

        StalledListing(VersionStore store, CountDownLatch listing) {
            super(store);
            this.listing = listing;
        }

        @Override
        public List<App> listApps() {
            if (calls.incrementAndGet() == 1) {
                return delegate.listApps();
            }
            listing.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                // The SDK's AbortedException: "Thread was interrupted", no cause, interrupt flag cleared.
                throw new IllegalStateException("Thread was interrupted");
            }
            return delegate.listApps();
        }
    }
}
