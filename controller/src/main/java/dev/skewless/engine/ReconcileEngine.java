package dev.skewless.engine;

import dev.skewless.model.App;
import dev.skewless.store.VersionStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link KeyReconciler} passes for Apps: a fixed number of workers on virtual threads take
 * App names from a {@link WorkQueue} (so one App is never reconciled twice at once), and Apps are
 * enqueued by store changes ({@link VersionStore#watch}), by a periodic resync of every App, and by
 * the passes themselves (requeue after a wait, retry with backoff after a failure). While an App
 * is backing off after a failed pass, store changes do not enqueue it early: its scheduled retry
 * re-reads everything anyway, and the failed pass's own status write must not defeat the backoff.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once. Close stops accepting work, lets
 * in-flight passes finish for up to {@link EngineConfig#shutdownGrace()}, then interrupts them; an
 * abandoned pass is safe because the next pass re-reads the world.
 */
public final class ReconcileEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileEngine.class);
    /** How long close() waits for interrupted workers before giving up on them. */
    private static final Duration ABANDON_WAIT = Duration.ofSeconds(1);

    private final VersionStore store;
    private final KeyReconciler reconciler;
    private final EngineConfig config;
    private final Scheduler scheduler;
    private final WorkQueue<String> queue;
    private final List<Thread> workers = new ArrayList<>();
    private AutoCloseable watch;
    private volatile boolean started;
    private volatile boolean closed;

    /** An engine on the system clock with its own timer thread. */
    public ReconcileEngine(VersionStore store, KeyReconciler reconciler, EngineConfig config) {
        this(store, reconciler, config, InstantSource.system(), Scheduler.daemon("skewless-engine-timer"),
                new SplittableRandom());
    }

    /**
     * @param store      the records; watched, and listed on every resync
     * @param reconciler one pass for one App
     * @param config     settings
     * @param clock      time for delayed adds
     * @param scheduler  timers for delayed adds and resyncs; closed by {@link #close()}
     * @param random     backoff jitter
     */
    public ReconcileEngine(VersionStore store, KeyReconciler reconciler, EngineConfig config, InstantSource clock,
            Scheduler scheduler, RandomGenerator random) {
        this.store = Objects.requireNonNull(store, "store");
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.queue = new WorkQueue<>(clock, scheduler, config.backoff(), random);
    }

    /** Subscribes to the store, starts the workers and runs the first resync. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "engine is closed" : "engine already started");
        }
        started = true;
        watch = store.watch(this::onStoreChange);
        for (int i = 0; i < config.workers(); i++) {
            workers.add(Thread.ofVirtual().name("skewless-worker-" + i).start(this::work));
        }
        log.atInfo().addKeyValue("workers", config.workers()).addKeyValue("resyncPeriod", config.resyncPeriod())
                .log("reconcile engine started");
        resync();
    }

    /** Asks for a pass of {@code app} (de-duplicated with any pass already queued). */
    public void enqueue(String app) {
        queue.add(app);
    }

    /** Apps waiting for a worker. */
    public List<String> queued() {
        return queue.queued();
    }

    /** Apps being reconciled right now. */
    public Set<String> inFlight() {
        return queue.processing();
    }

    /** Consecutive failed passes of {@code app} since its last success. */
    public int failures(String app) {
        return queue.failures(app);
    }

    /**
     * Stops the engine: no new passes start, in-flight ones get the grace period, stragglers are
     * interrupted. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                log.atWarn().setCause(e).log("closing the store watch failed");
            }
        }
        queue.shutDown();
        boolean interrupted = joinAll(config.shutdownGrace());
        List<Thread> stragglers = workers.stream().filter(Thread::isAlive).toList();
        if (!stragglers.isEmpty()) {
            log.atWarn().addKeyValue("passes", stragglers.size()).addKeyValue("grace", config.shutdownGrace())
                    .log("grace period over, interrupting in-flight passes");
            stragglers.forEach(Thread::interrupt);
            interrupted |= joinAll(ABANDON_WAIT);
        }
        scheduler.close();
        log.atInfo().log("reconcile engine stopped");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether {@code failure} is the engine's own shutdown: close() has begun, or the thread was
     * interrupted (the store's client reports an interrupted call as its own exception type, with
     * or without the {@link InterruptedException} as a cause).
     */
    private boolean stopping(Throwable failure) {
        if (closed || Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** Joins every worker within {@code budget} in total; returns whether this thread was interrupted. */
    private boolean joinAll(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (Thread worker : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                worker.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }

    private void work() {
        while (true) {
            String app;
            try {
                Optional<String> next = queue.take();
                if (next.isEmpty()) {
                    return;
                }
                app = next.get();
            } catch (InterruptedException e) {
                return;
            }
            try {
                handle(app, reconciler.reconcile(app));
            } catch (Throwable t) {
                if (stopping(t)) {
                    // Interrupted by close(): expected, so one line and no stack trace.
                    log.atInfo().addKeyValue("app", app).addKeyValue("error", t.toString()).log("reconcile pass stopped: the engine is stopping");
                    continue;
                }
                // Even an Error: one broken pass must not cost the engine a worker.
                log.atError().addKeyValue("app", app).addKeyValue("outcome", "threw").setCause(t)
                        .log("reconcile pass threw; retrying with backoff");
                queue.addRateLimited(app);
            } finally {
                queue.done(app);
            }
        }
    }

    /**
     * A record of {@code app} changed. Our own status writes are changes too; if a failing pass's
     * status write could enqueue the App at once, a failure whose message varies (request ids)
     * would retry in a hot loop and defeat the backoff. So while an App is backing off, changes
     * wait for its scheduled retry, which re-reads everything anyway.
     */
    private void onStoreChange(String app) {
        if (queue.failures(app) > 0) {
            log.atDebug().addKeyValue("app", app).log("record changed while backing off; the scheduled retry will see it");
            return;
        }
        queue.add(app);
    }

    private void handle(String app, PassResult result) {
        switch (result.outcome()) {
            case SUCCEEDED -> {
                queue.forget(app);
                if (result.requeueAfter() != null) {
                    queue.addAfter(app, result.requeueAfter());
                }
            }
            case FAILED -> {
                queue.addRateLimited(app);
                log.atDebug().addKeyValue("app", app).addKeyValue("failures", queue.failures(app))
                        .addKeyValue("error", result.error()).log("pass failed; retrying with backoff");
            }
            case INVALID -> {
                // No backoff: retrying cannot fix a spec; the resync or the App's next change will.
                queue.forget(app);
                log.atDebug().addKeyValue("app", app).addKeyValue("error", result.error())
                        .log("a reference is invalid; looking again at the resync or when the App changes");
            }
            case GONE -> queue.forget(app);
        }
    }

    private void resync() {
        if (closed) {
            return;
        }
        try {
            List<App> apps = store.listApps();
            apps.forEach(a -> queue.add(a.name()));
            log.atDebug().addKeyValue("apps", apps.size()).log("resync");
        } catch (RuntimeException e) {
            if (stopping(e)) {
                // close() interrupted the listing (the SDK says AbortedException): expected, one line.
                log.atInfo().addKeyValue("error", e.toString()).log("resync stopped: the engine is stopping");
            } else {
                log.atWarn().setCause(e).log("resync could not list apps; trying again next period");
            }
        } finally {
            if (!closed) {
                scheduler.schedule(config.resyncPeriod(), this::resync);
            }
        }
    }
}
