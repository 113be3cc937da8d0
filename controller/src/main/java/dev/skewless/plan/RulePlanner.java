package dev.skewless.plan;

import dev.skewless.model.App;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.VersionPlan.Category;
import dev.skewless.plan.action.Action;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.observed.ObservedListener;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.routing.AlbRuleRenderer;
import dev.skewless.plan.routing.RenderedRule;
import dev.skewless.plan.routing.RenderedRules;
import dev.skewless.plan.routing.RouteDecision;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.plan.routing.RuleRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans one App's listener rules for one pass: renders the routing table, adds standby rules for
 * provisioning versions, allocates priorities stably inside the App's range around foreign rules,
 * and diffs against the rules we own. Actions come out in the order that never leaves a retained
 * version without its rule: listener default, obsolete deletes, one move, creates, modifies.
 */
final class RulePlanner {
    /** Header of standby rules; the value is a hash no client sends. */
    static final String STANDBY_HEADER = "x-skewless-standby";

    /**
     * @param actions         rule actions in execution order
     * @param capacityProblem why some rules could not be added, or null
     */
    record Result(List<Action> actions, Blocker capacityProblem, RoutingTable table) {}

    private final App app;
    private final PlannerConfig config;
    private final String owner;
    private final ObservedIndex idx;
    private final ObservedListener listener;

    RulePlanner(App app, PlannerConfig config, ObservedIndex idx, ObservedListener listener) {
        this.app = app;
        this.config = config;
        this.owner = config.owner();
        this.idx = idx;
        this.listener = listener;
    }

    /**
     * @param plans  every version of the App, oldest first
     * @param live   the live version, or null
     * @param canary the canary in effect, or null
     */
    Result plan(Collection<VersionPlan> plans, String live, RoutingTable.CanarySplit canary) {
        List<Action> ruleActions = new ArrayList<>();
        Blocker capacityProblem = null;
        // Versions whose pins are honoured: live first, then newest to oldest.
        List<String> routable = new ArrayList<>();
        Map<String, String> tgArn = new TreeMap<>();
        List<VersionPlan> newestFirst = new ArrayList<>(plans);
        java.util.Collections.reverse(newestFirst);
        for (VersionPlan vp : newestFirst) {
            if (vp.category != Category.ROUTABLE) {
                continue;
            }
            Optional<String> arn = idx.targetGroupArn(vp.id());
            if (arn.isEmpty()) {
                vp.busy("Waiting for its target group before routing to it");
                continue;
            }
            tgArn.put(vp.id(), arn.get());
            if (vp.id().equals(live)) {
                routable.addFirst(vp.id());
            } else {
                routable.add(vp.id());
            }
        }
        String effectiveLive = live != null && tgArn.containsKey(live) ? live : null;
        var router = app.spec().router();
        RoutingTable table = new RoutingTable(app.name(), app.spec().routing(), router.pathPatterns(), router.hostHeaders(),
                router.ownsListener(), effectiveLive,
                canary != null && tgArn.containsKey(canary.version()) && effectiveLive != null ? canary : null, routable);
        RenderedRules rendered = AlbRuleRenderer.render(table);

        Map<String, VersionPlan> byId = new java.util.HashMap<>();
        plans.forEach(vp -> byId.put(vp.id(), vp));
        List<RenderedRule> desired = new ArrayList<>(rendered.rules());
        for (VersionPlan vp : plans) {
            ObservedTargetGroup tg = idx.targetGroupByVersion.get(vp.id());
            if (vp.category == Category.PROVISIONING && tg != null) {
                tgArn.put(vp.id(), tg.arn());
                desired.add(standbyRule(vp.record.key(), table));
            }
        }
        List<OptionalInt> current = new ArrayList<>();
        for (RenderedRule r : desired) {
            current.add(idx.rule(r.role()).map(o -> OptionalInt.of(o.priority())).orElse(OptionalInt.empty()));
        }
        int foreignOnLb = listener.loadBalancerRuleCount() - idx.ownedRuleCount;
        Optional<int[]> assigned = PriorityAllocator.assign(router.priorities(), idx.foreignPriorities, current);
        if (assigned.isEmpty() || foreignOnLb + desired.size() > config.quotas().rulesPerLoadBalancer()) {
            // Over capacity (range shrunk, foreign rules moved in, quota lowered): keep what exists, add nothing.
            capacityProblem = new Blocker("RuleCapacity", desired.size() + " rules needed; priority range " + router.priorities()
                    + " or the load balancer's rule quota has no room; existing rules are kept, none added");
            List<RenderedRule> kept = new ArrayList<>();
            List<OptionalInt> keptCurrent = new ArrayList<>();
            for (int i = 0; i < desired.size(); i++) {
                if (current.get(i).isPresent()) {
                    kept.add(desired.get(i));
                    keptCurrent.add(current.get(i));
                }
            }
            desired = kept;
            current = keptCurrent;
            assigned = PriorityAllocator.assign(router.priorities(), idx.foreignPriorities, current);
            if (assigned.isEmpty()) {
                return new Result(ruleActions, capacityProblem, table);
            }
        }
        int[] priorities = assigned.get();

        // The listener default, when the App owns the listener, is set before anything else moves.
        if (rendered.listenerDefault() != null) {
            AlbAction def = toAlb(rendered.listenerDefault(), tgArn);
            if (!def.equals(listener.defaultAction())) {
                ruleActions.add(new Action.SetDefaultAction(app.name(), listener.arn(), def));
            }
        }
        // Obsolete rules go first: they belong to versions leaving service (their removal is the point)
        // or to carriers switched off, and their slots may be needed by the moves below.
        TreeSet<String> desiredRoles = new TreeSet<>();
        desired.forEach(r -> desiredRoles.add(r.role().tagValue()));
        idx.ownedRulesByRole.forEach((role, rules) -> {
            for (int i = 0; i < rules.size(); i++) {
                if (i > 0 || !desiredRoles.contains(role.tagValue())) {
                    ruleActions.add(new Action.DeleteRule(app.name(), role.version(), rules.get(i).arn()));
                }
            }
        });
        for (ObservedRule r : idx.unreadableOwnedRules) {
            ruleActions.add(new Action.DeleteRule(app.name(), null, r.arn()));
        }
        Map<String, Integer> moves = new TreeMap<>();
        List<Action> createsAndModifies = new ArrayList<>();
        for (int i = 0; i < desired.size(); i++) {
            RenderedRule r = desired.get(i);
            ListenerRuleSpec spec = new ListenerRuleSpec(r.conditions(), toAlb(r.action(), tgArn));
            Optional<ObservedRule> existing = idx.rule(r.role());
            if (r.role().version() != null && byId.containsKey(r.role().version())) {
                byId.get(r.role().version()).priorities.add(priorities[i]);
            }
            if (existing.isEmpty()) {
                createsAndModifies.add(new Action.CreateRule(app.name(), r.role().version(), listener.arn(), priorities[i],
                        spec, ruleTags(r.role())));
                continue;
            }
            if (existing.get().priority() != priorities[i]) {
                moves.put(existing.get().arn(), priorities[i]);
            }
            if (!existing.get().spec().equals(spec)) {
                createsAndModifies.add(new Action.ModifyRule(app.name(), r.role().version(), existing.get().arn(), spec));
            }
        }
        if (!moves.isEmpty()) {
            ruleActions.add(new Action.SetRulePriorities(app.name(), listener.arn(), moves));
        }
        // Creates before modifies: a version's pin rule exists before unpinned traffic switches to it.
        createsAndModifies.stream().filter(a -> a instanceof Action.CreateRule).forEach(ruleActions::add);
        createsAndModifies.stream().filter(a -> a instanceof Action.ModifyRule).forEach(ruleActions::add);
        for (Action a : ruleActions) {
            if (a.version() != null && byId.containsKey(a.version())) {
                byId.get(a.version()).busy("Updating listener rules");
            }
        }
        return new Result(ruleActions, capacityProblem, table);
    }

    /**
     * The App is being deleted: every rule it owns goes, pin and standby rules first, then the
     * navigation rule, the expired catch-alls and the unpinned rule (the order of
     * {@link RuleRole.Kind}, pins before the rest), then any whose role tag is unreadable. When the
     * App owns the listener and its default action forwards to one of the App's target groups, the
     * default becomes the "no live version" 503 first, or those groups could never be deleted.
     * Nothing without our ownership tags is touched.
     */
    List<Action> tearDown() {
        List<Action> out = new ArrayList<>();
        if (listener == null) {
            return out; // no listener, no rules on it
        }
        if (app.spec().router().ownsListener() && idx.listenerDefaultForwardsToUs()) {
            // Only an App that owns the listener sets its default; anyone else's default is never touched.
            RouteDecision noLive = RoutingTable.noLiveResponse(app.name());
            out.add(new Action.SetDefaultAction(app.name(), listener.arn(), toAlb(noLive, Map.of())));
        }
        List<Map.Entry<RuleRole, List<ObservedRule>>> byRole = new ArrayList<>(idx.ownedRulesByRole.entrySet());
        byRole.sort(java.util.Comparator.comparing((Map.Entry<RuleRole, List<ObservedRule>> e) -> teardownRank(e.getKey().kind())));
        for (Map.Entry<RuleRole, List<ObservedRule>> e : byRole) {
            for (ObservedRule r : e.getValue()) {
                out.add(new Action.DeleteRule(app.name(), e.getKey().version(), r.arn()));
            }
        }
        for (ObservedRule r : idx.unreadableOwnedRules) {
            out.add(new Action.DeleteRule(app.name(), null, r.arn()));
        }
        return out;
    }

    private static int teardownRank(RuleRole.Kind kind) {
        return switch (kind) {
            case PIN, STANDBY -> 0;
            case NAVIGATE -> 1;
            case EXPIRED -> 2;
            case UNPINNED -> 3;
        };
    }

    private static RenderedRule standbyRule(VersionKey key, RoutingTable table) {
        List<RuleCondition> conditions = new ArrayList<>(AlbRuleRenderer.scoping(table));
        conditions.add(new RuleCondition.HttpHeader(STANDBY_HEADER,
                List.of(ResourceNames.shortHash("standby/" + key, 32))));
        return new RenderedRule(RuleRole.standby(key.version()), conditions, RouteDecision.Forward.to(key.version()));
    }

    private Map<String, String> ruleTags(RuleRole role) {
        Map<String, String> tags = new LinkedHashMap<>(role.version() == null
                ? OwnershipTags.forApp(owner, app.name())
                : OwnershipTags.forVersion(owner, new VersionKey(app.name(), role.version())));
        tags.put(OwnershipTags.RULE_ROLE, role.tagValue());
        return tags;
    }

    private static AlbAction toAlb(RouteDecision decision, Map<String, String> tgArn) {
        return switch (decision) {
            case RouteDecision.Forward f -> new AlbAction.Forward(f.targets().stream()
                    .map(t -> new AlbAction.TargetGroupWeight(tgArn.get(t.version()), t.weight())).toList());
            case RouteDecision.Respond r -> new AlbAction.FixedResponse(r.status(), r.contentType(), r.body());
            case RouteDecision.NotMatched n -> throw new IllegalStateException("a rendered rule never passes a request on");
        };
    }
}
