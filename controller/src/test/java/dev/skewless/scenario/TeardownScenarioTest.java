package dev.skewless.scenario;

import static dev.skewless.testing.SkewlessSimulation.pinned;
import static dev.skewless.testing.SkewlessSimulation.pinnedByQuery;
import static dev.skewless.testing.SkewlessSimulation.unpinned;
import static dev.skewless.testing.SkewlessSimulation.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.PassResult;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.testing.SkewlessSimulation;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingCloud.Mutation;
import dev.skewless.testing.TestingCloud.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting records as Kubernetes does when the operator's finalizer holds them
 * ({@code metadata.deletionTimestamp} set, the record kept until released), against in-memory AWS:
 * an App deleted takes every AWS resource it owns with it, rules first, and says when nothing is
 * left; an AppVersion deleted drains exactly as a revoked one, while the others keep their pins.
 */
class TeardownScenarioTest {
    private static final String APP = "shop";
    private SkewlessSimulation sim;
    private String foreignRule;
    private String foreignTargetGroup;

    @BeforeEach
    void setUp() {
        sim = new SkewlessSimulation(11);
        foreignRule = sim.cloud.addForeignRule(SkewlessSimulation.LISTENER, 1042,
                new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/admin/*"))),
                        new AlbAction.FixedResponse(403, "text/plain", "admin")), Map.of("owner", "platform-team"));
        foreignTargetGroup = sim.cloud.addForeignTargetGroup("legacy-api", 8080, Map.of("owner", "platform-team"));
        sim.apply(SkewlessSimulation.app(APP, 1000));
    }

    /** v1 superseded, v2 live and autoscaled (a scalable target and a policy on its service). */
    private void releaseV1AndAutoscaledV2() {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        sim.apply(SkewlessSimulation.autoscaledVersion(APP, "v2"));
        sim.converge(APP);
        assertThat(sim.phases(APP)).isEqualTo(Map.of("v1", Phase.Superseded, "v2", Phase.Live));
        assertThat(sim.cloud.scalableTargets()).hasSize(1);
    }

    /**
     * Passes {@link SkewlessSimulation#STEP} apart until one reports the App's teardown complete;
     * {@code afterEach} checks every pass. Returns the passes.
     */
    private List<PassResult> untilTornDown(Consumer<PassResult> afterEach) {
        List<PassResult> passes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            PassResult r = sim.pass(APP);
            passes.add(r);
            afterEach.accept(r);
            if (r.teardownComplete()) {
                return passes;
            }
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        throw new AssertionError("teardown not complete after 60 passes; left: " + sim.cloud.resources().ofApp(APP));
    }

    private AppStatus appStatus() {
        return sim.store.getApp(APP).orElseThrow().status();
    }

    @Test
    void deletingTheAppRemovesItsRulesThenItsServicesThenTargetGroupsAndTaskDefinitionsAndSaysWhenNothingIsLeft() {
        releaseV1AndAutoscaledV2();
        int journalStart = sim.cloud.journal().size();
        String v2ResourceId = ScalableTargetSpec.resourceId(SkewlessSimulation.CLUSTER, ResourceNames.service(new VersionKey(APP, "v2")));

        sim.deleteApp(APP);
        PassResult first = sim.pass(APP);

        // The first pass deletes every rule the App owns and nothing else of it yet.
        assertThat(first.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(first.teardownComplete()).isFalse();
        assertThat(sim.cloud.resources().ofApp(APP).rules()).as("every rule of the App").isEmpty();
        assertThat(sim.cloud.resources().ofApp(APP).services()).hasSize(2).allMatch(s -> s.desiredCount() > 0);
        assertThat(sim.target(pinned("v1"))).as("the listener default answers: no rule of the App is left").isEqualTo("503");
        for (String v : List.of("v1", "v2")) {
            var status = sim.get(APP, v).status();
            assertThat(status.phase()).isEqualTo(Phase.Draining);
            assertThat(status.expiryReason()).isEqualTo("AppDeleted");
            assertThat(status.message()).startsWith("Draining (AppDeleted): the App is being deleted");
        }
        Condition tornDown = Conditions.find(appStatus().conditions(), Condition.TORN_DOWN).orElseThrow();
        assertThat(tornDown.status()).isEqualTo(ConditionStatus.False);
        assertThat(tornDown.message()).contains("v1: service, target group, task definitions");
        assertThat(appStatus().liveVersion()).isNull();
        assertThat(appStatus().message()).startsWith("Being deleted; left: ");

        // Complete only once nothing is left, and then only after the settle time.
        List<Instant> nothingLeftAt = new ArrayList<>();
        List<PassResult> rest = untilTornDown(r -> {
            boolean empty = sim.cloud.resources().ofApp(APP).isEmpty() && sim.cloud.scalableTargets().isEmpty();
            if (empty && nothingLeftAt.isEmpty()) {
                nothingLeftAt.add(sim.clock.instant());
            }
            if (r.teardownComplete()) {
                assertThat(empty).as("complete only when nothing is left").isTrue();
            }
        });
        Instant completeAt = sim.clock.instant();
        assertThat(Duration.between(nothingLeftAt.getFirst(), completeAt)).isGreaterThanOrEqualTo(PlannerConfig.DEFAULT_TEARDOWN_SETTLE);
        assertThat(rest.getLast().actionsExecuted()).isZero();

        // The order, from the journal: rules, then the autoscaling of v2, then services, then target groups and revisions.
        List<Mutation> teardown = sim.cloud.journal().subList(journalStart, sim.cloud.journal().size());
        assertThat(teardown).allMatch(m -> m.managedBy(OwnershipTags.DEFAULT_OWNER), "only our resources");
        int lastRule = lastIndex(teardown, Operation.DELETE_RULE);
        assertThat(lastRule).isGreaterThanOrEqualTo(0);
        assertThat(firstIndex(teardown, Operation.DEREGISTER_SCALABLE_TARGET)).isGreaterThan(lastRule);
        assertThat(firstIndex(teardown, Operation.SCALE_SERVICE)).isGreaterThan(lastIndex(teardown, Operation.DEREGISTER_SCALABLE_TARGET));
        assertThat(firstIndex(teardown, Operation.DELETE_SERVICE)).isGreaterThan(lastRule);
        assertThat(firstIndex(teardown, Operation.DELETE_TARGET_GROUP)).isGreaterThan(lastIndex(teardown, Operation.DELETE_SERVICE));
        assertThat(firstIndex(teardown, Operation.DEREGISTER_TASK_DEFINITION)).isGreaterThan(lastRule);
        // Services waited for the deregistration delay (30 s) after the rules went.
        Instant rulesGone = teardown.get(lastRule).at();
        teardown.stream().filter(m -> m.operation() == Operation.SCALE_SERVICE)
                .forEach(m -> assertThat(m.at()).isAfterOrEqualTo(rulesGone.plus(Duration.ofSeconds(30))));

        // Everything of the App gone, the foreign rule and target group untouched.
        assertThat(sim.cloud.resources().ofApp(APP).isEmpty()).isTrue();
        assertThat(sim.cloud.scalableTargets()).doesNotContainKey(v2ResourceId).isEmpty();
        assertThat(sim.cloud.scalingPolicies()).isEmpty();
        assertThat(sim.cloud.foreignMutations(OwnershipTags.DEFAULT_OWNER)).isEmpty();
        assertThat(sim.cloud.resources().rules()).anyMatch(r -> r.arn().equals(foreignRule) && r.priority() == 1042);
        assertThat(sim.cloud.resources().targetGroups()).anyMatch(t -> t.arn().equals(foreignTargetGroup));
        for (String v : List.of("v1", "v2")) {
            var status = sim.get(APP, v).status();
            assertThat(status.phase()).isEqualTo(Phase.Retired);
            assertThat(status.expiryReason()).isEqualTo("AppDeleted");
            assertThat(status.message()).isEqualTo("Retired (AppDeleted): the App is being deleted; all resources deleted");
            assertThat(status.resources().targetGroupArn()).isNull();
        }
        assertThat(Conditions.find(appStatus().conditions(), Condition.TORN_DOWN).orElseThrow().reason()).isEqualTo("NothingLeft");

        // Idempotent: more passes change nothing and keep saying so; once released, the App is gone.
        int writes = sim.store.statusWrites();
        sim.clock.advance(Duration.ofMinutes(5));
        PassResult again = sim.pass(APP);
        assertThat(again.teardownComplete()).isTrue();
        assertThat(again.actionsExecuted()).isZero();
        assertThat(sim.store.statusWrites()).isEqualTo(writes);
        sim.store.releaseApp(APP);
        assertThat(sim.pass(APP).outcome()).isEqualTo(PassResult.Outcome.GONE);
    }

    @Test
    void aPendingAppDeletedBeforeAnythingWasCreatedIsCompleteAfterTheSettleTime() {
        sim.deleteApp(APP);
        PassResult first = sim.pass(APP);
        assertThat(first.actionsExecuted()).isZero();
        assertThat(first.teardownComplete()).as("nothing seen once is not yet confirmed").isFalse();
        assertThat(first.requeueAfter()).isEqualTo(PlannerConfig.DEFAULT_TEARDOWN_SETTLE);
        sim.clock.advance(first.requeueAfter());
        assertThat(sim.pass(APP).teardownComplete()).isTrue();
    }

    @Test
    void aTargetGroupTheListingHidAtFirstIsStillFoundAndDeleted() {
        // v1 is being provisioned while the listing lags: its target group exists but is not listed yet.
        sim.cloud.listLag(2);
        sim.apply(version(APP, "v1"));
        sim.pass(APP);
        assertThat(sim.cloud.resources().ofApp(APP).targetGroups()).hasSize(1);
        sim.deleteApp(APP);
        untilTornDown(r -> {
            if (r.teardownComplete()) {
                assertThat(sim.cloud.resources().ofApp(APP).isEmpty()).as("nothing abandoned").isTrue();
            }
        });
        assertThat(sim.get(APP, "v1").status().phase()).isEqualTo(Phase.Retired);
    }

    @Test
    void anAppOwningItsListenerGetsTheNoLiveResponseAsDefaultBeforeItsTargetGroupsGo() {
        String listener = TestingCloud.listenerArn("web", 443);
        sim.cloud.addListener(listener, SkewlessSimulation.LOAD_BALANCER, SkewlessSimulation.LISTENER_DEFAULT);
        App owning = SkewlessSimulation.app("site", 1);
        RouterSpec r = owning.spec().router();
        AppSpec spec = new AppSpec(owning.spec().platform(), new RouterSpec(listener, r.priorities(), List.of(), List.of(),
                r.deregistrationDelay(), true, null), owning.spec().routing(), owning.spec().retention(), owning.spec().release(), null);
        sim.apply(new App(owning.metadata(), spec, null));
        sim.apply(version("site", "v1"));
        sim.converge("site");
        assertThat(sim.cloud.defaultAction(listener)).isInstanceOf(AlbAction.Forward.class);

        sim.deleteApp("site");
        for (int i = 0; i < 60 && !sim.pass("site").teardownComplete(); i++) {
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        assertThat(sim.cloud.resources().ofApp("site").isEmpty()).isTrue();
        var noLive = RoutingTable.noLiveResponse("site");
        assertThat(sim.cloud.defaultAction(listener))
                .isEqualTo(new AlbAction.FixedResponse(noLive.status(), noLive.contentType(), noLive.body()));
        // The other App on the shared listener was never touched.
        assertThat(sim.cloud.resources().rules()).anyMatch(x -> x.arn().equals(foreignRule));
    }

    @Test
    void aRuleSomeoneElseOwnsThatForwardsToTheAppHoldsTheTeardownAndSaysSoWithoutBeingTouched() {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        String tg = sim.cloud.resources().ofVersion(new VersionKey(APP, "v1")).targetGroups().getFirst().arn();
        String theirs = sim.cloud.addForeignRule(SkewlessSimulation.LISTENER, 1500,
                new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/legacy/*"))), AlbAction.Forward.to(tg)),
                Map.of("owner", "platform-team"));

        sim.deleteApp(APP);
        for (int i = 0; i < 10; i++) {
            assertThat(sim.pass(APP).teardownComplete()).isFalse();
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        assertThat(sim.cloud.resources().ofApp(APP).rules()).isEmpty();
        assertThat(sim.cloud.resources().ofApp(APP).services()).singleElement().satisfies(s -> assertThat(s.desiredCount()).isPositive());
        assertThat(sim.get(APP, "v1").status().message()).isEqualTo("Draining (AppDeleted): the App is being deleted; Waiting for a"
                + " listener rule skewless does not own to stop forwarding to target group " + ResourceNames.targetGroup(new VersionKey(APP, "v1"))
                + "; change or delete that rule");
        assertThat(sim.cloud.resources().rules()).anyMatch(r -> r.arn().equals(theirs));
        assertThat(sim.cloud.foreignMutations(OwnershipTags.DEFAULT_OWNER)).isEmpty();

        // Its owner changes it: the teardown goes on to the end.
        sim.cloud.deleteRuleOutOfBand(theirs);
        untilTornDown(r -> { });
        assertThat(sim.cloud.resources().ofApp(APP).isEmpty()).isTrue();
    }

    @Test
    void deletingAVersionDrainsItAsARevokeWouldWhileTheOthersKeepTheirPins() {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        sim.apply(version(APP, "v2"));
        sim.converge(APP);
        sim.apply(version(APP, "v3"));
        sim.converge(APP);
        assertThat(sim.phases(APP)).isEqualTo(Map.of("v1", Phase.Superseded, "v2", Phase.Superseded, "v3", Phase.Live));

        sim.deleteVersion(APP, "v2");
        boolean released = false;
        for (int i = 0; i < 60 && !released; i++) {
            PassResult r = sim.pass(APP);
            assertThat(r.teardownComplete()).as("the App is not being deleted").isFalse();
            // No moment where a retained version's pinned requests have no rule.
            assertThat(sim.target(pinned("v1"))).isEqualTo("v1");
            assertThat(sim.target(pinnedByQuery("v1"))).isEqualTo("v1");
            assertThat(sim.target(pinned("v3"))).isEqualTo("v3");
            assertThat(sim.target(unpinned())).isEqualTo("v3");
            if (r.versionsTornDown().contains("v2")) {
                assertThat(sim.cloud.resources().ofVersion(new VersionKey(APP, "v2")).isEmpty()).as("v2 reported gone only when it is")
                        .isTrue();
                assertThat(r.versionsTornDown()).containsExactly("v2");
                sim.store.releaseVersion(new VersionKey(APP, "v2"));
                released = true;
            } else {
                var v2 = sim.get(APP, "v2").status();
                assertThat(v2.phase()).isIn(Phase.Draining, Phase.Retired);
                assertThat(v2.expiryReason()).isEqualTo("Deleted");
            }
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        assertThat(released).isTrue();
        assertThat(sim.target(pinned("v2"))).as("a deleted version's pin is expired").isEqualTo("410");
        sim.converge(APP);
        assertThat(sim.phases(APP)).isEqualTo(Map.of("v1", Phase.Superseded, "v3", Phase.Live));
    }

    @Test
    void deletingTheLiveVersionHandsUnpinnedTrafficToTheNewestRemaining() {
        sim.apply(version(APP, "v1"));
        sim.converge(APP);
        sim.apply(version(APP, "v2"));
        sim.converge(APP);

        sim.deleteVersion(APP, "v2");
        sim.pass(APP);
        assertThat(sim.phase(APP, "v2")).isEqualTo(Phase.Draining);
        assertThat(sim.get(APP, "v2").status().message()).startsWith("Draining (Deleted): its AppVersion record is being deleted");
        assertThat(sim.target(unpinned())).isEqualTo("v1");
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");
        sim.converge(APP);
        assertThat(sim.phases(APP)).isEqualTo(Map.of("v1", Phase.Live, "v2", Phase.Retired));
        assertThat(sim.cloud.resources().ofVersion(new VersionKey(APP, "v2")).isEmpty()).isTrue();
        assertThat(sim.pass(APP).versionsTornDown()).containsExactly("v2");
    }

    private static int firstIndex(List<Mutation> journal, Operation op) {
        for (int i = 0; i < journal.size(); i++) {
            if (journal.get(i).operation() == op) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndex(List<Mutation> journal, Operation op) {
        for (int i = journal.size() - 1; i >= 0; i--) {
            if (journal.get(i).operation() == op) {
                return i;
            }
        }
        return -1;
    }
}
