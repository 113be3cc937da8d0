package dev.skewless.plan;

import dev.skewless.model.AppVersion;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.action.Action;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.ScalingPolicySpec;
import dev.skewless.plan.observed.ObservedScalableTarget;
import dev.skewless.plan.observed.ObservedScalingPolicy;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Application Auto Scaling part of a pass (decision 030): a live or canary version with
 * {@code spec.autoscaling} has a scalable target bounded by {@code [minCount, maxCount]} and one
 * target tracking policy; every other version has neither, so nothing but the planner sets its
 * desired count. Pure: it only reads what was observed.
 *
 * <p>A scalable target is ours when it scales a service we own (its resource id names the
 * service); a policy is ours when it also carries the name {@link #policyName} gives that
 * version. Other policies on the target are left alone.
 */
final class AutoscalingPlanner {
    private final String owner;
    private final String listenerArn;
    private final Map<String, ObservedScalableTarget> targetByResourceId = new HashMap<>();
    private final Map<String, List<ObservedScalingPolicy>> policiesByResourceId = new HashMap<>();

    AutoscalingPlanner(String owner, String listenerArn, ObservedState observed) {
        this.owner = owner;
        this.listenerArn = listenerArn;
        for (ObservedScalableTarget t : observed.scalableTargets()) {
            targetByResourceId.put(t.resourceId(), t);
        }
        for (ObservedScalingPolicy p : observed.scalingPolicies()) {
            policiesByResourceId.computeIfAbsent(p.spec().resourceId(), r -> new ArrayList<>()).add(p);
        }
    }

    /** The deterministic name of a version's policy. */
    static String policyName(VersionKey key) {
        return "skewless-" + ResourceNames.service(key);
    }

    /** Application Auto Scaling's resource id of an observed service (the cluster given by name or ARN). */
    static String resourceId(ObservedService svc) {
        return ScalableTargetSpec.resourceId(svc.cluster(), svc.name());
    }

    /**
     * The tasks a version runs at full size: its {@code desiredCount}, or for an autoscaled one
     * whatever Application Auto Scaling chose within {@code [minCount, maxCount]} (never fought
     * over), and {@code minCount} before it has a service.
     */
    static int fullSize(AppVersion v, ObservedService svc) {
        AutoscalingSpec a = v.spec().autoscaling();
        if (a == null) {
            return v.spec().desiredCount();
        }
        return svc != null && svc.status() == ObservedService.Status.ACTIVE ? a.clamp(svc.desiredCount()) : a.minCount();
    }

    /**
     * Brings the scalable target and policy of a live or canary version to its spec: register
     * (or re-bound) the target, then put the policy. Both in one pass: the policy names the target
     * by its deterministic resource id, and the engine skips the put if the register failed.
     * {@code targetGroupArn} is needed only for a request-count policy; without it the policy waits.
     */
    List<Action> attach(AppVersion v, ObservedService svc, String targetGroupArn) {
        AutoscalingSpec a = v.spec().autoscaling();
        List<Action> out = new ArrayList<>();
        if (a == null || svc == null || svc.status() != ObservedService.Status.ACTIVE) {
            return out;
        }
        String resourceId = resourceId(svc);
        String cluster = resourceId.substring("service/".length(), resourceId.lastIndexOf('/'));
        ObservedScalableTarget target = targetByResourceId.get(resourceId);
        if (target == null || target.minCapacity() != a.minCount() || target.maxCapacity() != a.maxCount()) {
            out.add(new Action.RegisterScalableTarget(v.key(), new ScalableTargetSpec(cluster, svc.name(), a.minCount(), a.maxCount(),
                    target == null ? OwnershipTags.forVersion(owner, v.key()) : Map.of())));
        }
        String label = null;
        if (a.metric() == AutoscalingSpec.Metric.REQUESTS) {
            label = requestCountLabel(listenerArn, targetGroupArn);
            if (label == null) {
                return out;
            }
        }
        ScalingPolicySpec policy = new ScalingPolicySpec(resourceId, policyName(v.key()), a.metric(), a.targetValue(), label,
                (int) a.scaleInCooldown().toSeconds(), (int) a.scaleOutCooldown().toSeconds());
        ObservedScalingPolicy current = ourPolicy(resourceId, v.key());
        if (target == null || current == null || !current.spec().equals(policy)) {
            out.add(new Action.PutScalingPolicy(v.key(), policy));
        }
        return out;
    }

    /**
     * Removes a version's policy and scalable target, policy first (Application Auto Scaling
     * drops a target's policies with it; deleting ours explicitly keeps the order visible and
     * works where it does not). Must run before the service is scaled below {@code minCount}, or
     * Application Auto Scaling would scale it back up.
     */
    List<Action> detach(VersionKey key, ObservedService svc) {
        List<Action> out = new ArrayList<>();
        if (svc == null) {
            return out;
        }
        String resourceId = resourceId(svc);
        if (ourPolicy(resourceId, key) != null) {
            out.add(new Action.DeleteScalingPolicy(key, resourceId, policyName(key)));
        }
        if (targetByResourceId.containsKey(resourceId)) {
            out.add(new Action.DeregisterScalableTarget(key, resourceId));
        }
        return out;
    }

    private ObservedScalingPolicy ourPolicy(String resourceId, VersionKey key) {
        String name = policyName(key);
        for (ObservedScalingPolicy p : policiesByResourceId.getOrDefault(resourceId, List.of())) {
            if (p.spec().name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * {@code app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>}, the resource label of
     * {@code ALBRequestCountPerTarget}, from the listener's and the target group's ARNs; null when
     * either is missing or malformed.
     */
    static String requestCountLabel(String listenerArn, String targetGroupArn) {
        if (listenerArn == null || targetGroupArn == null) {
            return null;
        }
        int l = listenerArn.indexOf(":listener/");
        int t = targetGroupArn.indexOf(":targetgroup/");
        if (l < 0 || t < 0) {
            return null;
        }
        String[] lb = listenerArn.substring(l + ":listener/".length()).split("/");
        if (lb.length < 3) {
            return null;
        }
        return lb[0] + "/" + lb[1] + "/" + lb[2] + "/" + targetGroupArn.substring(t + 1);
    }
}
