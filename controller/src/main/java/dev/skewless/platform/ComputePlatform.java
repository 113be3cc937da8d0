package dev.skewless.platform;

import dev.skewless.model.App;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.ScalingPolicySpec;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.observed.ObservedScalableTarget;
import dev.skewless.plan.observed.ObservedScalingPolicy;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedTaskDefinition;
import java.util.List;

/**
 * Runs versions: one task definition and one service per version, and the Application Auto
 * Scaling target and policy of the versions that autoscale.
 *
 * <p>Providers carry out exactly what they are told and decide nothing; every failure is an
 * {@link ActionException} with a {@link ActionException.Kind}. Every resource created carries the
 * tags given in its spec.
 */
public interface ComputePlatform {

    /** Services and ACTIVE task definitions tagged as belonging to {@code app}, in batched reads. */
    Observation observe(App app);

    /** Registers a task definition revision; returns its ARN. */
    String registerTaskDefinition(TaskDefinitionSpec spec);

    /** Deregisters a revision. */
    void deregisterTaskDefinition(String taskDefinitionArn);

    /** Creates a service; returns its ARN. Fails with CONFLICT if an ACTIVE one has that name. */
    String createService(ServiceSpec spec);

    /** Points a service at another task definition / target group and sets its desired count. */
    void updateService(String serviceArn, ServiceSpec spec);

    /** Sets a service's desired count. */
    void scaleService(String cluster, String serviceArn, int desiredCount);

    /** Deletes a service (already at zero). Deleting one that is gone is not an error. */
    void deleteService(String cluster, String serviceArn);

    /**
     * Registers a service with Application Auto Scaling, or changes the bounds of its registered
     * target. Fails (INVALID or NOT_FOUND) when the service does not exist.
     */
    void registerScalableTarget(ScalableTargetSpec spec);

    /** Creates or updates a target tracking policy. Fails with NOT_FOUND when its target is not registered. */
    void putScalingPolicy(ScalingPolicySpec spec);

    /** Deletes a scaling policy. Deleting one that is gone is not an error. */
    void deleteScalingPolicy(String resourceId, String policyName);

    /** Deregisters a scalable target (its policies go with it). Deregistering one that is gone is not an error. */
    void deregisterScalableTarget(String resourceId);

    /**
     * What {@link #observe} saw.
     *
     * @param services        the App's services
     * @param taskDefinitions the App's ACTIVE task definitions
     * @param scalableTargets scalable targets of those services
     * @param scalingPolicies scaling policies on those targets
     */
    record Observation(List<ObservedService> services, List<ObservedTaskDefinition> taskDefinitions,
            List<ObservedScalableTarget> scalableTargets, List<ObservedScalingPolicy> scalingPolicies) {
        public Observation {
            services = List.copyOf(services);
            taskDefinitions = List.copyOf(taskDefinitions);
            scalableTargets = List.copyOf(scalableTargets);
            scalingPolicies = List.copyOf(scalingPolicies);
        }

        /** An observation without scalable targets. */
        public Observation(List<ObservedService> services, List<ObservedTaskDefinition> taskDefinitions) {
            this(services, taskDefinitions, List.of(), List.of());
        }
    }
}
