package dev.skewless.plan;

import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedState;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.observed.ObservedTaskDefinition;
import dev.skewless.plan.routing.RuleRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The observed state of one App, indexed by version and split into ours and foreign. Only
 * resources carrying our ownership tags for this App are ever indexed as ours; everything else is
 * foreign and only constrains us (occupied priorities, quotas).
 */
final class ObservedIndex {
    /** Our rules by role; a role may (after a crash and a lost listing) appear twice. */
    final Map<RuleRole, List<ObservedRule>> ownedRulesByRole = new TreeMap<>(Comparator.comparing(RuleRole::tagValue));
    /** Rules tagged as ours whose role tag we cannot read: ours to delete. */
    final List<ObservedRule> unreadableOwnedRules = new ArrayList<>();
    /** Priorities held by rules that are not ours (any App, any tool). */
    final TreeSet<Integer> foreignPriorities = new TreeSet<>();
    final Map<String, ObservedTargetGroup> targetGroupByVersion = new TreeMap<>();
    final List<ObservedTargetGroup> extraTargetGroups = new ArrayList<>();
    final Map<String, ObservedService> serviceByVersion = new TreeMap<>();
    final Map<String, List<ObservedTaskDefinition>> taskDefinitionsByVersion = new TreeMap<>();
    final Map<String, ObservedTaskDefinition> taskDefinitionByArn = new TreeMap<>();
    private final Map<String, List<ObservedRule>> pinRulesByVersion = new TreeMap<>();
    /** Target groups some rule or the listener default forwards to (any weight, anyone's rule). */
    private final java.util.Set<String> forwardedTargetGroups = new java.util.HashSet<>();
    /** Target groups a rule we do not own forwards to. */
    private final java.util.Set<String> foreignForwardedTargetGroups = new java.util.HashSet<>();
    /** Target groups the listener's default action forwards to. */
    private final java.util.Set<String> defaultForwardedTargetGroups = new java.util.HashSet<>();
    final int ownedRuleCount;

    ObservedIndex(String app, String owner, ObservedState observed, java.util.function.Function<String, String> expectedTargetGroupName) {
        int owned = 0;
        if (observed.listener() != null) {
            for (ObservedRule rule : observed.listener().rules()) {
                if (OwnershipTags.ownedBy(rule.tags(), owner, app)) {
                    owned++;
                    Optional<RuleRole> role = RuleRole.parse(rule.tags().get(OwnershipTags.RULE_ROLE));
                    if (role.isPresent()) {
                        ownedRulesByRole.computeIfAbsent(role.get(), r -> new ArrayList<>()).add(rule);
                    } else {
                        unreadableOwnedRules.add(rule);
                    }
                } else {
                    foreignPriorities.add(rule.priority());
                }
            }
        }
        ownedRulesByRole.values().forEach(l -> l.sort(Comparator.comparingInt(ObservedRule::priority)));
        if (observed.listener() != null) {
            observed.listener().rules().forEach(r -> addForwards(r.spec().action(), forwardedTargetGroups));
            addForwards(observed.listener().defaultAction(), forwardedTargetGroups);
            observed.listener().rules().stream().filter(r -> !OwnershipTags.ownedBy(r.tags(), owner, app))
                    .forEach(r -> addForwards(r.spec().action(), foreignForwardedTargetGroups));
            addForwards(observed.listener().defaultAction(), defaultForwardedTargetGroups);
        }
        ownedRulesByRole.forEach((role, rules) -> {
            if (role.kind() == RuleRole.Kind.PIN) {
                pinRulesByVersion.computeIfAbsent(role.version(), v -> new ArrayList<>()).addAll(rules);
            }
        });
        ownedRuleCount = owned;

        for (ObservedTargetGroup tg : observed.targetGroups()) {
            if (!OwnershipTags.ownedBy(tg.tags(), owner, app) || !tg.tags().containsKey(OwnershipTags.VERSION)) {
                continue;
            }
            String version = tg.tags().get(OwnershipTags.VERSION);
            boolean canonical = tg.name().equals(expectedTargetGroupName.apply(version));
            if (canonical && !targetGroupByVersion.containsKey(version)) {
                targetGroupByVersion.put(version, tg);
            } else {
                extraTargetGroups.add(tg);
            }
        }
        for (ObservedService svc : observed.services()) {
            if (svc.status() == ObservedService.Status.INACTIVE
                    || !OwnershipTags.ownedBy(svc.tags(), owner, app) || !svc.tags().containsKey(OwnershipTags.VERSION)) {
                continue;
            }
            serviceByVersion.merge(svc.tags().get(OwnershipTags.VERSION), svc,
                    // An ACTIVE service wins over a DRAINING twin of the same name.
                    (a, b) -> a.status() == ObservedService.Status.ACTIVE ? a : b);
        }
        for (ObservedTaskDefinition td : observed.taskDefinitions()) {
            if (!OwnershipTags.ownedBy(td.tags(), owner, app) || !td.tags().containsKey(OwnershipTags.VERSION)) {
                continue;
            }
            taskDefinitionsByVersion.computeIfAbsent(td.tags().get(OwnershipTags.VERSION), v -> new ArrayList<>()).add(td);
            taskDefinitionByArn.put(td.arn(), td);
        }
    }

    /** The first (lowest priority) owned rule of a role. */
    Optional<ObservedRule> rule(RuleRole role) {
        List<ObservedRule> rules = ownedRulesByRole.get(role);
        return rules == null || rules.isEmpty() ? Optional.empty() : Optional.of(rules.getFirst());
    }

    private static void addForwards(AlbAction action, java.util.Set<String> into) {
        if (action instanceof AlbAction.Forward f) {
            f.targetGroups().forEach(t -> into.add(t.targetGroupArn()));
        }
    }

    /** Whether a rule we do not own forwards to {@code version}'s target group (we can never remove that). */
    boolean forwardedByForeignRule(String version) {
        ObservedTargetGroup tg = targetGroupByVersion.get(version);
        return tg != null && foreignForwardedTargetGroups.contains(tg.arn());
    }

    /** Whether the listener's default action forwards to {@code version}'s target group. */
    boolean forwardedByListenerDefault(String version) {
        ObservedTargetGroup tg = targetGroupByVersion.get(version);
        return tg != null && defaultForwardedTargetGroups.contains(tg.arn());
    }

    /** Whether the listener's default action forwards to any target group of this App. */
    boolean listenerDefaultForwardsToUs() {
        return targetGroupByVersion.values().stream().anyMatch(tg -> defaultForwardedTargetGroups.contains(tg.arn()))
                || extraTargetGroups.stream().anyMatch(tg -> defaultForwardedTargetGroups.contains(tg.arn()));
    }

    /** Whether anything tagged for this App is observed: a rule, or any version's resource. */
    boolean anythingOwned() {
        return ownedRuleCount > 0 || !versionsWithResources().isEmpty();
    }

    /** Whether any rule, or the listener default, still forwards to {@code version}'s target group. */
    boolean receivesTraffic(String version) {
        ObservedTargetGroup tg = targetGroupByVersion.get(version);
        return hasPinRule(version) || (tg != null && forwardedTargetGroups.contains(tg.arn()));
    }

    /** Whether any of our pin rules routes to {@code version}. */
    boolean hasPinRule(String version) {
        return pinRulesByVersion.containsKey(version);
    }

    /** Our pin rules for {@code version}. */
    List<ObservedRule> pinRules(String version) {
        return pinRulesByVersion.getOrDefault(version, List.of());
    }

    /**
     * The target group ARN a version's traffic goes to: the observed group, else the group its
     * existing pin rule forwards to (a listing can lag; never drop a live rule for that).
     */
    Optional<String> targetGroupArn(String version) {
        ObservedTargetGroup tg = targetGroupByVersion.get(version);
        if (tg != null) {
            return Optional.of(tg.arn());
        }
        for (ObservedRule rule : pinRules(version)) {
            if (rule.spec().action() instanceof AlbAction.Forward f && f.targetGroups().size() == 1) {
                return Optional.of(f.targetGroups().getFirst().targetGroupArn());
            }
        }
        return Optional.empty();
    }

    /** Every version that owns something observed. */
    TreeSet<String> versionsWithResources() {
        TreeSet<String> out = new TreeSet<>();
        out.addAll(targetGroupByVersion.keySet());
        out.addAll(serviceByVersion.keySet());
        out.addAll(taskDefinitionsByVersion.keySet());
        extraTargetGroups.forEach(tg -> out.add(tg.tags().get(OwnershipTags.VERSION)));
        ownedRulesByRole.keySet().stream().filter(r -> r.version() != null).forEach(r -> out.add(r.version()));
        return out;
    }
}
