package dev.skewless.plan;

import dev.skewless.plan.action.Action;
import dev.skewless.plan.routing.RoutingTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
public record Plan(String app, List<Action> actions, Duration requeueAfter, RoutingTable routing,
        Map<Action, DriftRepair> driftRepairs) {
    public Plan {
        actions = List.copyOf(actions);
        driftRepairs = Map.copyOf(driftRepairs);
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

    /** The actions that change the cloud. */
    public List<Action> cloudActions() {
        return actions.stream().filter(Action::mutatesCloud).toList();
    }
}
