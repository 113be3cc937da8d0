package dev.skewless.platform.ecs;

import dev.skewless.model.AutoscalingSpec;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.ScalingPolicySpec;
import dev.skewless.plan.observed.ObservedScalableTarget;
import dev.skewless.plan.observed.ObservedScalingPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * The Application Auto Scaling part of {@link EcsComputePlatform}: scalable targets (namespace
 * {@code ecs}, dimension {@code ecs:service:DesiredCount}) and target tracking policies of an
 * App's services.
 *
 * <p>Observing costs one {@code DescribeScalableTargets} per 50 services (by resource id) and,
 * only when one of them is registered, a paginated {@code DescribeScalingPolicies} of the
 * {@code ecs} namespace (the API filters policies by one resource id at most, which would be a
 * call per version). Scalable target tags are written at registration (IAM's tag conditions check
 * them) but not read back: a target is the App's when its resource id names one of the App's
 * services, which the planner already owns by tag (decision 030).
 */
final class EcsAutoscaling {
    private static final Logger LOG = LoggerFactory.getLogger(EcsAutoscaling.class);
    /** DescribeScalableTargets takes at most 50 resource ids. */
    static final int DESCRIBE_TARGETS_BATCH = 50;
    /** DescribeScalingPolicies pages hold at most 50 policies. */
    static final int DESCRIBE_POLICIES_PAGE = 50;

    private final ApplicationAutoScalingClient aas;

    EcsAutoscaling(ApplicationAutoScalingClient aas) {
        this.aas = aas;
    }

    /** What is registered for the services with these resource ids. */
    Observed observe(List<String> resourceIds) {
        List<ObservedScalableTarget> targets = new ArrayList<>();
        for (int i = 0; i < resourceIds.size(); i += DESCRIBE_TARGETS_BATCH) {
            List<String> batch = resourceIds.subList(i, Math.min(resourceIds.size(), i + DESCRIBE_TARGETS_BATCH));
            for (ScalableTarget t : aas.describeScalableTargetsPaginator(b -> b.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceIds(batch)).scalableTargets()) {
                // Filtered here too: not every implementation of the API honours the filter.
                if (batch.contains(t.resourceId())) {
                    targets.add(new ObservedScalableTarget(t.resourceId(), t.scalableTargetARN(), t.minCapacity(), t.maxCapacity()));
                }
            }
        }
        List<ObservedScalingPolicy> policies = new ArrayList<>();
        if (!targets.isEmpty()) {
            Set<String> registered = new HashSet<>();
            targets.forEach(t -> registered.add(t.resourceId()));
            for (ScalingPolicy p : aas.describeScalingPoliciesPaginator(b -> b.serviceNamespace(ServiceNamespace.ECS)
                    .maxResults(DESCRIBE_POLICIES_PAGE)).scalingPolicies()) {
                if (registered.contains(p.resourceId()) && p.scalableDimension() == ScalableDimension.ECS_SERVICE_DESIRED_COUNT) {
                    policies.add(new ObservedScalingPolicy(p.policyARN(), spec(p)));
                }
            }
        }
        return new Observed(targets, policies);
    }

    /** A described policy in the planner's terms; anything skewless would not write reads as a different spec. */
    static ScalingPolicySpec spec(ScalingPolicy p) {
        TargetTrackingScalingPolicyConfiguration c = p.targetTrackingScalingPolicyConfiguration();
        if (p.policyType() != PolicyType.TARGET_TRACKING_SCALING || c == null || c.predefinedMetricSpecification() == null
                || c.targetValue() == null) {
            return new ScalingPolicySpec(p.resourceId(), p.policyName(), null, 0, null, -1, -1);
        }
        PredefinedMetricSpecification m = c.predefinedMetricSpecification();
        AutoscalingSpec.Metric metric = switch (m.predefinedMetricType()) {
            case ECS_SERVICE_AVERAGE_CPU_UTILIZATION -> AutoscalingSpec.Metric.CPU;
            case ALB_REQUEST_COUNT_PER_TARGET -> AutoscalingSpec.Metric.REQUESTS;
            default -> null;
        };
        double value = c.targetValue();
        if (value != Math.rint(value) || Boolean.TRUE.equals(c.disableScaleIn())) {
            metric = null; // a fractional target or a disabled scale-in was set by someone else: put ours back
        }
        String label = m.resourceLabel() == null || m.resourceLabel().isEmpty() ? null : m.resourceLabel();
        return new ScalingPolicySpec(p.resourceId(), p.policyName(), metric, (int) value, label,
                c.scaleInCooldown() == null ? -1 : c.scaleInCooldown(), c.scaleOutCooldown() == null ? -1 : c.scaleOutCooldown());
    }

    void registerScalableTarget(ScalableTargetSpec spec) {
        aas.registerScalableTarget(b -> {
            b.serviceNamespace(ServiceNamespace.ECS).scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                    .resourceId(spec.resourceId()).minCapacity(spec.minCount()).maxCapacity(spec.maxCount());
            if (!spec.tags().isEmpty()) {
                b.tags(spec.tags());
            }
        });
        LOG.atInfo().setMessage("registered scalable target").addKeyValue("resource", spec.resourceId())
                .addKeyValue("min", spec.minCount()).addKeyValue("max", spec.maxCount()).log();
    }

    void putScalingPolicy(ScalingPolicySpec spec) {
        MetricType type = spec.metric() == AutoscalingSpec.Metric.REQUESTS
                ? MetricType.ALB_REQUEST_COUNT_PER_TARGET : MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION;
        aas.putScalingPolicy(b -> b.policyName(spec.name()).serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(spec.resourceId())
                .policyType(PolicyType.TARGET_TRACKING_SCALING)
                .targetTrackingScalingPolicyConfiguration(c -> c.targetValue((double) spec.targetValue())
                        .predefinedMetricSpecification(m -> m.predefinedMetricType(type).resourceLabel(spec.resourceLabel()))
                        .scaleInCooldown(spec.scaleInCooldownSeconds()).scaleOutCooldown(spec.scaleOutCooldownSeconds())));
        LOG.atInfo().setMessage("put scaling policy").addKeyValue("resource", spec.resourceId()).addKeyValue("policy", spec.name())
                .addKeyValue("metric", spec.metric()).addKeyValue("target", spec.targetValue()).log();
    }

    void deleteScalingPolicy(String resourceId, String policyName) {
        try {
            aas.deleteScalingPolicy(b -> b.policyName(policyName).serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(resourceId));
        } catch (RuntimeException e) {
            if (gone(e)) {
                return;
            }
            throw e;
        }
        LOG.atInfo().setMessage("deleted scaling policy").addKeyValue("resource", resourceId).addKeyValue("policy", policyName).log();
    }

    void deregisterScalableTarget(String resourceId) {
        try {
            aas.deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(resourceId));
        } catch (RuntimeException e) {
            if (gone(e)) {
                return;
            }
            throw e;
        }
        LOG.atInfo().setMessage("deregistered scalable target").addKeyValue("resource", resourceId).log();
    }

    /**
     * Whether a delete failed because there was nothing to delete: AWS says
     * {@code ObjectNotFoundException}; moto says {@code ValidationException} "No ... found".
     */
    private static boolean gone(RuntimeException e) {
        ActionException a = e instanceof ActionException x ? x : null;
        String code = a != null ? a.code() : e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s
                ? s.awsErrorDetails().errorCode() : null;
        String message = String.valueOf(e.getMessage());
        return (a != null && a.kind() == Kind.NOT_FOUND) || "ObjectNotFoundException".equals(code)
                || ("ValidationException".equals(code) && message.contains("No scal") && message.contains("found"));
    }

    /** What {@link #observe} saw. */
    record Observed(List<ObservedScalableTarget> targets, List<ObservedScalingPolicy> policies) {}
}
