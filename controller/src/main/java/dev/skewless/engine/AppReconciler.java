package dev.skewless.engine;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.DriftRepair;
import dev.skewless.plan.Plan;
import dev.skewless.plan.action.Action;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.observed.ObservedState;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import dev.skewless.store.VersionStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One level-triggered pass for one App: read the records, observe the cloud, plan, carry out the
 * plan's cloud actions in order (a failure skips what may depend on it: the rest of that
 * version's actions and all app-wide ones), then write the statuses.
 *
 * <p>On a failed action, the App's status and the failing action's version get
 * {@code Synced=False} (reason: the provider's error code); a terminal failure kind also sets
 * {@code Terminal=True} on the version. On a failed observation only the App gets
 * {@code Synced=Unknown} (reason {@code ObserveFailed}): with no fresh view of the cloud, nothing
 * else is worth saying.
 *
 * <p>A failure that points at a resource the App's spec names (the listener observed missing, a
 * cluster, subnet, security group or role AWS does not know: {@link InvalidReference}) is instead
 * reported on the App and all its versions as {@code Synced=False} and {@code Terminal=True} with
 * reason {@code InvalidReference}, and the pass ends {@link PassResult.Outcome#INVALID}.
 *
 * <p>A status is written only when it differs from the stored one other than in
 * {@code lastReconcileTime}, which the engine stamps on the writes it makes (so it says when the
 * status last changed). Nothing is rewritten to show the controller is alive: that is what the
 * lease's heartbeat, readiness and the metrics are for. So a steady state writes nothing, and a
 * write is logged only when it changed something (decision 008).
 *
 * <p>Records being deleted (a Kubernetes record held by the operator's finalizer): the plan drains
 * and removes what they own, and the {@link PassResult} carries the plan's
 * {@link dev.skewless.plan.Plan.Teardown}, so the caller learns without planning again when the
 * App's AWS footprint is gone ({@link PassResult#teardownComplete()}) and which deleted versions'
 * are ({@link PassResult#versionsTornDown()}). A missing listener is no invalid reference for an
 * App being deleted (no rule is left on it then), and such an App neither is shadowed nor shadows.
 *
 * <p>{@link Error}s (including a simulated crash from a test fake) are never caught here.
 */
public final class AppReconciler implements KeyReconciler {
    private static final Logger log = LoggerFactory.getLogger(AppReconciler.class);

    /** Reason of {@code Synced=Unknown} when the cloud could not be observed. */
    public static final String REASON_OBSERVE_FAILED = "ObserveFailed";
    /** Reason of {@code Synced=False} when the planner threw (a bug, reported rather than hidden). */
    public static final String REASON_PLAN_FAILED = "PlanFailed";

    /** The planner's signature, so tests can hand in canned plans. */
    @FunctionalInterface
    public interface PlanFunction {
        Plan plan(App app, List<AppVersion> versions, ObservedState observed, Instant now);
    }

    private final VersionStore store;
    private final ComputePlatform compute;
    private final TrafficRouter router;
    private final PlanFunction planner;
    private final InstantSource clock;
    private final ActionExecutor executor;
    private final BooleanSupplier mayAct;
    private final ReconcileObserver observer;

    /**
     * A reconciler that always may act (a single controller, {@code ./skewless dev}).
     *
     * @param store           records
     * @param compute         ECS (or local processes)
     * @param router          ALB (or the local router)
     * @param planner         usually {@code planner::plan}
     * @param clock           the pass's "now"
     */
    public AppReconciler(VersionStore store, ComputePlatform compute, TrafficRouter router, PlanFunction planner,
            InstantSource clock) {
        this(store, compute, router, planner, clock, () -> true);
    }

    /**
     * A reconciler that acts only while {@code mayAct} says so.
     *
     * @param mayAct asked when the pass starts, before every cloud mutation and before the status
     *               writes, usually {@code LeaderLease::isHeld}: when it answers false the pass stops there (no
     *               further mutation, no status write) and fails with "not the leader". AWS
     *               mutations cannot carry a fencing token, so this local check, whose answer
     *               turns false before another replica can take the lease over, is what keeps a
     *               replica that lost the lease from acting; status writes are fenced in the
     *               store as well ({@code FencedVersionStore})
     */
    public AppReconciler(VersionStore store, ComputePlatform compute, TrafficRouter router, PlanFunction planner,
            InstantSource clock, BooleanSupplier mayAct) {
        this(store, compute, router, planner, clock, mayAct, ReconcileObserver.NONE);
    }

    /**
     * A reconciler that acts only while {@code mayAct} says so and tells {@code observer} what it did.
     *
     * @param observer hears every decision and every finished pass (events, metrics, the local router)
     */
    public AppReconciler(VersionStore store, ComputePlatform compute, TrafficRouter router, PlanFunction planner,
            InstantSource clock, BooleanSupplier mayAct, ReconcileObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.store = Objects.requireNonNull(store, "store");
        this.compute = Objects.requireNonNull(compute, "compute");
        this.router = Objects.requireNonNull(router, "router");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mayAct = Objects.requireNonNull(mayAct, "mayAct");
        this.executor = new ActionExecutor(compute, router);
    }

    @Override
    public PassResult reconcile(String appName) {
        long started = System.nanoTime();
        Outcome outcome = pass(appName);
        try {
            observer.passFinished(appName, Duration.ofNanos(System.nanoTime() - started), outcome.result(), outcome.plan());
        } catch (RuntimeException e) {
            log.warn("a reconcile observer failed; ignored", e);
        }
        return outcome.result();
    }

    private Outcome pass(String appName) {
        if (!mayAct.getAsBoolean()) {
            // A standby does not even observe; being one is normal, hence DEBUG.
            decision(Level.DEBUG, appName, null, "ReadRecords", "notLeader").log("not the leader: pass skipped");
            return new Outcome(PassResult.failed("not the leader: pass skipped", 0, 0), null);
        }
        App app;
        List<AppVersion> versions;
        Optional<String> shadowing;
        try {
            Optional<App> found = store.getApp(appName);
            if (found.isEmpty()) {
                decision(Level.DEBUG, appName, null, "Forget", "gone").log("app no longer exists");
                return new Outcome(PassResult.gone(), null);
            }
            app = found.get();
            versions = store.listVersions(appName);
            // Other Apps only to see whether one takes this App's requests first (decision 032).
            // An App being deleted neither is shadowed nor shadows: its rules are on their way out.
            shadowing = app.metadata().deleting() ? Optional.empty()
                    : ShadowedApps.shadowing(app, store.listApps().stream().filter(a -> !a.metadata().deleting()).toList());
        } catch (RuntimeException e) {
            decision(Level.WARN, appName, null, "ReadRecords", "failed").addKeyValue("error", e.toString())
                    .log("reading records failed");
            return new Outcome(PassResult.failed("reading records failed: " + e, 0, 0), null);
        }

        ObservedState observed;
        try {
            observed = observe(app);
        } catch (RuntimeException e) {
            return new Outcome(observeFailed(app, e), null);
        }

        // A listener that is not there is a spec mistake, not something to wait for (decision 031);
        // for an App being deleted it only means no rule is left on it.
        List<InvalidReference> invalid = new ArrayList<>();
        if (observed.listener() == null && !app.metadata().deleting()) {
            InvalidReference missing = InvalidReference.listenerMissing(app);
            invalid.add(missing);
            invalidReference(appName, null, "Observe", missing);
        }

        Instant now = clock.instant();
        Plan plan;
        try {
            plan = planner.plan(app, versions, observed, now);
        } catch (RuntimeException e) {
            return new Outcome(planFailed(app, e, now), null);
        }

        // A failed action blocks what may depend on it: the rest of its version's chain, and every
        // app-wide rule change (which may switch traffic to that version). Other versions go on, so
        // one stuck version does not freeze its siblings. A failed app-wide action blocks the rest.
        List<Failure> failures = new ArrayList<>();
        Set<String> blockedVersions = new HashSet<>();
        boolean appBlocked = false;
        int executed = 0;
        for (Action action : plan.actions()) {
            if (action instanceof Action.Wait wait) {
                decision(Level.DEBUG, appName, wait.version(), "Wait", "waiting")
                        .addKeyValue("reason", wait.reason()).addKeyValue("after", wait.after()).log("waiting");
                continue;
            }
            if (!action.mutatesCloud()) {
                continue;
            }
            String version = action.version();
            if (appBlocked || (version == null ? !blockedVersions.isEmpty() : blockedVersions.contains(version))) {
                decision(Level.DEBUG, appName, version, name(action), "skipped").log("skipped after an earlier failure");
                continue;
            }
            if (!mayAct.getAsBoolean()) {
                return new Outcome(notLeader(appName, name(action), executed), plan);
            }
            try {
                String arn = executor.execute(action);
                executed++;
                Optional<DriftRepair> drift = plan.driftRepair(action);
                DecisionLine done = decision(Level.INFO, appName, version, name(action), "ok").addKeyValue("arn", arn);
                drift.ifPresent(done::drift);
                done.log(name(action) + (version == null ? "" : " for version " + version) + " done"
                        + (arn == null ? "" : ": " + arn) + drift.map(d -> " (drift repaired: " + d.detail() + ")").orElse(""));
            } catch (ActionException e) {
                Optional<InvalidReference> reference = InvalidReference.of(e, app);
                if (reference.isPresent()) {
                    invalid.add(reference.get());
                    invalidReference(appName, version, name(action), reference.get());
                } else {
                    Failure failure = new Failure(action, e);
                    failures.add(failure);
                    decision(Level.WARN, appName, version, name(action), "failed")
                            .addKeyValue("errorKind", e.kind()).addKeyValue("errorCode", e.code())
                            .log(failure.message());
                }
                if (version == null) {
                    appBlocked = true;
                } else {
                    blockedVersions.add(version);
                }
            }
        }

        if (!mayAct.getAsBoolean()) {
            return new Outcome(notLeader(appName, "WriteStatus", executed), plan);
        }
        StatusWrites writes = collectStatusWrites(plan);
        if (writes.app() != null) {
            writes = new StatusWrites(writes.versions(), ShadowedApps.mark(writes.app(), shadowing, now));
        }
        if (shadowing.isPresent() && Conditions.find(app.status().conditions(), Condition.SHADOWED).isEmpty()) {
            decision(Level.WARN, appName, null, "CheckShadowing", "shadowed").log("app is shadowed: " + shadowing.get());
        }
        for (Failure failure : failures.reversed()) {
            // Reversed, so the App's condition names the first failure.
            writes = patchForFailure(writes, app, versions, failure, now);
        }
        writes = patchForReferences(writes, app, versions, invalid, now);
        WriteOutcome written = writeStatuses(app, versions, writes, now);

        List<String> errors = new ArrayList<>();
        invalid.forEach(r -> errors.add("invalid reference " + r.text()));
        failures.forEach(f -> errors.add(f.message()));
        errors.addAll(written.errors());
        if (plan.teardownComplete()) {
            decision(Level.INFO, appName, null, "Teardown", "complete")
                    .log("no AWS resource of the App is left: its record may go");
        }
        for (String version : plan.versionsTornDown()) {
            decision(Level.INFO, appName, version, "Teardown", "complete")
                    .log("no AWS resource of version " + version + " is left: its record may go");
        }
        // The plan's teardown holds whatever failed here: it says only what was observed gone, and a
        // complete teardown has no cloud action to fail.
        if (!invalid.isEmpty()) {
            return new Outcome(PassResult.invalid(String.join("; ", errors), executed, written.count())
                    .withTeardown(plan.teardown()), plan);
        }
        if (!errors.isEmpty()) {
            return new Outcome(PassResult.failed(String.join("; ", errors), executed, written.count())
                    .withTeardown(plan.teardown()), plan);
        }
        return new Outcome(PassResult.succeeded(plan.requeueAfter(), executed, written.count()).withTeardown(plan.teardown()), plan);
    }

    /** One WARN line per reference found invalid, with the field to fix and AWS's error code. */
    private void invalidReference(String appName, String version, String step, InvalidReference reference) {
        decision(Level.WARN, appName, version, step, "invalid").addKeyValue("field", reference.field())
                .addKeyValue("errorCode", reference.code()).log("invalid reference " + reference.text());
    }

    /**
     * With invalid references: the App and every version neither retired nor failed on its own get
     * {@code Synced=False} and {@code Terminal=True}, reason InvalidReference. Without: an App's
     * InvalidReference terminal condition from an earlier pass goes (the planner already drops the
     * versions' own).
     */
    private static StatusWrites patchForReferences(StatusWrites writes, App app, List<AppVersion> versions,
            List<InvalidReference> invalid, Instant now) {
        AppStatus appBase = writes.app() != null ? writes.app() : app.status();
        if (invalid.isEmpty()) {
            AppStatus cleared = InvalidReference.clearedOnApp(appBase);
            return cleared == appBase ? writes : new StatusWrites(writes.versions(), cleared);
        }
        Map<VersionKey, AppVersionStatus> versionWrites = new LinkedHashMap<>(writes.versions());
        for (AppVersion v : versions) {
            AppVersionStatus base = versionWrites.getOrDefault(v.key(), v.status());
            // A version that failed on its own (bad image, failed deployment) keeps its own terminal reason.
            boolean ownTerminal = Conditions.find(base.conditions(), Condition.TERMINAL)
                    .filter(c -> c.isTrue() && !Condition.REASON_INVALID_REFERENCE.equals(c.reason())).isPresent();
            if (base.phase() != Phase.Retired && !ownTerminal) {
                versionWrites.put(v.key(), InvalidReference.onVersion(base, v.status(), invalid, now));
            }
        }
        return new StatusWrites(versionWrites, InvalidReference.onApp(appBase, app.status(), invalid, now));
    }

    /** The pass stops before {@code step}: this replica may no longer act. */
    private PassResult notLeader(String appName, String step, int executed) {
        decision(Level.WARN, appName, null, step, "notLeader").log("no longer the leader: pass stopped");
        return PassResult.failed("not the leader: pass stopped before " + step, executed, 0);
    }

    private ObservedState observe(App app) {
        ComputePlatform.Observation c = compute.observe(app);
        TrafficRouter.Observation r = router.observe(app);
        return new ObservedState(r.listener(), r.targetGroups(), c.services(), c.taskDefinitions(), r.lastRequestAt(),
                c.scalableTargets(), c.scalingPolicies());
    }

    private PassResult observeFailed(App app, RuntimeException e) {
        Instant now = clock.instant();
        String message = "observing the cloud failed: " + summary(e);
        decision(Level.WARN, app.name(), null, "Observe", "failed").addKeyValue("errorCode", code(e)).log(message);
        AppStatus next = withConditions(app.status(), Conditions.set(app.status().conditions(), Condition.SYNCED,
                ConditionStatus.Unknown, REASON_OBSERVE_FAILED, message, now));
        WriteOutcome written = writeStatuses(app, List.of(), new StatusWrites(Map.of(), next), now);
        List<String> errors = new ArrayList<>(List.of(message));
        errors.addAll(written.errors());
        return PassResult.failed(String.join("; ", errors), 0, written.count());
    }

    private PassResult planFailed(App app, RuntimeException e, Instant now) {
        String message = "planning failed: " + e;
        decision(Level.ERROR, app.name(), null, "Plan", "failed").setCause(e).log(message);
        AppStatus next = withConditions(app.status(), Conditions.set(app.status().conditions(), Condition.SYNCED,
                ConditionStatus.False, REASON_PLAN_FAILED, message, now));
        WriteOutcome written = writeStatuses(app, List.of(), new StatusWrites(Map.of(), next), now);
        List<String> errors = new ArrayList<>(List.of(message));
        errors.addAll(written.errors());
        return PassResult.failed(String.join("; ", errors), 0, written.count());
    }

    /** The plan's status writes, last one per record winning. */
    private static StatusWrites collectStatusWrites(Plan plan) {
        Map<VersionKey, AppVersionStatus> versionWrites = new LinkedHashMap<>();
        AppStatus appWrite = null;
        for (Action action : plan.actions()) {
            switch (action) {
                case Action.WriteVersionStatus w -> versionWrites.put(w.key(), w.status());
                case Action.WriteAppStatus w -> appWrite = w.status();
                default -> { }
            }
        }
        return new StatusWrites(versionWrites, appWrite);
    }

    private static StatusWrites patchForFailure(StatusWrites writes, App app, List<AppVersion> versions,
            Failure failure, Instant now) {
        ActionException e = failure.exception();
        String reason = e.code() == null || e.code().isBlank() ? e.kind().name() : e.code();
        String message = failure.message();

        Map<VersionKey, AppVersionStatus> versionWrites = new LinkedHashMap<>(writes.versions());
        String failedVersion = failure.action().version();
        if (failedVersion != null) {
            VersionKey key = new VersionKey(app.name(), failedVersion);
            AppVersionStatus base = versionWrites.get(key);
            if (base == null) {
                base = versions.stream().filter(v -> v.key().equals(key)).map(AppVersion::status).findFirst()
                        .orElse(null);
            }
            // A version deleted since the read has no record left to explain the failure on.
            if (base != null) {
                List<Condition> conditions = Conditions.set(base.conditions(), Condition.SYNCED, ConditionStatus.False,
                        reason, message, now);
                if (e.kind().terminal()) {
                    conditions = Conditions.set(conditions, Condition.TERMINAL, ConditionStatus.True, reason, message, now);
                }
                versionWrites.put(key, base.toBuilder().conditions(conditions).build());
            }
        }

        AppStatus appBase = writes.app() != null ? writes.app() : app.status();
        AppStatus appNext = withConditions(appBase, Conditions.set(appBase.conditions(), Condition.SYNCED,
                ConditionStatus.False, reason, message, now));
        return new StatusWrites(versionWrites, appNext);
    }

    private WriteOutcome writeStatuses(App app, List<AppVersion> versions, StatusWrites writes, Instant now) {
        int count = 0;
        List<String> errors = new ArrayList<>();
        for (Map.Entry<VersionKey, AppVersionStatus> w : writes.versions().entrySet()) {
            VersionKey key = w.getKey();
            AppVersionStatus next = w.getValue().toBuilder().lastReconcileTime(now).build();
            AppVersionStatus stored = versions.stream().filter(v -> v.key().equals(key)).map(AppVersion::status)
                    .findFirst().orElse(null);
            if (stored != null && unchanged(stored, next)) {
                decision(Level.DEBUG, app.name(), key.version(), "WriteVersionStatus", "unchanged").log("status unchanged");
                continue;
            }
            try {
                store.writeVersionStatus(key, next);
                count++;
                String changed = StatusChanges.between(stored, next);
                decision(Level.INFO, app.name(), key.version(), "WriteVersionStatus", "ok")
                        .addKeyValue("phase", next.phase()).addKeyValue("changed", changed)
                        .log("status written: " + next.phase() + (next.message() == null ? "" : " (" + next.message() + ")")
                                + "; changed: " + changed);
            } catch (RuntimeException e) {
                errors.add("writing status of " + key + " failed: " + e);
                decision(Level.WARN, app.name(), key.version(), "WriteVersionStatus", "failed")
                        .addKeyValue("error", e.toString()).log("writing version status failed");
            }
        }
        if (writes.app() != null) {
            AppStatus next = withReconcileTime(writes.app(), now);
            AppStatus stored = app.status();
            if (unchanged(stored, next)) {
                decision(Level.DEBUG, app.name(), null, "WriteAppStatus", "unchanged").log("status unchanged");
            } else {
                try {
                    store.writeAppStatus(app.name(), next);
                    count++;
                    String changed = StatusChanges.between(stored, next);
                    decision(Level.INFO, app.name(), null, "WriteAppStatus", "ok")
                            .addKeyValue("live", next.liveVersion()).addKeyValue("changed", changed)
                            .log("app status written: live " + next.liveVersion()
                                    + (next.canaryVersion() == null ? "" : ", canary " + next.canaryVersion() + " at "
                                            + next.canaryWeight() + "%") + "; changed: " + changed);
                } catch (RuntimeException e) {
                    errors.add("writing status of app " + app.name() + " failed: " + e);
                    decision(Level.WARN, app.name(), null, "WriteAppStatus", "failed")
                            .addKeyValue("error", e.toString()).log("writing app status failed");
                }
            }
        }
        return new WriteOutcome(count, errors);
    }

    private static boolean unchanged(AppVersionStatus stored, AppVersionStatus next) {
        return stored.toBuilder().lastReconcileTime(null).build().equals(next.toBuilder().lastReconcileTime(null).build());
    }

    private static boolean unchanged(AppStatus stored, AppStatus next) {
        return withReconcileTime(stored, null).equals(withReconcileTime(next, null));
    }

    private static AppStatus withReconcileTime(AppStatus s, Instant t) {
        return new AppStatus(s.observedGeneration(), s.liveVersion(), s.canaryVersion(), s.canaryWeight(),
                s.conditions(), t, s.message());
    }

    private static AppStatus withConditions(AppStatus s, List<Condition> conditions) {
        return new AppStatus(s.observedGeneration(), s.liveVersion(), s.canaryVersion(), s.canaryWeight(),
                conditions, s.lastReconcileTime(), s.message());
    }

    private DecisionLine decision(Level level, String app, String version, String action, String outcome) {
        LoggingEventBuilder event = log.atLevel(level).addKeyValue("app", app);
        if (version != null) {
            event = event.addKeyValue("version", version);
        }
        event = event.addKeyValue("action", action).addKeyValue("outcome", outcome);
        return new DecisionLine(event, level, app, version, action, outcome);
    }

    /**
     * A decision's log line under construction; logging it also tells the observer, from INFO up
     * (DEBUG lines are the engine's routine: waits, skips, unchanged statuses).
     */
    private final class DecisionLine {
        private LoggingEventBuilder event;
        private final Level level;
        private final String app;
        private final String version;
        private final String action;
        private final String outcome;
        private String driftKind;

        DecisionLine(LoggingEventBuilder event, Level level, String app, String version, String action, String outcome) {
            this.event = event;
            this.level = level;
            this.app = app;
            this.version = version;
            this.action = action;
            this.outcome = outcome;
        }

        DecisionLine addKeyValue(String key, Object value) {
            event = event.addKeyValue(key, value);
            return this;
        }

        /** Marks the line as a repair of drift: {@code drift=true kind=...}, and tells the observer the kind. */
        DecisionLine drift(DriftRepair repair) {
            event = event.addKeyValue("drift", true).addKeyValue("kind", repair.kind());
            driftKind = repair.kind();
            return this;
        }

        DecisionLine setCause(Throwable cause) {
            event = event.setCause(cause);
            return this;
        }

        void log(String message) {
            event.log(message);
            if (level.toInt() >= Level.INFO.toInt()) {
                try {
                    observer.decided(new ReconcileObserver.Decision(clock.instant(), app, version, action, outcome, message, driftKind));
                } catch (RuntimeException e) {
                    AppReconciler.log.warn("a reconcile observer failed; ignored", e);
                }
            }
        }
    }

    private static String name(Action action) {
        return action.getClass().getSimpleName();
    }

    private static String code(RuntimeException e) {
        return e instanceof ActionException a ? a.code() : e.getClass().getSimpleName();
    }

    private static String summary(RuntimeException e) {
        return e instanceof ActionException a ? a.kind() + " " + a.code() + ": " + a.getMessage() : e.toString();
    }

    /** An action that failed, and why. */
    private record Failure(Action action, ActionException exception) {
        String message() {
            String target = action.version() == null ? "" : " for version " + action.version();
            return name(action) + target + " failed: " + summary(exception);
        }
    }

    /** Status writes of one pass: per version, and the App's (null for none). */
    private record StatusWrites(Map<VersionKey, AppVersionStatus> versions, AppStatus app) {}

    private record WriteOutcome(int count, List<String> errors) {}

    /** A pass's result and its plan (null when it ended before planning). */
    private record Outcome(PassResult result, Plan plan) {}
}
