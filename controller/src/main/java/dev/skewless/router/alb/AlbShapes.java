package dev.skewless.router.alb;

import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.routing.RuleCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.FixedResponseActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringKeyValuePair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Translates between the planner's rule shapes ({@link RuleCondition}, {@link AlbAction}) and
 * ELBv2's, in both directions, so that a rule read back equals the spec it was created from: that
 * equality is what lets a steady-state pass issue no mutation.
 *
 * <p>Foreign rules may use what skewless never writes (redirects, authentication, source-ip or
 * method conditions). Their conditions of unknown kinds are left out and their action becomes a
 * {@link AlbAction.FixedResponse} with status 0 naming the action type: the planner only needs
 * their priorities, and never compares or rewrites them.
 */
final class AlbShapes {
    /** The status of the stand-in for actions skewless does not model. */
    static final int UNMODELLED_ACTION = 0;

    private AlbShapes() {}

    // ---- to ELBv2 ----

    static List<software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition> conditions(List<RuleCondition> conditions) {
        return conditions.stream().map(AlbShapes::condition).toList();
    }

    private static software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition condition(RuleCondition c) {
        var b = software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition.builder();
        return switch (c) {
            case RuleCondition.PathPattern p -> b.field("path-pattern").pathPatternConfig(x -> x.values(p.values())).build();
            case RuleCondition.HostHeader h -> b.field("host-header").hostHeaderConfig(x -> x.values(h.values())).build();
            case RuleCondition.HttpHeader h -> b.field("http-header")
                    .httpHeaderConfig(x -> x.httpHeaderName(h.name()).values(h.values())).build();
            case RuleCondition.QueryString q -> b.field("query-string").queryStringConfig(x -> x.values(q.values().stream()
                    .map(kv -> QueryStringKeyValuePair.builder().key(kv.key()).value(kv.value()).build()).toList())).build();
        };
    }

    static Action action(AlbAction action) {
        return switch (action) {
            // Always a ForwardConfig, even for one group: ALB reports weights only there, and
            // stickiness off keeps a weighted canary a per-request split.
            case AlbAction.Forward f -> Action.builder().type(ActionTypeEnum.FORWARD).forwardConfig(ForwardActionConfig.builder()
                    .targetGroups(f.targetGroups().stream().map(g -> TargetGroupTuple.builder().targetGroupArn(g.targetGroupArn())
                            .weight(g.weight()).build()).toList())
                    .targetGroupStickinessConfig(s -> s.enabled(false)).build()).build();
            case AlbAction.FixedResponse r -> Action.builder().type(ActionTypeEnum.FIXED_RESPONSE)
                    .fixedResponseConfig(FixedResponseActionConfig.builder().statusCode(Integer.toString(r.statusCode()))
                            .contentType(r.contentType()).messageBody(r.body()).build()).build();
        };
    }

    static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    // ---- from ELBv2 ----

    static ListenerRuleSpec spec(Rule rule) {
        List<RuleCondition> conditions = new ArrayList<>();
        for (var c : rule.conditions()) {
            RuleCondition mapped = condition(c);
            if (mapped != null) {
                conditions.add(mapped);
            }
        }
        return new ListenerRuleSpec(conditions, action(rule.actions()));
    }

    private static RuleCondition condition(software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition c) {
        // Older rules carry values in the legacy Values field instead of the per-kind config.
        return switch (c.field() == null ? "" : c.field()) {
            case "path-pattern" -> new RuleCondition.PathPattern(
                    c.pathPatternConfig() != null && c.pathPatternConfig().hasValues() ? c.pathPatternConfig().values() : c.values());
            case "host-header" -> new RuleCondition.HostHeader(
                    c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues() ? c.hostHeaderConfig().values() : c.values());
            case "http-header" -> c.httpHeaderConfig() == null ? null
                    : new RuleCondition.HttpHeader(c.httpHeaderConfig().httpHeaderName(), c.httpHeaderConfig().values());
            case "query-string" -> c.queryStringConfig() == null ? null : new RuleCondition.QueryString(c.queryStringConfig().values()
                    .stream().map(kv -> new RuleCondition.KeyValue(kv.key(), kv.value())).toList());
            default -> null;
        };
    }

    /** The rule's terminal action (the last one; authentication actions come before it). */
    static AlbAction action(List<Action> actions) {
        if (actions.isEmpty()) {
            return new AlbAction.FixedResponse(UNMODELLED_ACTION, "none", null);
        }
        Action a = actions.stream().max((x, y) -> Integer.compare(order(x), order(y))).orElseThrow();
        String type = a.typeAsString();
        if ("forward".equals(type)) {
            if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
                return new AlbAction.Forward(a.forwardConfig().targetGroups().stream()
                        .map(t -> new AlbAction.TargetGroupWeight(t.targetGroupArn(), t.weight() == null ? 1 : t.weight())).toList());
            }
            return AlbAction.Forward.to(a.targetGroupArn());
        }
        if ("fixed-response".equals(type) && a.fixedResponseConfig() != null) {
            FixedResponseActionConfig f = a.fixedResponseConfig();
            return new AlbAction.FixedResponse(Integer.parseInt(f.statusCode()), f.contentType(), f.messageBody());
        }
        return new AlbAction.FixedResponse(UNMODELLED_ACTION, type, null);
    }

    private static int order(Action a) {
        return a.order() == null ? Integer.MAX_VALUE : a.order();
    }
}
