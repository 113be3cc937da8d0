package dev.skewless.router;

import dev.skewless.model.App;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.observed.ObservedListener;
import dev.skewless.plan.observed.ObservedTargetGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sends requests to versions: a target group per version and rules on the App's listener.
 *
 * <p>Providers carry out exactly what they are told and decide nothing; every failure is an
 * {@link ActionException}. They must never be asked to touch a rule or target group without
 * skewless ownership tags; the planner guarantees that, and implementations may check it again.
 */
public interface TrafficRouter {

    /** The App's listener (all rules, foreign included, one listing), its target groups and traffic. */
    Observation observe(App app);

    /** Creates a target group; returns its ARN. */
    String createTargetGroup(TargetGroupSpec spec);

    /** Updates a target group's health check and deregistration delay. */
    void updateTargetGroup(String targetGroupArn, TargetGroupSpec spec);

    /** Deletes a target group. Fails with CONFLICT while a rule or action uses it. */
    void deleteTargetGroup(String targetGroupArn);

    /** Creates a rule; returns its ARN. Fails with CONFLICT if the priority is taken. */
    String createRule(String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags);

    /** Replaces a rule's conditions and actions. */
    void modifyRule(String ruleArn, ListenerRuleSpec spec);

    /** Moves several rules at once; the result must have unique priorities on the listener. */
    void setRulePriorities(String listenerArn, Map<String, Integer> priorityByRuleArn);

    /** Deletes a rule. Deleting one that is gone is not an error. */
    void deleteRule(String ruleArn);

    /** Replaces the listener's default action. */
    void setDefaultAction(String listenerArn, AlbAction action);

    /**
     * What {@link #observe} saw.
     *
     * @param listener      the listener, or null if it does not exist
     * @param targetGroups  target groups tagged for the App
     * @param lastRequestAt per version, the latest request seen (absent when unknown)
     */
    record Observation(ObservedListener listener, List<ObservedTargetGroup> targetGroups,
            Map<VersionKey, Instant> lastRequestAt) {
        public Observation {
            targetGroups = List.copyOf(targetGroups);
            lastRequestAt = Map.copyOf(lastRequestAt);
        }
    }
}
