package dev.skewless.engine;

import dev.skewless.plan.action.Action;
import dev.skewless.plan.action.ActionException;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import java.util.Objects;

/**
 * Carries out one cloud action through the ports: exactly one port call per action, no decisions.
 *
 * <p>Failures come out as {@link ActionException}; any other {@link RuntimeException} from a
 * provider is wrapped as {@link ActionException.Kind#TRANSIENT} (a provider bug or an unmapped SDK
 * error is retried, never allowed to look like success). {@link Error}s are not caught.
 */
public final class ActionExecutor {
    private final ComputePlatform compute;
    private final TrafficRouter router;

    public ActionExecutor(ComputePlatform compute, TrafficRouter router) {
        this.compute = Objects.requireNonNull(compute, "compute");
        this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * Executes {@code action}.
     *
     * @return the ARN the action created or touched (for logs), or null
     * @throws ActionException          when the provider refused or failed
     * @throws IllegalArgumentException for actions that do not change the cloud (waits and status
     *                                  writes are the engine's business, not a provider's)
     */
    public String execute(Action action) {
        if (!action.mutatesCloud()) {
            throw new IllegalArgumentException(action.getClass().getSimpleName() + " does not change the cloud");
        }
        try {
            return dispatch(action);
        } catch (ActionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ActionException(ActionException.Kind.TRANSIENT, e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage()), e);
        }
    }

    private String dispatch(Action action) {
        return switch (action) {
            case Action.CreateTargetGroup a -> router.createTargetGroup(a.spec());
            case Action.UpdateTargetGroup a -> {
                router.updateTargetGroup(a.targetGroupArn(), a.spec());
                yield a.targetGroupArn();
            }
            case Action.DeleteTargetGroup a -> {
                router.deleteTargetGroup(a.targetGroupArn());
                yield a.targetGroupArn();
            }
            case Action.RegisterTaskDefinition a -> compute.registerTaskDefinition(a.spec());
            case Action.DeregisterTaskDefinition a -> {
                compute.deregisterTaskDefinition(a.taskDefinitionArn());
                yield a.taskDefinitionArn();
            }
            case Action.CreateService a -> compute.createService(a.spec());
            case Action.UpdateService a -> {
                compute.updateService(a.serviceArn(), a.spec());
                yield a.serviceArn();
            }
            case Action.ScaleService a -> {
                compute.scaleService(a.cluster(), a.serviceArn(), a.desiredCount());
                yield a.serviceArn();
            }
            case Action.DeleteService a -> {
                compute.deleteService(a.cluster(), a.serviceArn());
                yield a.serviceArn();
            }
            case Action.RegisterScalableTarget a -> {
                compute.registerScalableTarget(a.spec());
                yield a.spec().resourceId();
            }
            case Action.PutScalingPolicy a -> {
                compute.putScalingPolicy(a.spec());
                yield a.spec().resourceId();
            }
            case Action.DeleteScalingPolicy a -> {
                compute.deleteScalingPolicy(a.resourceId(), a.policyName());
                yield a.resourceId();
            }
            case Action.DeregisterScalableTarget a -> {
                compute.deregisterScalableTarget(a.resourceId());
                yield a.resourceId();
            }
            case Action.CreateRule a -> router.createRule(a.listenerArn(), a.priority(), a.spec(), a.tags());
            case Action.ModifyRule a -> {
                router.modifyRule(a.ruleArn(), a.spec());
                yield a.ruleArn();
            }
            case Action.SetRulePriorities a -> {
                router.setRulePriorities(a.listenerArn(), a.priorityByRuleArn());
                yield a.listenerArn();
            }
            case Action.DeleteRule a -> {
                router.deleteRule(a.ruleArn());
                yield a.ruleArn();
            }
            case Action.SetDefaultAction a -> {
                router.setDefaultAction(a.listenerArn(), a.action());
                yield a.listenerArn();
            }
            case Action.Wait a -> throw new IllegalStateException("unreachable: " + a);
            case Action.WriteVersionStatus a -> throw new IllegalStateException("unreachable: " + a);
            case Action.WriteAppStatus a -> throw new IllegalStateException("unreachable: " + a);
        };
    }
}
