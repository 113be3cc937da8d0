package dev.skewless.plan;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.VersionResources;
import dev.skewless.plan.VersionPlan.Category;
import dev.skewless.plan.action.Action;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.routing.RoutingTable;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells repairs of drift apart from the controller's own progress, for one pass (pure).
 *
 * <p>The rule: an action repairs drift when the record it serves was <em>settled</em> (its last
 * status said {@code Synced=True}, "AWS matches the record", for the generation it has now) and
 * what the action puts back is what that status says the controller had set. Then nothing the
 * controller decides has changed since, so the world must have. Per record:
 *
 * <ul>
 *   <li>A version's target group, task definition or service created again: the version was
 *       settled and its status names one.</li>
 *   <li>A service scaled: the version was settled and its status' {@code desiredCount} is the
 *       count planned now (the controller is not changing its mind, e.g. after a supersede).</li>
 *   <li>A service updated: the version was settled and its status names the target group and task
 *       definition planned now (so the service, not the plan, moved).</li>
 *   <li>A target group's settings set back: the version was settled.</li>
 *   <li>A version's rule created or modified: the version was settled and routable before and now,
 *       and the App is steady (below).</li>
 *   <li>App-wide rules created or modified, the listener default set: the App is <em>steady</em>:
 *       its last status said {@code Synced=True}, and the App spec's generation, the live version,
 *       the canary and the set of routable versions are what that status says, and every
 *       routable version is settled.</li>
 *   <li>Rules moved: the App is steady and the pass creates and deletes no rule (a create or
 *       delete is the controller's own change and may need room).</li>
 *   <li>A scalable target registered or a scaling policy put: the App is steady and the version
 *       was settled as the live version or the canary (so the controller had attached it
 *       before; a promotion attaches in a pass whose App is not steady). A policy put back in
 *       the pass that registers its target again is part of that repair (deregistering a target
 *       deletes its policies).</li>
 * </ul>
 *
 * <p>Deletes are never counted (orphans, duplicates and old revisions are the controller's own
 * leftovers). Where a pass mixes the controller's own changes with drift the rule errs towards
 * not counting: a repair may go uncounted, a planned step is never counted as drift. A repair
 * counts once: its pass reports the record busy, so the follow-up passes are not settled.
 */
final class DriftRepairs {
    private final App app;
    private final Map<String, VersionPlan> plans;
    private final ObservedIndex idx;
    private final boolean appSteady;

    private DriftRepairs(App app, Collection<VersionPlan> plans, ObservedIndex idx, String live, RoutingTable.CanarySplit canary) {
        this.app = app;
        this.plans = new HashMap<>();
        plans.forEach(vp -> this.plans.put(vp.id(), vp));
        this.idx = idx;
        this.appSteady = steady(app, plans, live, canary);
    }

    /** The planned actions that repair drift, and why. */
    static Map<Action, DriftRepair> find(App app, Collection<VersionPlan> plans, ObservedIndex idx, String live,
            RoutingTable.CanarySplit canary, List<Action> actions) {
        DriftRepairs d = new DriftRepairs(app, plans, idx, live, canary);
        boolean rulesAddedOrRemoved = actions.stream().anyMatch(a -> a instanceof Action.CreateRule || a instanceof Action.DeleteRule);
        // A deregistered target takes its policies with it: putting them back is part of that one repair.
        Set<String> targetsRegistered = actions.stream().filter(a -> a instanceof Action.RegisterScalableTarget)
                .map(a -> ((Action.RegisterScalableTarget) a).spec().resourceId()).collect(Collectors.toSet());
        Map<Action, DriftRepair> out = new LinkedHashMap<>();
        for (Action a : actions) {
            DriftRepair r = d.classify(a, rulesAddedOrRemoved, targetsRegistered);
            if (r != null) {
                out.put(a, r);
            }
        }
        return out;
    }

    private DriftRepair classify(Action action, boolean rulesAddedOrRemoved, Set<String> targetsRegistered) {
        return switch (action) {
            case Action.CreateTargetGroup a -> settledWith(a.version(), r -> r.targetGroupArn() != null)
                    ? new DriftRepair(DriftRepair.TARGET_GROUP, "target group " + prev(a.version()).resources().targetGroupArn() + " was gone")
                    : null;
            case Action.UpdateTargetGroup a -> settledWith(a.version(), r -> true)
                    ? new DriftRepair(DriftRepair.TARGET_GROUP_SETTINGS, "target group " + a.targetGroupArn() + " had other settings")
                    : null;
            case Action.RegisterTaskDefinition a -> settledWith(a.version(), r -> r.taskDefinitionArn() != null)
                    ? new DriftRepair(DriftRepair.TASK_DEFINITION, "task definition " + prev(a.version()).resources().taskDefinitionArn()
                            + " was gone")
                    : null;
            case Action.CreateService a -> settledWith(a.version(), r -> r.serviceArn() != null)
                    ? new DriftRepair(DriftRepair.SERVICE, "service " + prev(a.version()).resources().serviceArn() + " was gone")
                    : null;
            case Action.ScaleService a -> scaledBack(a);
            case Action.UpdateService a -> updatedBack(a);
            case Action.CreateRule a -> ruleDrift(a.version())
                    ? new DriftRepair(DriftRepair.RULE, "rule " + a.tags().get(OwnershipTags.RULE_ROLE) + " was gone") : null;
            case Action.ModifyRule a -> ruleDrift(a.version())
                    ? new DriftRepair(DriftRepair.RULE_SPEC, "rule " + a.ruleArn() + " had other conditions or actions") : null;
            case Action.SetRulePriorities a -> appSteady && !rulesAddedOrRemoved
                    ? new DriftRepair(DriftRepair.RULE_PRIORITY, a.priorityByRuleArn().size() + " rule(s) were moved") : null;
            case Action.RegisterScalableTarget a -> attachedBefore(a.version())
                    ? new DriftRepair(DriftRepair.SCALABLE_TARGET, "scalable target " + a.spec().resourceId()
                            + " was gone or had other bounds") : null;
            case Action.PutScalingPolicy a -> attachedBefore(a.version()) && !targetsRegistered.contains(a.spec().resourceId())
                    ? new DriftRepair(DriftRepair.SCALING_POLICY, "scaling policy of " + a.spec().resourceId()
                            + " was gone or had another target") : null;
            case Action.SetDefaultAction a -> appSteady
                    ? new DriftRepair(DriftRepair.LISTENER_DEFAULT, "the listener's default action was changed") : null;
            default -> null;
        };
    }

    private DriftRepair scaledBack(Action.ScaleService a) {
        VersionPlan vp = plans.get(a.version());
        if (vp == null || !settledWith(a.version(), r -> Objects.equals(r.serviceArn(), a.serviceArn()))
                || vp.prev.desiredCount() != a.desiredCount()) {
            return null;
        }
        ObservedService svc = idx.serviceByVersion.get(a.version());
        String found = svc == null ? "another count" : String.valueOf(svc.desiredCount());
        return new DriftRepair(DriftRepair.SCALE, "desired count " + a.desiredCount() + " was set, found " + found);
    }

    private DriftRepair updatedBack(Action.UpdateService a) {
        if (!settledWith(a.version(), r -> Objects.equals(r.targetGroupArn(), a.spec().targetGroupArn())
                && Objects.equals(r.taskDefinitionArn(), a.spec().taskDefinitionArn()))) {
            return null;
        }
        ObservedService svc = idx.serviceByVersion.get(a.version());
        if (svc != null && !Objects.equals(svc.targetGroupArn(), a.spec().targetGroupArn())) {
            return new DriftRepair(DriftRepair.SERVICE_TARGET_GROUP, "service was attached to " + svc.targetGroupArn());
        }
        return new DriftRepair(DriftRepair.SERVICE_TASK_DEFINITION, "service ran " + (svc == null ? "another revision" : svc.taskDefinitionArn()));
    }

    /** A version's rule (pin or standby) or, with a null version, an app-wide rule. */
    private boolean ruleDrift(String version) {
        if (!appSteady) {
            return false;
        }
        if (version == null) {
            return true;
        }
        VersionPlan vp = plans.get(version);
        return vp != null && vp.category == Category.ROUTABLE && vp.prev.phase().routable() && settled(vp);
    }

    /** The version was settled as the live version or the canary of a steady App: its autoscaling was attached. */
    private boolean attachedBefore(String version) {
        VersionPlan vp = version == null ? null : plans.get(version);
        return appSteady && vp != null && settled(vp)
                && (Objects.equals(app.status().liveVersion(), version) || Objects.equals(app.status().canaryVersion(), version));
    }

    private AppVersionStatus prev(String version) {
        return plans.get(version).prev;
    }

    private boolean settledWith(String version, java.util.function.Predicate<VersionResources> recorded) {
        VersionPlan vp = version == null ? null : plans.get(version);
        return vp != null && settled(vp) && recorded.test(vp.prev.resources());
    }

    /** Its last status said AWS matched it, for the version and App generations it has now. */
    private boolean settled(VersionPlan vp) {
        return vp.prev.observedGeneration() == vp.record.metadata().generation()
                && app.status().observedGeneration() == app.metadata().generation()
                && Conditions.find(vp.prev.conditions(), Condition.SYNCED).map(Condition::isTrue).orElse(false);
    }

    private boolean steady(App app, Collection<VersionPlan> plans, String live, RoutingTable.CanarySplit canary) {
        AppStatus prev = app.status();
        if (prev.observedGeneration() != app.metadata().generation()
                || !Conditions.find(prev.conditions(), Condition.SYNCED).map(Condition::isTrue).orElse(false)
                || !Objects.equals(prev.liveVersion(), live)
                || !Objects.equals(prev.canaryVersion(), canary == null ? null : canary.version())
                || prev.canaryWeight() != (canary == null ? 0 : canary.weight())) {
            return false;
        }
        for (VersionPlan vp : plans) {
            boolean routable = vp.category == Category.ROUTABLE;
            if (routable != vp.prev.phase().routable() || (routable && !settled(vp))) {
                return false;
            }
        }
        return true;
    }
}
