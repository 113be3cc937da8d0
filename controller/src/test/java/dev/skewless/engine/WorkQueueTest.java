package dev.skewless.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final TestingClock clock = new TestingClock();
    private final TestingScheduler scheduler = new TestingScheduler(clock);
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), Backoff.Jitter.NONE);
    private final WorkQueue<String> queue = new WorkQueue<>(clock, scheduler, backoff, new SplittableRandom(1));

    @Test
    void aWaitingKeyIsQueuedOnce() throws InterruptedException {
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.queued()).containsExactly("a", "b");
        assertThat(queue.take()).contains("a");
        assertThat(queue.take()).contains("b");
        assertThat(queue.size()).isZero();
    }

    @Test
    void aKeyAddedWhileProcessingIsQueuedOnceAfterDone() throws InterruptedException {
        queue.add("a");
        queue.add("b");
        assertThat(queue.take()).contains("a");

        queue.add("a");
        queue.add("a");

        assertThat(queue.queued()).as("never handed out while processing").containsExactly("b");
        assertThat(queue.processing()).containsExactly("a");
        queue.done("a");
        assertThat(queue.queued()).containsExactly("b", "a");
        assertThat(queue.processing()).isEmpty();
    }

    @Test
    void doneWithoutReAddDoesNotRequeue() throws InterruptedException {
        queue.add("a");
        queue.take();
        queue.done("a");
        assertThat(queue.queued()).isEmpty();
    }

    @Test
    void takeBlocksUntilAKeyArrives() throws InterruptedException {
        AtomicReference<Optional<String>> taken = new AtomicReference<>();
        Thread taker = Thread.ofVirtual().start(() -> {
            try {
                taken.set(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        eventually().until(() -> taker.getState() == Thread.State.WAITING);
        assertThat(taken.get()).isNull();

        queue.add("a");

        taker.join(Duration.ofSeconds(5));
        assertThat(taken.get()).contains("a");
    }

    @Test
    void shutDownReleasesTakersAndIgnoresAdds() throws InterruptedException {
        queue.add("queued");
        List<Optional<String>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        queue.take(); // "queued" is now processing
        queue.add("queued");
        List<Thread> takers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            takers.add(Thread.ofVirtual().start(() -> {
                try {
                    results.add(queue.take());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        eventually().until(() -> takers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));

        queue.shutDown();
        for (Thread t : takers) {
            t.join(Duration.ofSeconds(5));
        }
        queue.done("queued");
        queue.add("late");

        assertThat(results).hasSize(3).allMatch(Optional::isEmpty);
        assertThat(queue.take()).isEmpty();
        assertThat(queue.isShutDown()).isTrue();
    }

    @Test
    void takeIsInterruptible() throws InterruptedException {
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread taker = Thread.ofVirtual().start(() -> {
            try {
                queue.take();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        eventually().until(() -> taker.getState() == Thread.State.WAITING);
        taker.interrupt();
        taker.join(Duration.ofSeconds(5));
        assertThat(interrupted).isTrue();
    }

    @Test
    void addAfterWaitsForTheDelay() {
        queue.addAfter("a", Duration.ofSeconds(5));
        assertThat(queue.queued()).isEmpty();
        assertThat(queue.waiting()).containsExactly("a");

        scheduler.advance(Duration.ofSeconds(4));
        assertThat(queue.queued()).isEmpty();

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(queue.queued()).containsExactly("a");
        assertThat(queue.waiting()).isEmpty();
    }

    @Test
    void addAfterZeroAddsAtOnce() {
        queue.addAfter("a", Duration.ZERO);
        assertThat(queue.queued()).containsExactly("a");
    }

    @Test
    void ofSeveralDelayedAddsOnlyTheEarliestIsKept() {
        queue.addAfter("a", Duration.ofSeconds(10));
        queue.addAfter("a", Duration.ofSeconds(3));
        queue.addAfter("a", Duration.ofSeconds(7));

        scheduler.advance(Duration.ofSeconds(3));
        assertThat(queue.queued()).containsExactly("a");

        queue.add("b");
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(queue.queued()).as("the superseded delayed adds fire nothing").containsExactly("a", "b");
    }

    @Test
    void backoffGrowsIsCappedAndResetsOnForget() throws InterruptedException {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(delayOfNextRateLimitedAdd("a"));
        }
        assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
        assertThat(queue.failures("a")).isEqualTo(6);

        queue.forget("a");

        assertThat(queue.failures("a")).isZero();
        assertThat(delayOfNextRateLimitedAdd("a")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void backoffIsPerKey() throws InterruptedException {
        delayOfNextRateLimitedAdd("a");
        delayOfNextRateLimitedAdd("a");
        assertThat(delayOfNextRateLimitedAdd("b")).isEqualTo(Duration.ofSeconds(1));
        assertThat(delayOfNextRateLimitedAdd("a")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void jitteredBackoffStaysWithinBounds() throws InterruptedException {
        for (Backoff.Jitter jitter : List.of(Backoff.Jitter.FULL, Backoff.Jitter.EQUAL)) {
            WorkQueue<String> q = new WorkQueue<>(clock, scheduler,
                    new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), jitter), new Random(7));
            for (int attempt = 0; attempt < 8; attempt++) {
                long ceilingMillis = Math.min(10_000, 1000L << attempt);
                long lower = jitter == Backoff.Jitter.FULL ? 0 : ceilingMillis / 2;
                java.time.Instant before = clock.instant();
                q.addRateLimited("k");
                java.time.Instant due = scheduler.pending().getLast();
                assertThat(Duration.between(before, due).toMillis()).as("%s attempt %d", jitter, attempt)
                        .isBetween(lower, ceilingMillis);
                scheduler.advance(Duration.ofSeconds(11));
                q.take();
                q.done("k");
            }
        }
    }

    @Test
    void concurrentProducersAndConsumersNeverShareAKey() throws InterruptedException {
        Set<String> inProgress = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger processed = new AtomicInteger();
        WorkQueue<String> q = new WorkQueue<>(clock, scheduler, backoff, new SplittableRandom(3));
        List<Thread> consumers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            consumers.add(Thread.ofVirtual().start(() -> {
                try {
                    for (Optional<String> k = q.take(); k.isPresent(); k = q.take()) {
                        if (!inProgress.add(k.get())) {
                            overlaps.incrementAndGet();
                        }
                        Thread.onSpinWait();
                        inProgress.remove(k.get());
                        processed.incrementAndGet();
                        q.done(k.get());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        CountDownLatch producersDone = new CountDownLatch(4);
        for (int p = 0; p < 4; p++) {
            int seed = p;
            Thread.ofVirtual().start(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 5_000; i++) {
                    q.add("k" + r.nextInt(10));
                }
                producersDone.countDown();
            });
        }
        producersDone.await();
        eventually().until(() -> q.size() == 0 && q.processing().isEmpty());
        q.shutDown();
        for (Thread c : consumers) {
            c.join(Duration.ofSeconds(5));
        }

        assertThat(overlaps).hasValue(0);
        assertThat(processed.get()).isBetween(10, 20_000);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Adds {@code key} rate-limited and returns the delay it was scheduled with, then drains it. */
    private Duration delayOfNextRateLimitedAdd(String key) throws InterruptedException {
        java.time.Instant before = clock.instant();
        queue.addRateLimited(key);
        Duration delay = Duration.between(before, scheduler.pending().getLast());
        scheduler.advance(delay);
        assertThat(queue.take()).contains(key);
        queue.done(key);
        return delay;
    }
}
