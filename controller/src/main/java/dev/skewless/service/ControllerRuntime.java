package dev.skewless.service;

import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.EngineConfig;
import dev.skewless.engine.ReconcileEngine;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import dev.skewless.store.FenceableVersionStore;
import dev.skewless.store.FencedVersionStore;
import dev.skewless.store.LeaderLease;
import dev.skewless.store.VersionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller replica, composed: the store (status writes fenced by the lease), the lease and
 * its heartbeat, the reconcile engine (running only while this replica leads), the event
 * history, the status feed and the metrics. Built with {@link #builder()} from any providers: the
 * AWS ones ({@link AwsProviders#fromEnvironment}) or those {@code skewless dev} hands in.
 *
 * <p>Leadership: a heartbeat thread renews the lease while held and tries to acquire it
 * otherwise. On acquisition a fresh engine starts (first resync at once); on loss the engine is
 * closed. The reconciler asks {@link LeaderLease#isHeld()} before every cloud mutation, so a
 * replica stops acting the moment its lease lapses locally, before any listener is told.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once (graceful: readiness turns false,
 * the engine gets its grace period, the lease is released so a standby takes over at once, then
 * the feed and the providers' resources close).
 */
public final class ControllerRuntime implements Replica {
    private static final Logger log = LoggerFactory.getLogger(ControllerRuntime.class);

    private final VersionStore records;
    private final VersionStore store;
    private final LeaderLease lease;
    private final Duration heartbeat;
    private final AppReconciler reconciler;
    private final EngineConfig engineConfig;
    private final EventHistory events;
    private final StatusFeed feed;
    private final PrometheusMeterRegistry registry;
    private final ControllerMetrics metrics;
    private final List<AutoCloseable> resources;
    private final String version;
    private final ExecutorService leadership =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("skewless-leadership").factory());
    private volatile ReconcileEngine engine;
    private volatile Thread heartbeatThread;
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile HeartbeatState heartbeatState = HeartbeatState.NONE;

    private ControllerRuntime(Builder b) {
        this.records = Objects.requireNonNull(b.store, "store");
        this.lease = Objects.requireNonNull(b.lease, "lease");
        this.heartbeat = Objects.requireNonNull(b.heartbeat, "heartbeat");
        // A store that can check a fence gets every status write fenced; a store that cannot (the
        // embedded one) is only ever used with a lease that cannot be lost.
        this.store = b.store instanceof FenceableVersionStore fenceable ? new FencedVersionStore(fenceable, lease) : b.store;
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.events = new EventHistory(b.eventCapacity);
        this.feed = new StatusFeed(records, b.statusRefresh);
        this.metrics = new ControllerMetrics(registry, feed, () -> engine, lease);
        this.engineConfig = b.engineConfig;
        this.version = b.version;
        List<ReconcileObserver> observers = new ArrayList<>(List.of(events, metrics));
        observers.addAll(b.observers);
        this.reconciler = new AppReconciler(store, Objects.requireNonNull(b.compute, "compute"),
                Objects.requireNonNull(b.router, "router"), new Planner(b.plannerConfig)::plan, b.clock,
                lease::isHeld, ReconcileObserver.all(observers));
        this.resources = List.copyOf(b.resources);
    }

    /** A builder; store, lease, compute and router are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts the status feed and the lease heartbeat; the engine follows leadership. */
    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        lease.addListener(new LeaderLease.Listener() {
            @Override
            public void acquired(long token) {
                onLeadershipChange(() -> startEngine(token));
            }

            @Override
            public void lost() {
                onLeadershipChange(ControllerRuntime.this::stopEngine);
            }
        });
        feed.start();
        // A platform thread: virtual threads pinned by blocking AWS calls under load must not delay renewals.
        heartbeatThread = Thread.ofPlatform().daemon().name("skewless-lease-heartbeat").start(this::beat);
        log.atInfo().addKeyValue("holder", lease.holder()).addKeyValue("version", version).log("controller started");
    }

    /** Runs a leadership change off the lease's thread, one at a time; after close() has begun, close() does it. */
    private void onLeadershipChange(Runnable change) {
        try {
            leadership.execute(change);
        } catch (RejectedExecutionException e) {
            // Stopping: close() stops the engine itself (the lease's "lost" on release lands here).
        }
    }

    private void beat() {
        while (!stopping) {
            heartbeatState = heartbeatState.begin(System.nanoTime());
            try {
                if (lease.isHeld()) {
                    lease.renew();
                } else {
                    lease.tryAcquire();
                }
                heartbeatState = heartbeatState.answered();
            } catch (RuntimeException e) {
                // Held locally until its validity lapses (or dropped by the lease if the renewal
                // timed out); the next round tries again.
                heartbeatState = heartbeatState.failed(e.toString());
                log.atWarn().addKeyValue("holder", lease.holder()).addKeyValue("error", e.toString()).log("lease heartbeat failed");
            }
            try {
                Thread.sleep(heartbeat);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * What the lease heartbeat last found. The heartbeat is the runtime's only probe of the store
     * (renewing or trying to acquire is one store round trip), so readiness reads this and never
     * calls the store itself: it answers at once even while the store stalls.
     *
     * @param inFlightSince {@link System#nanoTime()} when the running round began; empty between rounds
     * @param rounds        rounds finished (answered or failed)
     * @param error         why the last finished round failed; null when it was answered
     */
    private record HeartbeatState(OptionalLong inFlightSince, long rounds, String error) {
        static final HeartbeatState NONE = new HeartbeatState(OptionalLong.empty(), 0, null);

        HeartbeatState begin(long now) {
            return new HeartbeatState(OptionalLong.of(now), rounds, error);
        }

        HeartbeatState answered() {
            return new HeartbeatState(OptionalLong.empty(), rounds + 1, null);
        }

        HeartbeatState failed(String why) {
            return new HeartbeatState(OptionalLong.empty(), rounds + 1, why);
        }

        /** How long the running round has waited for the store, if it has waited longer than {@code limit}. */
        Optional<Duration> stalledLongerThan(Duration limit, long now) {
            if (inFlightSince.isEmpty()) {
                return Optional.empty();
            }
            Duration waited = Duration.ofNanos(now - inFlightSince.getAsLong());
            return waited.compareTo(limit) > 0 ? Optional.of(waited) : Optional.empty();
        }
    }

    private void startEngine(long token) {
        if (stopping || engine != null) {
            return;
        }
        ReconcileEngine next = new ReconcileEngine(store, reconciler, engineConfig);
        engine = next;
        next.start();
        log.atInfo().addKeyValue("holder", lease.holder()).addKeyValue("token", token).log("leading: reconcile engine started");
    }

    private void stopEngine() {
        ReconcileEngine current = engine;
        engine = null;
        if (current != null) {
            current.close();
            log.atInfo().addKeyValue("holder", lease.holder()).log("not leading: reconcile engine stopped");
        }
    }

    /** Records as stored (unfenced: for readers). */
    @Override
    public VersionStore records() {
        return records;
    }

    /** The lease. */
    public LeaderLease lease() {
        return lease;
    }

    /** Decisions of this replica, newest first. */
    @Override
    public EventHistory events() {
        return events;
    }

    /** The store's status as last read, and its changes. */
    @Override
    public StatusFeed feed() {
        return feed;
    }

    /** Every meter of this replica (Prometheus text via {@code scrape()}). */
    @Override
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The controller's version, for logs and the API. */
    @Override
    public String version() {
        return version;
    }

    /** The engine while this replica leads, else null. */
    public ReconcileEngine engine() {
        return engine;
    }

    /** Whether this replica leads now. */
    public boolean isLeader() {
        return lease.isHeld();
    }

    /**
     * Whether this replica is ready, from state the lease heartbeat keeps: no store call, so it
     * answers at once whatever the store does. The store counts as reachable when the last
     * heartbeat round was answered and the running one has not waited longer than one heartbeat;
     * this replica counts as leader while the lease is held and the store is not stalled (a
     * renewal stuck for a heartbeat is a renewal that did not land as far as anyone knows).
     */
    @Override
    public Readiness readiness() {
        HeartbeatState beat = heartbeatState;
        Optional<Duration> stalled = beat.stalledLongerThan(heartbeat, System.nanoTime());
        boolean leader = lease.isHeld() && stalled.isEmpty();
        long token = leader ? lease.fencingToken().orElse(0) : 0;
        if (stopping) {
            return new Readiness(false, "stopping", leader, false, token, "shutting down");
        }
        if (!started) {
            return new Readiness(false, "starting", leader, false, token, "not started yet");
        }
        if (stalled.isPresent()) {
            return new Readiness(false, "storeUnreachable", false, false, 0,
                    "the store has not answered the lease heartbeat for " + stalled.get().toMillis() + " ms");
        }
        if (beat.error() != null) {
            return new Readiness(false, "storeUnreachable", leader, false, token, "the store did not answer: " + beat.error());
        }
        if (beat.rounds() == 0) {
            return new Readiness(false, "starting", leader, false, token, "waiting for the first lease heartbeat");
        }
        if (!leader) {
            return new Readiness(false, "standby", false, true, 0,
                    "standby: another replica holds the lease (or it is being acquired); serving reads only");
        }
        return new Readiness(true, "leading", true, true, token, "leading with fencing token " + token);
    }

    /**
     * Stops gracefully: readiness false, no new passes, in-flight passes get the engine's grace
     * period, the lease is released, then everything else closes. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        log.atInfo().addKeyValue("holder", lease.holder()).log("controller stopping");
        Thread beating = heartbeatThread;
        if (beating != null) {
            beating.interrupt();
        }
        leadership.shutdown();
        try {
            leadership.awaitTermination(engineConfig.shutdownGrace().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopEngine();
        try {
            lease.close();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("error", e.toString()).log("releasing the lease failed; it expires by itself");
        }
        feed.close();
        for (AutoCloseable r : resources.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                log.atDebug().addKeyValue("error", e.toString()).log("closing a provider resource failed");
            }
        }
        log.atInfo().addKeyValue("holder", lease.holder()).log("controller stopped");
    }

    /** Assembles a {@link ControllerRuntime}. */
    public static final class Builder {
        private VersionStore store;
        private LeaderLease lease;
        private Duration heartbeat = Duration.ofSeconds(5);
        private ComputePlatform compute;
        private TrafficRouter router;
        private PlannerConfig plannerConfig = PlannerConfig.DEFAULT;
        private EngineConfig engineConfig = EngineConfig.DEFAULT;
        private InstantSource clock = InstantSource.system();
        private PrometheusMeterRegistry registry;
        private int eventCapacity = EventHistory.DEFAULT_CAPACITY;
        private Duration statusRefresh = Duration.ofSeconds(60);
        private String version = "dev";
        private final List<ReconcileObserver> observers = new ArrayList<>();
        private final List<AutoCloseable> resources = new ArrayList<>();

        private Builder() {}

        /**
         * The records. A {@link FenceableVersionStore} gets its status writes fenced by the lease;
         * any other store must come with a lease that is never lost ({@link SoleLeaderLease}).
         */
        public Builder store(VersionStore v) {
            store = v;
            return this;
        }

        /** The lease, and how often the runtime renews it (or tries to acquire it). */
        public Builder lease(LeaderLease v, Duration heartbeatPeriod) {
            lease = v;
            heartbeat = heartbeatPeriod;
            return this;
        }

        public Builder compute(ComputePlatform v) {
            compute = v;
            return this;
        }

        public Builder router(TrafficRouter v) {
            router = v;
            return this;
        }

        public Builder plannerConfig(PlannerConfig v) {
            plannerConfig = v;
            return this;
        }

        public Builder engineConfig(EngineConfig v) {
            engineConfig = v;
            return this;
        }

        /** The clock of the passes (planning, status times). */
        public Builder clock(InstantSource v) {
            clock = v;
            return this;
        }

        /** The registry to use (pass one when clients built earlier already count into it). */
        public Builder registry(PrometheusMeterRegistry v) {
            registry = v;
            return this;
        }

        /** Another observer of every decision and pass (e.g. the local router's routing table). */
        public Builder observer(ReconcileObserver v) {
            observers.add(Objects.requireNonNull(v, "observer"));
            return this;
        }

        /** How many decisions the event history keeps. */
        public Builder eventCapacity(int v) {
            eventCapacity = v;
            return this;
        }

        /** How often the status feed re-reads everything regardless of change hints. */
        public Builder statusRefresh(Duration v) {
            statusRefresh = v;
            return this;
        }

        /** The controller's version string. */
        public Builder version(String v) {
            version = v;
            return this;
        }

        /** Closed (in reverse order) after the runtime stops: clients, HTTP pools, processes. */
        public Builder closing(AutoCloseable v) {
            resources.add(Objects.requireNonNull(v, "resource"));
            return this;
        }

        public ControllerRuntime build() {
            return new ControllerRuntime(this);
        }
    }
}
