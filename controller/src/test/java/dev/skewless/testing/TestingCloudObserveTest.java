package dev.skewless.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.router.TrafficRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestingCloudObserveTest extends TestingCloudCase {
    @Test
    void listsAllRulesOfTheListenerWithTagsAndOnlyTheAppsTargetGroups() {
        String foreign = cloud.addForeignRule(LISTENER, 5, rule("x", NOT_FOUND_404), Map.of("elbv2.k8s.aws/cluster", "eks"));
        String ours = router.createRule(LISTENER, 100, rule("v1", NOT_FOUND_404), ours(V1));
        cloud.addForeignRule(OTHER_LISTENER, 5, rule("y", NOT_FOUND_404), Map.of());
        String tg = targetGroup(V1);
        router.createTargetGroup(tgSpec(new VersionKey("other", "v1")));
        cloud.addForeignTargetGroup("someone-elses", 80, Map.of());

        TrafficRouter.Observation seen = router.observe(app("shop"));

        assertThat(seen.listener().rules()).extracting(ObservedRule::arn).containsExactly(foreign, ours);
        assertThat(seen.listener().rules().getFirst().tags()).containsEntry("elbv2.k8s.aws/cluster", "eks");
        assertThat(seen.listener().defaultAction()).isEqualTo(NOT_FOUND_404);
        assertThat(seen.listener().loadBalancerRuleCount()).isEqualTo(3);
        assertThat(seen.targetGroups()).extracting(ObservedTargetGroup::arn).containsExactly(tg);
    }

    @Test
    void aMissingListenerIsNull() {
        App elsewhere = new App(ObjectMeta.ofApp("shop"), new AppSpec(app("shop").spec().platform(),
                new RouterSpec("arn:missing", new PriorityRange(1, 10), List.of("/x"), List.of(), null, false, null),
                null, null, null, null), null);
        assertThat(router.observe(elsewhere).listener()).isNull();
    }

    @Test
    void lastRequestAtIsTheRecordedRequestElseTheGroupsCreationTime() {
        targetGroup(V1);
        clock.advance(Duration.ofMinutes(1));
        targetGroup(V2);
        cloud.recordRequest(V1, clock.instant().plusSeconds(30));
        cloud.recordRequest(V1, clock.instant());

        assertThat(router.observe(app("shop")).lastRequestAt()).containsExactlyInAnyOrderEntriesOf(Map.of(
                V1, clock.instant().plusSeconds(30),
                V2, clock.instant()));
    }

    @Test
    void targetCountsFollowTheRunningTasksOfActiveServices() {
        String tg = targetGroup(V1);
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String svc = compute.createService(serviceSpec(V1, td, tg, 2));
        assertThat(router.observe(app("shop")).targetGroups().getFirst().healthyTargets()).isZero();

        clock.advance(Duration.ofSeconds(30));
        ObservedTargetGroup listed = router.observe(app("shop")).targetGroups().getFirst();
        assertThat(listed.registeredTargets()).isEqualTo(2);
        assertThat(listed.healthyTargets()).isEqualTo(2);

        compute.scaleService(CLUSTER, svc, 0);
        clock.advance(Duration.ofSeconds(30));
        compute.deleteService(CLUSTER, svc);
        assertThat(router.observe(app("shop")).targetGroups().getFirst().registeredTargets()).isZero();
    }

    @Test
    void listLagHidesNewResourcesForNObserveCalls() {
        cloud.listLag(2).ruleListLag(2);
        String tg = targetGroup(V1);
        router.createRule(LISTENER, 10, rule("v1", AlbAction.Forward.to(tg)), ours(V1));
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));

        assertThat(router.observe(app("shop")).targetGroups()).isEmpty();
        assertThat(router.observe(app("shop")).listener().rules()).isEmpty();
        assertThat(router.observe(app("shop")).targetGroups()).hasSize(1);
        assertThat(router.observe(app("shop")).listener().rules()).hasSize(1);

        assertThat(compute.observe(app("shop")).taskDefinitions()).isEmpty();
        assertThat(compute.observe(app("shop")).taskDefinitions()).isEmpty();
        assertThat(compute.observe(app("shop")).taskDefinitions()).extracting(t -> t.arn()).containsExactly(td);
        assertThat(cloud.resources().targetGroups()).as("resources() ignores lag").hasSize(1);
    }

    @Test
    void rulesAreReadAfterWriteConsistentUnlessToldOtherwise() {
        cloud.listLag(2);
        String tg = targetGroup(V1);
        router.createRule(LISTENER, 10, rule("v1", AlbAction.Forward.to(tg)), ours(V1));
        assertThat(router.observe(app("shop")).listener().rules()).hasSize(1);
        assertThat(router.observe(app("shop")).targetGroups()).isEmpty();
    }
}
