package dev.skewless.plan;

import dev.skewless.plan.action.Action;
import java.time.Duration;
import java.util.List;

/**
 * The planner's answer for one App.
 *
 * @param app          the App
 * @param actions      in execution order: cloud mutations first (in the order the lifecycle
 *                     requires), then {@link Action.Wait}s, then status writes
 * @param requeueAfter when the App should be looked at again even if nothing changes (the
 *                     shortest wait, or the next expiry); null for "at the next resync"
 */
public record Plan(String app, List<Action> actions, Duration requeueAfter) {
    public Plan {
        actions = List.copyOf(actions);
    }

    /** The actions that change the cloud. */
    public List<Action> cloudActions() {
        return actions.stream().filter(Action::mutatesCloud).toList();
    }
}
