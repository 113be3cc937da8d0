package dev.skewless.service;

import dev.skewless.engine.PassResult;
import dev.skewless.engine.ReconcileEngine;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.model.Phase;
import dev.skewless.plan.Plan;
import dev.skewless.store.LeaderLease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The controller's own meters (the AWS call counter {@code skewless.aws.calls} is registered by
 * {@code AwsCallMetrics} on the same registry). Names as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code skewless_reconcile_duration_seconds{app,outcome}}: histogram of passes;
 *       {@code outcome} is succeeded, failed, invalid or gone, so its {@code _count} with
 *       {@code outcome="failed"} counts failures (each is retried with backoff) and with
 *       {@code outcome="invalid"} passes that found a reference of the spec missing (decision 031)</li>
 *   <li>{@code skewless_reconcile_retries{app}}: consecutive failed passes of the App, i.e. the
 *       number of the retry it is backing off towards (0 once a pass succeeds)</li>
 *   <li>{@code skewless_reconcile_queue_depth}, {@code skewless_reconcile_in_flight}</li>
 *   <li>{@code skewless_reconcile_actions_total{action,outcome}}: decisions carried out</li>
 *   <li>{@code skewless_versions{app,phase}}: versions by phase, from the store (so a standby
 *       shows them too)</li>
 *   <li>{@code skewless_drift_repairs_total{app,kind}}: repairs of drift, by what drifted</li>
 *   <li>{@code skewless_lease_held} (0/1), {@code skewless_lease_fencing_token}</li>
 * </ul>
 *
 * <p>A drift repair is an action carried out that the planner marked as one ({@code
 * plan.DriftRepair}): the world differed from what the controller last set, as the records'
 * statuses say. Its kind ({@code rule-priority}, {@code scale}, {@code target-group}...) is the
 * {@code kind} label.
 */
public final class ControllerMetrics implements ReconcileObserver {

    private final MeterRegistry registry;
    private final StatusFeed feed;
    private final Supplier<ReconcileEngine> engine;
    private final Map<String, Boolean> retryGauges = new ConcurrentHashMap<>();
    /** App → phase → count; each gauge is registered once and updated in place, so a scrape never misses a row. */
    private final Map<String, Map<Phase, AtomicInteger>> versionCounts = new ConcurrentHashMap<>();

    public ControllerMetrics(MeterRegistry registry, StatusFeed feed, Supplier<ReconcileEngine> engine, LeaderLease lease) {
        this(registry, feed, engine, lease::isHeld, () -> lease.fencingToken().orElse(0));
    }

    /**
     * Meters of a replica whose leadership is not a {@link LeaderLease} (the Kubernetes operator:
     * a coordination.k8s.io Lease held by JOSDK, which has no fencing token, and JOSDK's own queue).
     *
     * @param engine       the engine while leading, else null (always null for the operator)
     * @param leaseHeld    whether this replica leads now
     * @param fencingToken the current holding's token, 0 while not held
     */
    public ControllerMetrics(MeterRegistry registry, StatusFeed feed, Supplier<ReconcileEngine> engine,
            BooleanSupplier leaseHeld, LongSupplier fencingToken) {
        this.registry = registry;
        this.feed = feed;
        this.engine = engine;
        Gauge.builder("skewless.reconcile.queue.depth", () -> {
            ReconcileEngine e = engine.get();
            return e == null ? 0 : e.queued().size();
        }).description("Apps waiting for a worker").register(registry);
        Gauge.builder("skewless.reconcile.in.flight", () -> {
            ReconcileEngine e = engine.get();
            return e == null ? 0 : e.inFlight().size();
        }).description("Apps being reconciled now").register(registry);
        Gauge.builder("skewless.lease.held", () -> leaseHeld.getAsBoolean() ? 1 : 0)
                .description("1 while this replica holds the leader lease").register(registry);
        Gauge.builder("skewless.lease.fencing.token", fencingToken::getAsLong)
                .description("fencing token of the current holding (0 while not held)").register(registry);
        // The feed publishes AppChanged whenever a phase count can have moved (a phase changed, a
        // version came or went), so per-version changes need no recount.
        feed.subscribe(change -> {
            if (change instanceof StatusFeed.AppChanged || change instanceof StatusFeed.AppRemoved) {
                refreshVersions();
            }
        });
    }

    /** Re-computes the versions-by-phase gauges from the status feed's snapshot. */
    public synchronized void refreshVersions() {
        Map<String, StatusFeed.Snapshot> snapshots = feed.snapshots();
        snapshots.forEach((app, snapshot) -> {
            Map<Phase, Integer> counts = new EnumMap<>(Phase.class);
            snapshot.versions().values().forEach(v -> counts.merge(v.status().phase(), 1, Integer::sum));
            versionGauges(app).forEach((phase, gauge) -> gauge.set(counts.getOrDefault(phase, 0)));
        });
        for (String gone : List.copyOf(versionCounts.keySet())) {
            if (!snapshots.containsKey(gone)) {
                versionCounts.remove(gone);
                registry.find("skewless.versions").tag("app", gone).gauges().forEach(registry::remove);
            }
        }
    }

    private Map<Phase, AtomicInteger> versionGauges(String app) {
        return versionCounts.computeIfAbsent(app, a -> {
            Map<Phase, AtomicInteger> byPhase = new EnumMap<>(Phase.class);
            for (Phase phase : Phase.values()) {
                AtomicInteger count = new AtomicInteger();
                Gauge.builder("skewless.versions", count, AtomicInteger::get).description("AppVersions by App and phase, as stored")
                        .tags("app", a, "phase", phase.name()).strongReference(true).register(registry);
                byPhase.put(phase, count);
            }
            return byPhase;
        });
    }

    @Override
    public void passFinished(String app, Duration took, PassResult result, Plan plan) {
        Timer.builder("skewless.reconcile.duration").description("one reconcile pass over one App")
                .tags("app", app, "outcome", result.outcome().name().toLowerCase())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(took);
        retryGauges.computeIfAbsent(app, a -> {
            Gauge.builder("skewless.reconcile.retries", () -> {
                ReconcileEngine e = engine.get();
                return e == null ? 0 : e.failures(a);
            }).description("consecutive failed passes of the App (the retry it backs off towards)").tag("app", a).register(registry);
            return true;
        });
    }

    @Override
    public void decided(Decision decision) {
        Counter.builder("skewless.reconcile.actions").description("decisions carried out, by action and outcome")
                .tags("action", decision.action(), "outcome", decision.outcome()).register(registry).increment();
        if ("ok".equals(decision.outcome()) && decision.driftKind() != null) {
            Counter.builder("skewless.drift.repairs").description("resources put back after the world drifted from what the controller set")
                    .tags("app", decision.app(), "kind", decision.driftKind()).register(registry).increment();
        }
    }
}
