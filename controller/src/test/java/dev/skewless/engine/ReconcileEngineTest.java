package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.store.VersionStore;
import dev.skewless.testing.DelegatingVersionStore;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud.SimulatedCrash;
import dev.skewless.testing.TestingScheduler;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine mechanics with lambda reconcilers (no planner involved). */
class ReconcileEngineTest {
    private static final Backoff NO_JITTER = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Backoff.Jitter.NONE);
    private static final EngineConfig CONFIG = EngineConfig.DEFAULT.withBackoff(NO_JITTER).withShutdownGrace(Duration.ofSeconds(5));

    private final TestingClock clock = new TestingClock();
    private final TestingScheduler scheduler = new TestingScheduler(clock);
    private final TestingVersionStore store = new TestingVersionStore(clock);
    private final List<String> passes = new CopyOnWriteArrayList<>();
    private ReconcileEngine engine;

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private ReconcileEngine start(EngineConfig config, KeyReconciler reconciler) {
        engine = new ReconcileEngine(store, reconciler, config, clock, scheduler, new SplittableRandom(1));
        engine.start();
        return engine;
    }

    private KeyReconciler recording() {
        return app -> {
            passes.add(app);
            return PassResult.succeeded();
        };
    }

    private long passesOf(String app) {
        return passes.stream().filter(app::equals).count();
    }

    @Test
    void startAndEveryResyncEnqueueEveryApp() {
        for (String name : List.of("a", "b", "c")) {
            store.applyApp(EngineFixtures.app(name));
        }
        start(CONFIG, recording());

        eventually().until(() -> passes.size() == 3);
        assertThat(passes).containsExactlyInAnyOrder("a", "b", "c");

        scheduler.advance(Duration.ofSeconds(59));
        assertThat(passes).hasSize(3);
        scheduler.advance(Duration.ofSeconds(1));
        eventually().until(() -> passes.size() == 6);
        scheduler.advance(Duration.ofSeconds(60));
        eventually().until(() -> passes.size() == 9);
        assertThat(passes.subList(6, 9)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void aResyncThatCannotListAppsTriesAgainNextPeriod() {
        AtomicBoolean storeDown = new AtomicBoolean(true);
        TestingVersionStore flaky = new TestingVersionStore(clock);
        flaky.applyApp(EngineFixtures.app("a"));
        VersionStore failing = new DelegatingVersionStore(flaky) {
            @Override
            public List<App> listApps() {
                if (storeDown.get()) {
                    throw new IllegalStateException("store down");
                }
                return super.listApps();
            }
        };
        engine = new ReconcileEngine(failing, recording(), CONFIG, clock, scheduler, new SplittableRandom(1));
        engine.start();
        assertThat(passes).isEmpty();

        storeDown.set(false);
        scheduler.advance(Duration.ofSeconds(60));

        eventually().until(() -> passes.contains("a"));
    }

    @Test
    void aStoreChangeEnqueuesItsApp() {
        start(CONFIG, recording());
        assertThat(passes).isEmpty();

        store.applyApp(EngineFixtures.app("new"));
        eventually().until(() -> passesOf("new") == 1);

        store.applyVersion(EngineFixtures.version("new", "v1"));
        eventually().until(() -> passesOf("new") == 2);
    }

    @Test
    void aStoreChangeDoesNotCutAFailingAppsBackoffShort() {
        store.applyApp(EngineFixtures.app("a"));
        AtomicInteger attempt = new AtomicInteger();
        start(CONFIG, app -> {
            passes.add(app);
            // Every failing pass writes a different status, as a failure with a request id in its message would.
            store.writeAppStatus(app, new AppStatus(0, null, null, 0, List.of(), null, "attempt " + attempt.incrementAndGet()));
            return PassResult.failed("throttled", 0, 1);
        });
        // The first pass's own status write arrives before it has failed, so it is echoed once.
        eventually().until(() -> engine.failures("a") == 2 && engine.inFlight().isEmpty());
        assertThat(passes).hasSize(2);

        store.applyVersion(EngineFixtures.version("a", "v1"));
        eventually().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(2)).until(() -> passes.size() == 2);

        scheduler.advance(Duration.ofSeconds(1));
        eventually().until(() -> passes.size() == 3);
    }

    @Test
    void aKeyAddedWhileItsPassRunsIsReconciledOnceMoreAfterwards() throws InterruptedException {
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        start(CONFIG, app -> {
            if (calls.incrementAndGet() == 1) {
                inPass.countDown();
                awaitQuietly(release);
            }
            passes.add(app);
            return PassResult.succeeded();
        });
        engine.enqueue("a");
        inPass.await();

        engine.enqueue("a");
        engine.enqueue("a");
        engine.enqueue("a");
        assertThat(engine.inFlight()).containsExactly("a");
        assertThat(engine.queued()).as("not handed to a second worker").isEmpty();
        release.countDown();

        eventually().until(() -> passesOf("a") == 2);
        eventually().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> passesOf("a") == 2);
    }

    @Test
    void neverTwoPassesOfOneAppAndAtMostNPassesAtOnce() throws InterruptedException {
        int workers = 3;
        Map<String, AtomicInteger> perApp = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger maxPerApp = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        start(CONFIG.withWorkers(workers), app -> {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            int mine = perApp.computeIfAbsent(app, k -> new AtomicInteger()).incrementAndGet();
            maxPerApp.accumulateAndGet(mine, Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            perApp.get(app).decrementAndGet();
            running.decrementAndGet();
            total.incrementAndGet();
            return PassResult.succeeded();
        });

        CountDownLatch producers = new CountDownLatch(4);
        for (int p = 0; p < 4; p++) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 400; i++) {
                    engine.enqueue("app-" + (i % 8));
                    if (i % 20 == 0) {
                        sleepQuietly(1);
                    }
                }
                producers.countDown();
            });
        }
        producers.await();
        eventually().until(() -> engine.queued().isEmpty() && engine.inFlight().isEmpty());

        assertThat(maxPerApp).hasValue(1);
        assertThat(maxRunning.get()).isEqualTo(workers);
        assertThat(total.get()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aFailedPassIsRetriedWithGrowingBackoffAndASuccessResetsIt() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        start(CONFIG, app -> {
            passes.add(app);
            return failuresLeft.getAndDecrement() > 0 ? PassResult.failed("boom", 0, 0) : PassResult.succeeded();
        });
        engine.enqueue("a");
        eventually().until(() -> passes.size() == 1 && retryScheduled());

        scheduler.advance(Duration.ofMillis(999));
        assertThat(passes).hasSize(1);
        scheduler.advance(Duration.ofMillis(1));
        eventually().until(() -> passes.size() == 2 && retryScheduled());
        assertThat(engine.failures("a")).isEqualTo(2);

        scheduler.advance(Duration.ofMillis(1999));
        assertThat(passes).hasSize(2);
        scheduler.advance(Duration.ofMillis(1));
        eventually().until(() -> passes.size() == 3 && retryScheduled());
        assertThat(engine.failures("a")).isEqualTo(3);

        scheduler.advance(Duration.ofSeconds(4));
        eventually().until(() -> passes.size() == 4);
        eventually().until(() -> engine.failures("a") == 0);
    }

    @Test
    void aSuccessfulPassIsRequeuedAfterItsRequeueAfter() {
        start(CONFIG, app -> {
            passes.add(app);
            return PassResult.succeeded(Duration.ofSeconds(5), 0, 0);
        });
        engine.enqueue("a");
        eventually().until(() -> passes.size() == 1 && retryScheduled());

        scheduler.advance(Duration.ofSeconds(4));
        assertThat(passes).hasSize(1);
        scheduler.advance(Duration.ofSeconds(1));
        eventually().until(() -> passes.size() == 2);
    }

    @Test
    void aGoneAppIsForgottenAndNotRequeued() {
        start(CONFIG, app -> {
            passes.add(app);
            return PassResult.gone();
        });
        engine.enqueue("gone");
        eventually().until(() -> passes.size() == 1);

        scheduler.advance(Duration.ofSeconds(30));
        assertThat(passes).hasSize(1);
        assertThat(engine.failures("gone")).isZero();
    }

    @Test
    void aThrowingPassDoesNotKillItsWorker() {
        AtomicInteger crashes = new AtomicInteger();
        start(CONFIG.withWorkers(1), app -> {
            passes.add(app);
            if (app.equals("crash") && crashes.getAndIncrement() == 0) {
                throw new SimulatedCrash("process died mid-pass");
            }
            if (app.equals("bug")) {
                throw new IllegalStateException("a bug");
            }
            return PassResult.succeeded();
        });

        engine.enqueue("crash");
        engine.enqueue("bug");
        engine.enqueue("fine");

        eventually().until(() -> passes.contains("fine"));
        assertThat(engine.failures("crash")).isEqualTo(1);
        assertThat(engine.failures("bug")).isEqualTo(1);

        scheduler.advance(Duration.ofSeconds(1));
        eventually().until(() -> passesOf("crash") == 2 && engine.failures("crash") == 0);
    }

    @Test
    void closeWaitsForAnInFlightPassToFinish() throws InterruptedException {
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finishedNormally = new AtomicBoolean();
        start(CONFIG.withWorkers(1), app -> {
            inPass.countDown();
            // Deliberately ignores interrupts: the grace period must be what lets it finish.
            awaitUninterruptibly(release);
            finishedNormally.set(true);
            passes.add(app);
            return PassResult.succeeded();
        });
        engine.enqueue("a");
        inPass.await();
        engine.enqueue("b");

        Thread closer = Thread.ofVirtual().start(engine::close);
        eventually().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(closer::isAlive);
        release.countDown();
        closer.join(Duration.ofSeconds(5));

        assertThat(closer.isAlive()).isFalse();
        assertThat(finishedNormally).isTrue();
        assertThat(passes).as("queued work is not started after close").containsExactly("a");
        assertThat(scheduler.isClosed()).isTrue();
    }

    @Test
    void closeInterruptsPassesStillRunningAfterTheGracePeriod() throws InterruptedException {
        CountDownLatch inPass = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        start(CONFIG.withShutdownGrace(Duration.ofMillis(150)), app -> {
            inPass.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return PassResult.failed("interrupted", 0, 0);
        });
        engine.enqueue("stuck");
        inPass.await();

        long started = System.nanoTime();
        engine.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(interrupted).isTrue();
        assertThat(tookMillis).isBetween(140L, 2_000L);
    }

    @Test
    void afterCloseNothingIsEnqueuedAndCloseIsIdempotent() {
        start(CONFIG, recording());
        engine.close();
        engine.enqueue("late");
        store.applyApp(EngineFixtures.app("late"));
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(passes).isEmpty();
        assertThat(engine.queued()).isEmpty();
        engine.close();
    }

    /** Awaitility polling fast: these conditions turn true within milliseconds. */
    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Whether a delayed add is pending that falls before the next resync (a retry or requeue). */
    private boolean retryScheduled() {
        return scheduler.pending().stream().anyMatch(due -> due.isBefore(clock.instant().plus(CONFIG.resyncPeriod())));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
