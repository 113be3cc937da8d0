package dev.skewless.plan;

import dev.skewless.plan.action.Action;
import dev.skewless.plan.routing.RoutingTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's answer for one App.
 *
 * @param app          the App
 * @param actions      in execution order: cloud mutations first (in the order the lifecycle
 *                     requires), then {@link Action.Wait}s, then status writes
 * @param requeueAfter when the App should be looked at again even if nothing changes (the
 *                     shortest wait, or the next expiry); null for "at the next resync"
 * @param routing      the routing table this plan's listener rules implement, once they are in
 *                     place: what the local router evaluates in {@code ./skewless dev}; null when
 *                     no rule could be planned (listener missing, rules over quota)
 * @param driftRepairs the actions of {@code actions} that repair drift, and why ({@link DriftRepair})
 * @param teardown     what deleting records (Kubernetes {@code deletionTimestamp}) has achieved:
 *                     whether a finalizer may be released ({@link #teardownComplete()},
 *                     {@link #versionsTornDown()})
 */
public record Plan(String app, List<Action> actions, Duration requeueAfter, RoutingTable routing,
        Map<Action, DriftRepair> driftRepairs, Teardown teardown) {
    public Plan {
        actions = List.copyOf(actions);
        driftRepairs = Map.copyOf(driftRepairs);
        teardown = teardown == null ? Teardown.NONE : teardown;
    }

    /**
     * How far the deletion of records has got, as one pass observed it. Only records being deleted
     * (a Kubernetes record held by the operator's finalizer, {@code metadata.deleting()}) ever
     * appear here; in the DynamoDB and embedded stores it is always {@link #NONE}.
     *
     * @param appComplete      the App is being deleted and none of its AWS resources is left: no
     *                         rule on its listener, target group, service, task definition,
     *                         scalable target or scaling policy tagged for it (its own or any
     *                         version's), observed so for at least {@link PlannerConfig#teardownSettle()};
     *                         this plan has no cloud action
     * @param versionsTornDown ids of versions whose record is being deleted and none of whose AWS
     *                         resources is left: Retired in this plan, nothing tagged for them observed
     */
    public record Teardown(boolean appComplete, Set<String> versionsTornDown) {
        /** Nothing is being deleted, or nothing deleted is gone yet. */
        public static final Teardown NONE = new Teardown(false, Set.of());

        public Teardown {
            versionsTornDown = Set.copyOf(versionsTornDown);
        }
    }

    /** A plan with no teardown to report. */
    public Plan(String app, List<Action> actions, Duration requeueAfter, RoutingTable routing,
            Map<Action, DriftRepair> driftRepairs) {
        this(app, actions, requeueAfter, routing, driftRepairs, Teardown.NONE);
    }

    /** A plan that repairs no drift. */
    public Plan(String app, List<Action> actions, Duration requeueAfter, RoutingTable routing) {
        this(app, actions, requeueAfter, routing, Map.of());
    }

    /** A plan with no routing table (tests hand these to the engine). */
    public Plan(String app, List<Action> actions, Duration requeueAfter) {
        this(app, actions, requeueAfter, null);
    }

    /** Why {@code action} repairs drift, if it does. */
    public Optional<DriftRepair> driftRepair(Action action) {
        return Optional.ofNullable(driftRepairs.get(action));
    }

    /**
     * Whether the App is being deleted and its AWS footprint is entirely gone: the operator may
     * remove the App's finalizer (and every version's). False for an App nobody is deleting.
     */
    public boolean teardownComplete() {
        return teardown.appComplete();
    }

    /**
     * Ids of the versions whose record is being deleted and whose AWS resources are all gone: the
     * operator may remove these versions' finalizers. A version whose App is still there may also
     * go earlier: should a lagging listing have hidden one of its resources, the App's next passes
     * remove it as an orphan (decision 005).
     */
    public Set<String> versionsTornDown() {
        return teardown.versionsTornDown();
    }

    /** The actions that change the cloud. */
    public List<Action> cloudActions() {
        return actions.stream().filter(Action::mutatesCloud).toList();
    }
}
