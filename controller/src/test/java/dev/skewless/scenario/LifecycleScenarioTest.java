package dev.skewless.scenario;

import static dev.skewless.testing.SkewlessSimulation.navigation;
import static dev.skewless.testing.SkewlessSimulation.pinned;
import static dev.skewless.testing.SkewlessSimulation.pinnedByQuery;
import static dev.skewless.testing.SkewlessSimulation.unpinned;
import static dev.skewless.testing.SkewlessSimulation.version;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.AppSpec;
import dev.skewless.model.Condition;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.routing.RouteDecision;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.testing.SkewlessSimulation;
import dev.skewless.testing.TestingCloud;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One App walked through its life against in-memory AWS: release, promotion, pinned traffic kept
 * on the old version until its retention ends, drain and deletion; rollback, revoke, canary,
 * capacity and failure. Requests are sent through a model of the ALB built from the rules that
 * exist after each step.
 */
class LifecycleScenarioTest {
    private static final String APP = "shop";
    private SkewlessSimulation sim;

    @BeforeEach
    void setUp() {
        sim = new SkewlessSimulation(7);
        sim.apply(SkewlessSimulation.app(APP, 1000));
    }

    private void releaseV1AndV2() {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        sim.apply(version(APP, "v2"));
        sim.converge(APP);
    }

    @Test
    void oldTabsKeepTheirVersionUntilItExpiresThenItIsDrainedAndDeleted() throws Exception {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        assertThat(sim.target(unpinned())).isEqualTo("v1");
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");

        sim.apply(version(APP, "v2"));
        sim.converge(APP);
        var v1 = sim.get(APP, "v1").status();
        assertThat(sim.phase(APP, "v2")).isEqualTo(Phase.Live);
        assertThat(v1.phase()).isEqualTo(Phase.Superseded);
        assertThat(v1.supersededAt()).isNotNull();
        assertThat(v1.expiresAt()).isEqualTo(v1.supersededAt().plus(Duration.ofHours(1)));
        // New tabs get v2; old tabs stay on v1 by header and by query; page loads always get live.
        assertThat(sim.target(unpinned())).isEqualTo("v2");
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");
        assertThat(sim.target(pinnedByQuery("v1"))).isEqualTo("v1");
        assertThat(sim.target(navigation("v1"))).isEqualTo("v2");
        // Superseded versions shrink to retainedDesiredCount.
        var v1Service = sim.cloud.resources().ofVersion(new VersionKey(APP, "v1")).services().getFirst();
        assertThat(v1Service.desiredCount()).isEqualTo(1);

        sim.after(Duration.ofMinutes(50), APP);
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");

        sim.after(Duration.ofMinutes(11), APP);
        var retired = sim.get(APP, "v1").status();
        assertThat(retired.phase()).isEqualTo(Phase.Retired);
        assertThat(retired.expiryReason()).isEqualTo("Retention");
        assertThat(sim.cloud.resources().ofVersion(new VersionKey(APP, "v1")).isEmpty()).isTrue();
        // The old tab is told to reload, with the live version named.
        var expired = (RouteDecision.Respond) sim.route(pinned("v1"));
        assertThat(expired.status()).isEqualTo(410);
        assertThat(new ObjectMapper().readTree(expired.body()).get("live").asText()).isEqualTo("v2");

        assertEveryResourceCarriesOwnershipTags();
    }

    @Test
    void aVersionIsNeverRoutedBeforeItIsHealthy() {
        sim.apply(version(APP, "v1"));
        for (int i = 0; i < 40 && sim.phase(APP, "v1") != Phase.Live; i++) {
            sim.pass(APP);
            var v1 = sim.cloud.resources().ofVersion(new VersionKey(APP, "v1"));
            boolean healthy = !v1.targetGroups().isEmpty() && v1.targetGroups().getFirst().healthyTargets() >= 2;
            if (!healthy) {
                assertThat(sim.target(pinned("v1"))).isNotEqualTo("v1");
                assertThat(sim.target(unpinned())).isNotEqualTo("v1");
            }
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        // Before anything was live the listener answered 503; the standby rule is gone again.
        assertThat(sim.cloud.resources().ofApp(APP).rules())
                .noneMatch(r -> r.tags().get(OwnershipTags.RULE_ROLE).startsWith("standby."));
    }

    @Test
    void rollbackPromotesTheRetainedVersionOnceItIsBackToFullSize() {
        releaseV1AndV2();
        sim.promote(APP, "v1");
        sim.pass(APP);
        // Still scaling v1 back up: v2 stays live meanwhile.
        assertThat(sim.target(unpinned())).isEqualTo("v2");
        assertThat(Conditions.find(sim.store.getApp(APP).orElseThrow().status().conditions(), Condition.RELEASED)
                .orElseThrow().reason()).isEqualTo("VersionNotReady");
        sim.converge(APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        assertThat(sim.phase(APP, "v2")).isEqualTo(Phase.Superseded);
        assertThat(sim.get(APP, "v1").status().supersededAt()).isNull();
        assertThat(sim.target(unpinned())).isEqualTo("v1");
        assertThat(sim.target(pinned("v2"))).isEqualTo("v2");
    }

    @Test
    void revokingTakesAVersionOutAtOnceWhateverItsRetention() {
        releaseV1AndV2();
        sim.revoke(APP, "v1");
        sim.pass(APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Draining);
        assertThat(sim.target(pinned("v1"))).isEqualTo("410");
        sim.converge(APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Retired);
        assertThat(sim.get(APP, "v1").status().expiryReason()).isEqualTo("Revoked");
        assertThat(sim.cloud.resources().ofVersion(new VersionKey(APP, "v1")).isEmpty()).isTrue();
    }

    @Test
    void revokingTheLiveVersionFallsBackToTheNewestRemainingOne() {
        releaseV1AndV2();
        sim.promote(APP, "v2");
        sim.converge(APP);
        sim.revoke(APP, "v2");
        sim.converge(APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        assertThat(sim.target(unpinned())).isEqualTo("v1");
        var released = Conditions.find(sim.store.getApp(APP).orElseThrow().status().conditions(), Condition.RELEASED).orElseThrow();
        assertThat(released.status()).hasToString("False");
        assertThat(released.message()).contains("v2").contains("revoked");
    }

    @Test
    void aCanarySharesUnpinnedTrafficButNeverPageLoads() {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        sim.editApp(APP, s -> withRelease(s, new ReleaseSpec("v1", new ReleaseSpec.Canary("v2", 20))));
        sim.apply(version(APP, "v2"));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        assertThat(sim.phase(APP, "v2")).isEqualTo(Phase.Ready);
        assertThat(sim.route(unpinned())).isEqualTo(new RouteDecision.Forward(List.of(
                new RouteDecision.WeightedVersion("v1", 80), new RouteDecision.WeightedVersion("v2", 20))));
        assertThat(sim.target(navigation("v2"))).isEqualTo("v1");
        assertThat(sim.target(pinned("v2"))).isEqualTo("v2");
        assertThat(sim.store.getApp(APP).orElseThrow().status().canaryWeight()).isEqualTo(20);

        sim.editApp(APP, s -> withRelease(s, new ReleaseSpec("v2", null)));
        sim.converge(APP);
        assertThat(sim.target(unpinned())).isEqualTo("v2");
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Superseded);
    }

    @Test
    void maxVersionsMakesTheNewestWaitUntilTheOldestIsPastItsMinimumRetention() {
        sim.editApp(APP, s -> new AppSpec(s.platform(), s.router(), s.routing(),
                new RetentionSpec(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofHours(2), null, 2), s.release(), s.local()));
        releaseV1AndV2();
        sim.apply(version(APP, "v3"));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v3")).isEqualTo(Phase.Pending);
        var capacity = Conditions.find(sim.get(APP, "v3").status().conditions(), Condition.CAPACITY).orElseThrow();
        assertThat(capacity.reason()).isEqualTo("MaxVersionsReached");
        assertThat(capacity.message()).contains("2 versions");
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");

        sim.after(Duration.ofMinutes(10), APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Retired);
        assertThat(sim.get(APP, "v1").status().expiryReason()).isEqualTo("MaxVersions");
        assertThat(sim.phase(APP, "v3")).isEqualTo(Phase.Live);
        assertThat(Conditions.find(sim.get(APP, "v3").status().conditions(), Condition.CAPACITY)).isEmpty();
    }

    @Test
    void aPriorityRangeTooSmallForAnotherVersionIsACapacityConditionNotALoop() {
        // nav + 2 catch-alls + unpinned + 2 pins per version: 8 slots hold two versions, not three.
        sim.editApp(APP, s -> new AppSpec(s.platform(), new dev.skewless.model.RouterSpec(s.router().listenerArn(),
                new dev.skewless.model.PriorityRange(1000, 1007), s.router().pathPatterns(), s.router().hostHeaders(),
                s.router().deregistrationDelay(), false, null), s.routing(), s.retention(), s.release(), s.local()));
        releaseV1AndV2();
        int callsBefore = sim.cloud.mutatingCalls();
        sim.apply(version(APP, "v3"));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v3")).isEqualTo(Phase.Pending);
        assertThat(Conditions.find(sim.get(APP, "v3").status().conditions(), Condition.CAPACITY).orElseThrow().reason())
                .isEqualTo("PriorityRangeFull");
        assertThat(sim.cloud.mutatingCalls()).isEqualTo(callsBefore);
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");
    }

    @Test
    void anIdleSupersededVersionExpiresEarlyButNotBeforeItsMinimum() {
        sim.editApp(APP, s -> new AppSpec(s.platform(), s.router(), s.routing(),
                new RetentionSpec(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(20), 10),
                s.release(), s.local()));
        releaseV1AndV2();
        var supersededAt = sim.get(APP, "v1").status().supersededAt();
        sim.cloud.recordRequest(new VersionKey(APP, "v1"), supersededAt.plus(Duration.ofMinutes(5)));
        sim.clock.set(supersededAt.plus(Duration.ofMinutes(15)));
        sim.converge(APP);
        assertThat(sim.target(pinned("v1"))).as("a request 10 minutes ago keeps it").isEqualTo("v1");

        sim.clock.set(supersededAt.plus(Duration.ofMinutes(26)));
        sim.converge(APP);
        var v1 = sim.get(APP, "v1").status();
        assertThat(v1.phase()).isEqualTo(Phase.Retired);
        assertThat(v1.expiryReason()).isEqualTo("Idle");
        assertThat(v1.expiresAt()).isEqualTo(supersededAt.plus(Duration.ofMinutes(25)));
    }

    @Test
    void theLoadBalancersRuleQuotaIsACapacityConditionToo() {
        // 92 rules of other teams on the load balancer leave room for 8 of ours: two versions.
        for (int i = 0; i < 92; i++) {
            sim.cloud.addForeignRule(SkewlessSimulation.LISTENER, 2000 + i,
                    new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/team" + i + "/*"))),
                            new dev.skewless.plan.action.AlbAction.FixedResponse(404, "text/plain", "")), Map.of("team", "t" + i));
        }
        releaseV1AndV2();
        sim.apply(version(APP, "v3"));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v3")).isEqualTo(Phase.Pending);
        var capacity = Conditions.find(sim.get(APP, "v3").status().conditions(), Condition.CAPACITY).orElseThrow();
        assertThat(capacity.reason()).isEqualTo("RuleQuota");
        assertThat(capacity.message()).contains("quota 100");
        var appCapacity = Conditions.find(sim.store.getApp(APP).orElseThrow().status().conditions(), Condition.CAPACITY).orElseThrow();
        assertThat(appCapacity.status()).hasToString("False");
        assertThat(sim.cloud.foreignMutations("skewless")).isEmpty();
    }

    @Test
    void aFailedDeploymentIsTerminalUntilTheSpecChanges() {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        var bad = version(APP, "v2");
        sim.cloud.failImage(bad.spec().image());
        sim.apply(bad);
        sim.converge(APP);
        var failed = sim.get(APP, "v2").status();
        assertThat(failed.phase()).isEqualTo(Phase.Failed);
        assertThat(Conditions.find(failed.conditions(), Condition.TERMINAL).orElseThrow().reason()).isEqualTo("DeploymentFailed");
        assertThat(sim.target(unpinned())).isEqualTo("v1");

        sim.editVersion(APP, "v2", s -> new dev.skewless.model.AppVersionSpec(s.image() + "-fixed", s.cpu(), s.memory(),
                s.desiredCount(), s.containerPort(), s.env(), s.secrets(), s.healthCheck(), s.retention(), false));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v2")).isEqualTo(Phase.Live);
        assertThat(sim.target(unpinned())).isEqualTo("v2");
    }

    @Test
    void aRuleDeletedByHandComesBackAndForeignRulesAreLeftAlone() {
        String foreign = sim.cloud.addForeignRule(SkewlessSimulation.LISTENER, 1050,
                new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/admin/*"))),
                        new dev.skewless.plan.action.AlbAction.FixedResponse(403, "text/plain", "no")),
                Map.of("team", "platform"));
        releaseV1AndV2();
        var pinRule = sim.cloud.resources().ofVersion(new VersionKey(APP, "v1")).rules().getFirst();
        sim.cloud.deleteRuleOutOfBand(pinRule.arn());
        assertThat(sim.target(pinned("v1"))).isEqualTo("410");
        sim.pass(APP);
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");
        assertThat(sim.cloud.resources().rules()).anyMatch(r -> r.arn().equals(foreign) && r.priority() == 1050);
        assertThat(sim.cloud.foreignMutations("skewless")).isEmpty();
    }

    private static AppSpec withRelease(AppSpec s, ReleaseSpec release) {
        return new AppSpec(s.platform(), s.router(), s.routing(), s.retention(), release, s.local());
    }

    private void assertEveryResourceCarriesOwnershipTags() {
        for (TestingCloud.Mutation m : sim.cloud.journal()) {
            assertThat(m.tags()).as("%s on %s", m.operation(), m.resourceArn())
                    .containsEntry(OwnershipTags.MANAGED_BY, "skewless").containsEntry(OwnershipTags.APP, APP);
        }
        var resources = sim.cloud.resources().ofApp(APP);
        resources.targetGroups().forEach(t -> assertThat(t.tags()).containsKeys(OwnershipTags.MANAGED_BY, OwnershipTags.APP, OwnershipTags.VERSION));
        resources.services().forEach(t -> assertThat(t.tags()).containsKeys(OwnershipTags.MANAGED_BY, OwnershipTags.APP, OwnershipTags.VERSION));
        resources.taskDefinitions().forEach(t -> assertThat(t.tags()).containsKeys(OwnershipTags.MANAGED_BY, OwnershipTags.APP, OwnershipTags.VERSION));
    }
}
