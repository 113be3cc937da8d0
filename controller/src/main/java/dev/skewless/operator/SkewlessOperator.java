package dev.skewless.operator;

import dev.skewless.engine.ReconcileObserver;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import dev.skewless.service.ControllerMetrics;
import dev.skewless.service.EventHistory;
import dev.skewless.service.Readiness;
import dev.skewless.service.Replica;
import dev.skewless.service.StatusFeed;
import dev.skewless.store.VersionStore;
import dev.skewless.store.kubernetes.AppResource;
import dev.skewless.store.kubernetes.KubernetesRecords;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code skewless operator}: one replica of the Kubernetes operator, composed. A JOSDK
 * {@link Operator} runs {@link AppResourceReconciler} (the controller's per-App pass over App and
 * AppVersion custom resources) with the engine's worker count, resync period and backoff; JOSDK's
 * Micrometer metrics and the controller's own ({@link ControllerMetrics}) share one Prometheus
 * registry; decisions go to the event history as in controller mode.
 *
 * <p>Leadership: replicas compete for a coordination.k8s.io Lease through JOSDK's leader
 * election. Every replica starts its informers (so a standby's caches are warm and its status API
 * answers), but only the leader processes events: a standby runs no pass and makes no AWS call.
 * The reconciler also asks {@link #isLeader()} before every AWS mutation, so a leader that loses
 * the Lease stops acting at once; since JOSDK never gives leadership back to a replica that lost
 * it, such a replica then ends ({@code lostLeadership}, by default exiting the process so its pod
 * restarts as a standby). On a graceful stop the Lease is released, so a standby takes over
 * without waiting for it to expire.
 */
public final class SkewlessOperator implements Replica {
    private static final Logger log = LoggerFactory.getLogger(SkewlessOperator.class);

    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final String identity;
    private final String leaseNamespace;
    private final VersionStore records;
    private final PrometheusMeterRegistry registry;
    private final EventHistory events;
    private final StatusFeed feed;
    private final Operator operator;
    private final Runnable lostLeadership;
    private final List<AutoCloseable> resources;
    private final String version;
    private volatile boolean leading;
    private volatile boolean started;
    private volatile boolean stopping;

    private SkewlessOperator(Builder b) {
        this.client = Objects.requireNonNull(b.client, "client");
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.records = Objects.requireNonNull(b.records, "records");
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.version = b.version;
        this.lostLeadership = b.lostLeadership;
        this.resources = List.copyOf(b.resources);
        this.identity = settings.identity() != null ? settings.identity() : defaultIdentity();
        this.leaseNamespace = settings.leaseNamespace() != null ? settings.leaseNamespace() : OperatorProviders.currentNamespace(client);
        this.events = new EventHistory(EventHistory.DEFAULT_CAPACITY);
        this.feed = new StatusFeed(records, settings.statusRefresh());
        ControllerMetrics metrics = new ControllerMetrics(registry, feed, () -> null, () -> leading, () -> 0);
        List<ReconcileObserver> observers = new ArrayList<>(List.of(events, metrics));
        observers.addAll(b.observers);

        AppResourceReconciler reconciler = new AppResourceReconciler(Objects.requireNonNull(b.compute, "compute"),
                Objects.requireNonNull(b.router, "router"), new Planner(b.plannerConfig)::plan, b.clock, this::isLeader,
                ReconcileObserver.all(observers), new KubernetesEvents(client, identity, b.clock));
        LeaderCallbacks callbacks = new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
                leader -> log.atInfo().addKeyValue("leader", leader).addKeyValue("identity", identity).log("lease holder changed"));
        this.operator = new Operator(o -> o
                .withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
                .withConcurrentReconciliationThreads(settings.engine().workers())
                .withReconciliationTerminationTimeout(settings.engine().shutdownGrace())
                // Kubernetes 1.20's server-side apply is beta: finalizers are added with JSON patches.
                .withUseSSAToPatchPrimaryResource(false)
                .withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), leaseNamespace,
                        settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(), identity, callbacks,
                        // Losing the lease is handled here (stop acting, then lostLeadership), not by JOSDK's System.exit.
                        false)));
        operator.register(reconciler, c -> {
            c.withName("skewless-apps")
                    .withFinalizer(KubernetesRecords.FINALIZER)
                    .withRetry(new BackoffRetry(settings.engine().backoff()))
                    .withReconciliationMaxInterval(settings.engine().resyncPeriod());
            if (settings.allNamespaces()) {
                c.watchingAllNamespaces();
            } else if (settings.namespaces().isEmpty()) {
                c.settingNamespace(OperatorProviders.currentNamespace(client));
            } else {
                c.settingNamespaces(settings.namespaces());
            }
        });
    }

    /** A builder; client, records, compute and router are required. */
    public static Builder builder() {
        return new Builder();
    }

    private static String defaultIdentity() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "skewless-" + UUID.randomUUID() : host;
    }

    /** Starts the informers, leader election and the status feed (idempotent). */
    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        operator.start();
        feed.start();
        started = true;
        log.atInfo().addKeyValue("identity", identity).addKeyValue("lease", leaseNamespace + "/" + settings.leaseName())
                .addKeyValue("namespaces", settings.namespaces().isEmpty() ? OperatorProviders.currentNamespace(client) : String.join(",", settings.namespaces()))
                .addKeyValue("version", version).log("operator started");
    }

    private void startedLeading() {
        leading = true;
        log.atInfo().addKeyValue("identity", identity).log("leading: reconciling App records");
    }

    private void stoppedLeading() {
        boolean was = leading;
        leading = false;
        if (stopping) {
            return;
        }
        log.atError().addKeyValue("identity", identity).addKeyValue("wasLeading", was)
                .log("lost the lease: no further AWS call from this replica; ending it so it restarts as a standby");
        lostLeadership.run();
    }

    /** Whether this replica holds the Lease now. */
    public boolean isLeader() {
        return leading && !stopping;
    }

    /** This replica's name in the Lease. */
    public String identity() {
        return identity;
    }

    /** The JOSDK operator (registered controllers, informer health). */
    public Operator operator() {
        return operator;
    }

    /**
     * Ready when started, the informers are healthy and this replica leads (503 on a standby, as in
     * controller mode, so a Service sends the status API's clients to the leader). Reads state only.
     */
    @Override
    public Readiness readiness() {
        boolean leader = isLeader();
        if (stopping) {
            return new Readiness(false, "stopping", leader, false, 0, "shutting down");
        }
        if (!started) {
            return new Readiness(false, "starting", false, false, 0, "not started yet");
        }
        boolean healthy = operator.getRuntimeInfo().allEventSourcesAreHealthy();
        if (!healthy) {
            return new Readiness(false, "storeUnreachable", leader, false, 0,
                    "informers not healthy: " + operator.getRuntimeInfo().unhealthyEventSources().keySet());
        }
        if (!leader) {
            return new Readiness(false, "standby", false, true, 0,
                    "standby: another replica holds the lease " + leaseNamespace + "/" + settings.leaseName() + "; serving reads only");
        }
        return new Readiness(true, "leading", true, true, 0, "leading as " + identity);
    }

    @Override
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public VersionStore records() {
        return records;
    }

    @Override
    public EventHistory events() {
        return events;
    }

    @Override
    public StatusFeed feed() {
        return feed;
    }

    @Override
    public String version() {
        return version;
    }

    /**
     * Stops gracefully: readiness false, JOSDK stops (in-flight passes get the engine's grace
     * period), the Lease is released so a standby takes over at once, then the feed and the
     * providers' resources close. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        log.atInfo().addKeyValue("identity", identity).log("operator stopping");
        try {
            operator.stop();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("error", e.toString()).log("stopping JOSDK failed");
        }
        releaseLease();
        leading = false;
        feed.close();
        for (AutoCloseable r : resources.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                log.atDebug().addKeyValue("error", e.toString()).log("closing a provider resource failed");
            }
        }
        log.atInfo().addKeyValue("identity", identity).log("operator stopped");
    }

    /** Hands the Lease over at once (fabric8's release: no holder, 1 s left), if this replica holds it. */
    private void releaseLease() {
        try {
            LeaseLock lock = new LeaseLock(leaseNamespace, settings.leaseName(), identity);
            LeaderElectionRecord current = lock.get(client);
            if (current == null || !identity.equals(current.getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lock.update(client, new LeaderElectionRecord("", Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
            log.atInfo().addKeyValue("identity", identity).log("lease released");
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("error", e.toString()).log("releasing the lease failed; it expires by itself");
        }
    }

    /** Assembles a {@link SkewlessOperator}. */
    public static final class Builder {
        private KubernetesClient client;
        private OperatorSettings settings = OperatorSettings.DEFAULT;
        private VersionStore records;
        private ComputePlatform compute;
        private TrafficRouter router;
        private PlannerConfig plannerConfig = PlannerConfig.DEFAULT;
        private InstantSource clock = InstantSource.system();
        private PrometheusMeterRegistry registry;
        private String version = "dev";
        private Runnable lostLeadership = Builder::exit;
        private final List<ReconcileObserver> observers = new ArrayList<>();
        private final List<AutoCloseable> resources = new ArrayList<>();

        private Builder() {}

        /** Ends the process, as JOSDK would: its pod restarts and competes for the Lease again. */
        private static void exit() {
            Thread.ofPlatform().name("skewless-lost-lease").start(() -> System.exit(1));
        }

        /** The cluster (JOSDK's informers, status writes, events, the Lease). */
        public Builder client(KubernetesClient v) {
            client = v;
            return this;
        }

        public Builder settings(OperatorSettings v) {
            settings = v;
            return this;
        }

        /** The records as readers see them (the status API, the status feed and the metrics). */
        public Builder records(VersionStore v) {
            records = v;
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

        /** The clock of the passes (planning, status times, events). */
        public Builder clock(InstantSource v) {
            clock = v;
            return this;
        }

        /** The registry to use (pass one when clients built earlier already count into it). */
        public Builder registry(PrometheusMeterRegistry v) {
            registry = v;
            return this;
        }

        public Builder version(String v) {
            version = v;
            return this;
        }

        /** Another observer of every decision and pass. */
        public Builder observer(ReconcileObserver v) {
            observers.add(Objects.requireNonNull(v, "observer"));
            return this;
        }

        /** What to do when the Lease is lost while running (default: exit the process). */
        public Builder lostLeadership(Runnable v) {
            lostLeadership = Objects.requireNonNull(v, "lostLeadership");
            return this;
        }

        /** Closed (in reverse order) after the operator stops: clients, HTTP pools. */
        public Builder closing(AutoCloseable v) {
            resources.add(Objects.requireNonNull(v, "resource"));
            return this;
        }

        public SkewlessOperator build() {
            return new SkewlessOperator(this);
        }
    }
}
