package dev.skewless.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * A work queue of keys with the semantics of client-go's rate-limited work queue:
 *
 * <ul>
 *   <li>A key waiting in the queue is there once, however often it is added.
 *   <li>A key being processed (between {@link #take()} and {@link #done}) is never handed out
 *       again; if it is added meanwhile, it is queued once when {@link #done} is called. So no two
 *       workers ever process the same key at once.
 *   <li>{@link #addAfter} delays an add; of several delayed adds of one key only the earliest is
 *       kept.
 *   <li>{@link #addRateLimited} delays by the key's {@link Backoff}, which grows with every call
 *       until {@link #forget} resets it.
 * </ul>
 *
 * <p>Thread-safe. Time comes from the injected {@link InstantSource} and {@link Scheduler}, so tests
 * can drive it with a manual clock.
 *
 * @param <K> key type (App names in the engine)
 */
public final class WorkQueue<K> {
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final RandomGenerator random;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    /** Keys that need processing: queued, or added again while being processed. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    /** Per key, the earliest pending delayed add. */
    private final Map<K, Instant> waiting = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private boolean shuttingDown;

    /**
     * @param clock     time for delayed adds
     * @param scheduler fires delayed adds
     * @param backoff   per-key backoff for {@link #addRateLimited}
     * @param random    jitter source
     */
    public WorkQueue(InstantSource clock, Scheduler scheduler, Backoff backoff, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Queues {@code key} unless it is already waiting; ignored after {@link #shutDown()}. */
    public void add(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            if (shuttingDown || !dirty.add(key)) {
                return;
            }
            // A key being processed is queued again by done(), never handed to a second worker.
            if (!processing.contains(key)) {
                queue.addLast(key);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code key} after {@code delay}; at once when the delay is zero or negative. */
    public void addAfter(K key, Duration delay) {
        Objects.requireNonNull(key, "key");
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        Instant readyAt = clock.instant().plus(delay);
        lock.lock();
        try {
            if (shuttingDown) {
                return;
            }
            Instant pending = waiting.get(key);
            if (pending != null && !pending.isAfter(readyAt)) {
                return;
            }
            waiting.put(key, readyAt);
        } finally {
            lock.unlock();
        }
        scheduler.schedule(delay, () -> fireDelayed(key, readyAt));
    }

    /** Adds {@code key} after its next backoff delay and counts a failure for it. */
    public void addRateLimited(K key) {
        addAfter(key, nextBackoff(key));
    }

    /** Resets {@code key}'s backoff (after a successful pass, or when the key is gone). */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** Consecutive failures counted for {@code key} since the last {@link #forget}. */
    public int failures(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until a key is ready and marks it as being processed; the caller must call
     * {@link #done} with it. Returns empty once the queue is shut down, even if keys are still
     * queued: shutdown means "start nothing new".
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public Optional<K> take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !shuttingDown) {
                notEmpty.await();
            }
            if (shuttingDown) {
                return Optional.empty();
            }
            K key = queue.removeFirst();
            processing.add(key);
            dirty.remove(key);
            return Optional.of(key);
        } finally {
            lock.unlock();
        }
    }

    /** Marks {@code key} as processed; queues it again if it was added meanwhile. */
    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key) && !shuttingDown) {
                queue.addLast(key);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the queue: adds are ignored and every {@link #take()} returns empty. */
    public void shutDown() {
        lock.lock();
        try {
            shuttingDown = true;
            waiting.clear();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #shutDown()} was called. */
    public boolean isShutDown() {
        lock.lock();
        try {
            return shuttingDown;
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting to be taken, in order. */
    public List<K> queued() {
        lock.lock();
        try {
            return List.copyOf(queue);
        } finally {
            lock.unlock();
        }
    }

    /** Number of keys waiting to be taken. */
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys handed out and not yet {@link #done}. */
    public Set<K> processing() {
        lock.lock();
        try {
            return Set.copyOf(processing);
        } finally {
            lock.unlock();
        }
    }

    /** Keys with a delayed add pending. */
    public Set<K> waiting() {
        lock.lock();
        try {
            return Set.copyOf(waiting.keySet());
        } finally {
            lock.unlock();
        }
    }

    private Duration nextBackoff(K key) {
        lock.lock();
        try {
            int n = failures.getOrDefault(key, 0);
            failures.put(key, n + 1);
            return backoff.delay(n, random);
        } finally {
            lock.unlock();
        }
    }

    private void fireDelayed(K key, Instant readyAt) {
        lock.lock();
        try {
            // A later delayed add may have been replaced by an earlier one; only the current one fires.
            if (!readyAt.equals(waiting.get(key))) {
                return;
            }
            waiting.remove(key);
        } finally {
            lock.unlock();
        }
        add(key);
    }
}
