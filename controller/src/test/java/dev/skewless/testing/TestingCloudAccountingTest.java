package dev.skewless.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.testing.TestingCloud.CallOutcome;
import dev.skewless.testing.TestingCloud.Operation;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestingCloudAccountingTest extends TestingCloudCase {
    @Test
    void everyCallIsCountedByOperationAndOutcome() {
        router.observe(app("shop"));
        String tg = targetGroup(V1);
        router.createRule(LISTENER, 10, rule("v1", AlbAction.Forward.to(tg)), ours(V1));
        assertFails(() -> router.createRule(LISTENER, 10, rule("v1", NOT_FOUND_404), ours(V1)), Kind.CONFLICT, "PriorityInUse");

        assertThat(cloud.calls(Operation.CREATE_RULE)).isEqualTo(2);
        assertThat(cloud.calls(Operation.CREATE_RULE, CallOutcome.CONFLICT)).isEqualTo(1);
        assertThat(cloud.describeCalls()).isEqualTo(1);
        assertThat(cloud.mutatingCalls()).isEqualTo(3);
        assertThat(cloud.callCounts()).containsKeys(Operation.OBSERVE_ROUTER, Operation.CREATE_TARGET_GROUP, Operation.CREATE_RULE);
    }

    @Test
    void theJournalShowsWhenAForeignResourceWasTouched() {
        String foreign = cloud.addForeignRule(LISTENER, 5, rule("x", NOT_FOUND_404), Map.of("team", "payments"));
        String ours = router.createRule(LISTENER, 10, rule("v1", NOT_FOUND_404), ours(V1));
        router.setRulePriorities(LISTENER, Map.of(ours, 11));
        assertThat(cloud.foreignMutations(OWNER)).isEmpty();

        router.modifyRule(foreign, rule("y", NOT_FOUND_404));
        router.deleteRule(foreign);

        assertThat(cloud.foreignMutations(OWNER)).extracting(TestingCloud.Mutation::operation, TestingCloud.Mutation::resourceArn)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Operation.MODIFY_RULE, foreign),
                        org.assertj.core.groups.Tuple.tuple(Operation.DELETE_RULE, foreign));
        assertThat(cloud.journal()).extracting(TestingCloud.Mutation::sequence).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void resourcesFilterByAppAndVersion() {
        targetGroup(V1);
        targetGroup(V2);
        String td = compute.registerTaskDefinition(tdSpec(V1, "img", 256, 512));
        Map<String, String> tags = new HashMap<>(ours(V1));
        router.createRule(LISTENER, 10, rule("v1", NOT_FOUND_404), tags);
        compute.createService(serviceSpec(V1, td, null, 0));

        TestingCloud.Resources v1 = cloud.resources().ofVersion(V1);
        assertThat(v1.targetGroups()).hasSize(1);
        assertThat(v1.rules()).hasSize(1);
        assertThat(v1.services()).hasSize(1);
        assertThat(v1.taskDefinitions()).hasSize(1);
        assertThat(cloud.resources().ofApp("other").isEmpty()).isTrue();
    }
}
