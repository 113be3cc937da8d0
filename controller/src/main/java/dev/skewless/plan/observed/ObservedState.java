package dev.skewless.plan.observed;

import dev.skewless.model.VersionKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The cloud as one App's pass saw it.
 *
 * @param listener        the App's listener, or null if it could not be found
 * @param targetGroups    target groups tagged for this App
 * @param services        services tagged for this App (INACTIVE ones may be omitted)
 * @param taskDefinitions ACTIVE task definitions tagged for this App
 * @param lastRequestAt   per version, the latest time a request was seen (or the start of the
 *                        observed window when none was); absent when unknown
 * @param scalableTargets Application Auto Scaling targets of the App's services
 * @param scalingPolicies skewless-named policies on those targets
 */
public record ObservedState(
        ObservedListener listener,
        List<ObservedTargetGroup> targetGroups,
        List<ObservedService> services,
        List<ObservedTaskDefinition> taskDefinitions,
        Map<VersionKey, Instant> lastRequestAt,
        List<ObservedScalableTarget> scalableTargets,
        List<ObservedScalingPolicy> scalingPolicies) {
    public ObservedState {
        targetGroups = List.copyOf(targetGroups);
        services = List.copyOf(services);
        taskDefinitions = List.copyOf(taskDefinitions);
        lastRequestAt = Map.copyOf(lastRequestAt);
        scalableTargets = List.copyOf(scalableTargets);
        scalingPolicies = List.copyOf(scalingPolicies);
    }

    /** A cloud without Application Auto Scaling targets. */
    public ObservedState(ObservedListener listener, List<ObservedTargetGroup> targetGroups, List<ObservedService> services,
            List<ObservedTaskDefinition> taskDefinitions, Map<VersionKey, Instant> lastRequestAt) {
        this(listener, targetGroups, services, taskDefinitions, lastRequestAt, List.of(), List.of());
    }
}
