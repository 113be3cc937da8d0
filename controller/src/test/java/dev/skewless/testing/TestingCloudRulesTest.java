package dev.skewless.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.VersionKey;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.routing.RuleCondition;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TestingCloudRulesTest extends TestingCloudCase {
    @Test
    void aTakenPriorityIsAConflict() {
        String tg = targetGroup(V1);
        router.createRule(LISTENER, 100, rule("v1", AlbAction.Forward.to(tg)), ours(V1));

        assertFails(() -> router.createRule(LISTENER, 100, rule("v2", AlbAction.Forward.to(tg)), ours(V2)),
                Kind.CONFLICT, "PriorityInUse");
        // Priorities are per listener.
        router.createRule(OTHER_LISTENER, 100, rule("v2", AlbAction.Forward.to(tg)), ours(V2));
    }

    @Test
    void prioritiesRunFrom1To50000() {
        assertFails(() -> router.createRule(LISTENER, 0, rule("v1", NOT_FOUND_404), ours(V1)), Kind.INVALID, "ValidationError");
        assertFails(() -> router.createRule(LISTENER, 50_001, rule("v1", NOT_FOUND_404), ours(V1)), Kind.INVALID,
                "ValidationError");
        router.createRule(LISTENER, 1, rule("v1", NOT_FOUND_404), ours(V1));
        router.createRule(LISTENER, 50_000, rule("v2", NOT_FOUND_404), ours(V2));
    }

    @Test
    void setRulePrioritiesIsAtomicAndMustEndUnique() {
        String a = router.createRule(LISTENER, 10, rule("a", NOT_FOUND_404), ours(V1));
        String b = router.createRule(LISTENER, 20, rule("b", NOT_FOUND_404), ours(V2));
        String foreign = cloud.addForeignRule(LISTENER, 30, rule("x", NOT_FOUND_404), Map.of("team", "other"));

        router.setRulePriorities(LISTENER, Map.of(a, 20, b, 10));
        assertThat(listedRules()).extracting(ObservedRule::arn).containsExactly(b, a, foreign);

        assertFails(() -> router.setRulePriorities(LISTENER, Map.of(a, 30, b, 11)), Kind.CONFLICT, "PriorityInUse");
        assertThat(listedRules()).as("nothing moved").extracting(ObservedRule::priority).containsExactly(10, 20, 30);

        assertFails(() -> router.setRulePriorities(LISTENER, Map.of(a, 50_001)), Kind.INVALID, "ValidationError");
        assertFails(() -> router.setRulePriorities(LISTENER, Map.of("arn:missing", 5)), Kind.NOT_FOUND, "RuleNotFound");
    }

    @Test
    void modifyingAMissingRuleIsNotFoundDeletingOneIsFine() {
        assertFails(() -> router.modifyRule("arn:missing", rule("v1", NOT_FOUND_404)), Kind.NOT_FOUND, "RuleNotFound");
        router.deleteRule("arn:missing");
        String r = router.createRule(LISTENER, 10, rule("a", NOT_FOUND_404), ours(V1));
        router.deleteRule(r);
        router.deleteRule(r);
        assertThat(listedRules()).isEmpty();
    }

    @Test
    void modifyRuleReplacesConditionsAndActionInPlace() {
        String tg = targetGroup(V1);
        String r = router.createRule(LISTENER, 10, rule("a", NOT_FOUND_404), ours(V1));
        router.modifyRule(r, rule("b", AlbAction.Forward.to(tg)));
        assertThat(listedRules()).singleElement().satisfies(o -> {
            assertThat(o.priority()).isEqualTo(10);
            assertThat(o.spec()).isEqualTo(rule("b", AlbAction.Forward.to(tg)));
        });
    }

    @Test
    void atMostFiveConditionValuesAndOnePathPatternPerRule() {
        ListenerRuleSpec six = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/a", "/b")),
                new RuleCondition.HttpHeader("h", List.of("1", "2", "3", "4"))), NOT_FOUND_404);
        assertFails(() -> router.createRule(LISTENER, 10, six, ours(V1)), Kind.INVALID, "ValidationError");

        ListenerRuleSpec five = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/a", "/b")),
                new RuleCondition.HttpHeader("h", List.of("1", "2", "3"))), NOT_FOUND_404);
        router.createRule(LISTENER, 10, five, ours(V1));

        ListenerRuleSpec twoPaths = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/a")),
                new RuleCondition.PathPattern(List.of("/b"))), NOT_FOUND_404);
        assertFails(() -> router.createRule(LISTENER, 11, twoPaths, ours(V1)), Kind.INVALID, "ValidationError");
        assertFails(() -> router.createRule(LISTENER, 11, new ListenerRuleSpec(List.of(), NOT_FOUND_404), ours(V1)),
                Kind.INVALID, "ValidationError");
    }

    @Test
    void atMostFiveWildcardsPerRule() {
        ListenerRuleSpec many = new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/*/*/*")),
                new RuleCondition.HttpHeader("h", List.of("*?*"))), NOT_FOUND_404);
        assertFails(() -> router.createRule(LISTENER, 10, many, ours(V1)), Kind.INVALID, "ValidationError");
    }

    @Test
    void aForwardTakesAtMostFiveExistingTargetGroups() {
        List<AlbAction.TargetGroupWeight> six = IntStream.range(0, 6)
                .mapToObj(i -> new AlbAction.TargetGroupWeight(targetGroup(new VersionKey("shop", "v" + i)), 1)).toList();
        assertFails(() -> router.createRule(LISTENER, 10, rule("a", new AlbAction.Forward(six)), ours(V1)),
                Kind.INVALID, "ValidationError");
        router.createRule(LISTENER, 10, rule("a", new AlbAction.Forward(six.subList(0, 5))), ours(V1));

        assertFails(() -> router.createRule(LISTENER, 11, rule("b", AlbAction.Forward.to("arn:missing")), ours(V1)),
                Kind.NOT_FOUND, "TargetGroupNotFound");
        assertFails(() -> router.setDefaultAction(LISTENER, AlbAction.Forward.to("arn:missing")),
                Kind.NOT_FOUND, "TargetGroupNotFound");
    }

    @Test
    void ruleQuotaCountsEveryListenerOfTheLoadBalancer() {
        cloud.rulesPerLoadBalancer(3);
        cloud.addForeignRule(OTHER_LISTENER, 1, rule("x", NOT_FOUND_404), Map.of());
        router.createRule(LISTENER, 10, rule("a", NOT_FOUND_404), ours(V1));
        router.createRule(OTHER_LISTENER, 10, rule("b", NOT_FOUND_404), ours(V1));

        assertFails(() -> router.createRule(LISTENER, 11, rule("c", NOT_FOUND_404), ours(V1)), Kind.QUOTA, "TooManyRules");
        assertThat(router.observe(app("shop")).listener().loadBalancerRuleCount()).isEqualTo(3);
    }

    @Test
    void targetGroupQuotaCountsGroupsUsedByRulesAndDefaultActions() {
        cloud.targetGroupsPerLoadBalancer(2);
        String tg1 = targetGroup(V1);
        String tg2 = targetGroup(V2);
        String tg3 = targetGroup(new VersionKey("shop", "v3"));
        router.setDefaultAction(OTHER_LISTENER, AlbAction.Forward.to(tg1));
        router.createRule(LISTENER, 10, rule("v2", AlbAction.Forward.to(tg2)), ours(V2));

        assertFails(() -> router.createRule(LISTENER, 11, rule("v3", AlbAction.Forward.to(tg3)), ours(V1)),
                Kind.QUOTA, "TooManyTargetGroups");
        router.createRule(LISTENER, 11, rule("again", AlbAction.Forward.to(tg1)), ours(V1));
        assertThat(router.observe(app("shop")).listener().loadBalancerTargetGroupCount()).isEqualTo(2);
    }
}
