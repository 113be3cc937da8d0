package dev.skewless.plan.action;

import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import java.time.Duration;
import java.util.Map;

/**
 * One step of a plan. Every action names the App (and version, where there is one) it is for, so
 * the engine can log one line per decision.
 */
public sealed interface Action {
    /** The App this action is for. */
    String app();

    /** The version this action is for, or null for app-wide actions (shared rules, app status). */
    String version();

    /** Whether carrying it out changes AWS (status writes and waits do not). */
    default boolean mutatesCloud() {
        return true;
    }

    // ---- target groups ----

    /** Create a version's target group. */
    record CreateTargetGroup(VersionKey key, TargetGroupSpec spec) implements VersionAction {}

    /** Bring a target group's health check and deregistration delay to the spec. */
    record UpdateTargetGroup(VersionKey key, String targetGroupArn, TargetGroupSpec spec) implements VersionAction {}

    /** Delete a target group no rule or service uses any more. */
    record DeleteTargetGroup(VersionKey key, String targetGroupArn) implements VersionAction {}

    // ---- task definitions and services ----

    /** Register a task definition revision for a version. */
    record RegisterTaskDefinition(VersionKey key, TaskDefinitionSpec spec) implements VersionAction {}

    /** Deregister a revision nothing runs any more. */
    record DeregisterTaskDefinition(VersionKey key, String taskDefinitionArn) implements VersionAction {}

    /** Create a version's service. */
    record CreateService(VersionKey key, ServiceSpec spec) implements VersionAction {}

    /** Point an existing service at another task definition or target group. */
    record UpdateService(VersionKey key, String serviceArn, ServiceSpec spec) implements VersionAction {}

    /** Change a service's desired count. */
    record ScaleService(VersionKey key, String cluster, String serviceArn, int desiredCount) implements VersionAction {}

    /** Delete a service already scaled to zero. */
    record DeleteService(VersionKey key, String cluster, String serviceArn) implements VersionAction {}

    // ---- Application Auto Scaling ----

    /** Register (or re-bound) a service as a scalable target. */
    record RegisterScalableTarget(VersionKey key, ScalableTargetSpec spec) implements VersionAction {}

    /** Create or update a target tracking policy on a registered target. */
    record PutScalingPolicy(VersionKey key, ScalingPolicySpec spec) implements VersionAction {}

    /** Delete a policy skewless named. */
    record DeleteScalingPolicy(VersionKey key, String resourceId, String policyName) implements VersionAction {}

    /** Deregister a service's scalable target (before it is scaled down for good or deleted). */
    record DeregisterScalableTarget(VersionKey key, String resourceId) implements VersionAction {}

    // ---- listener rules ----

    /** Create a rule at a free priority. {@code version} is null for app-wide rules. */
    record CreateRule(String app, String version, String listenerArn, int priority, ListenerRuleSpec spec,
            Map<String, String> tags) implements Action {
        public CreateRule {
            tags = Map.copyOf(tags);
        }
    }

    /** Replace a rule's conditions and action in place (no routing gap). */
    record ModifyRule(String app, String version, String ruleArn, ListenerRuleSpec spec) implements Action {}

    /** Move owned rules to new priorities in one atomic call. */
    record SetRulePriorities(String app, String listenerArn, Map<String, Integer> priorityByRuleArn) implements Action {
        public SetRulePriorities {
            priorityByRuleArn = Map.copyOf(priorityByRuleArn);
        }

        public String version() {
            return null;
        }
    }

    /** Delete an owned rule. */
    record DeleteRule(String app, String version, String ruleArn) implements Action {}

    /** Set the listener's default action (only for an App that owns the listener). */
    record SetDefaultAction(String app, String listenerArn, AlbAction action) implements Action {
        public String version() {
            return null;
        }
    }

    // ---- control ----

    /**
     * Nothing more can be done for {@code version} (or the App) until something happens (a
     * deployment completes, a delay passes). The engine requeues the App after the shortest wait.
     */
    record Wait(String app, String version, String reason, Duration after) implements Action {
        public boolean mutatesCloud() {
            return false;
        }
    }

    /** Write a version's status. */
    record WriteVersionStatus(VersionKey key, AppVersionStatus status) implements VersionAction {
        public boolean mutatesCloud() {
            return false;
        }
    }

    /** Write the App's status. */
    record WriteAppStatus(String app, AppStatus status) implements Action {
        public String version() {
            return null;
        }

        public boolean mutatesCloud() {
            return false;
        }
    }

    /** Actions addressed to one version. */
    sealed interface VersionAction extends Action {
        VersionKey key();

        default String app() {
            return key().app();
        }

        default String version() {
            return key().version();
        }
    }
}
