package dev.skewless.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.action.Action;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.observed.ObservedState;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.testing.SkewlessSimulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The planner alone on records being deleted: the cloud is brought to a state by the simulation,
 * observed once, and the plan for the deleted records is read action by action.
 */
class TeardownPlannerTest {
    private static final String APP = "shop";
    private final Planner planner = new Planner(PlannerConfig.DEFAULT);
    private SkewlessSimulation sim;
    private String foreignRule;

    /** v1 superseded, v2 live and autoscaled, a foreign rule on the listener. */
    @BeforeEach
    void setUp() {
        sim = new SkewlessSimulation(5);
        foreignRule = sim.cloud.addForeignRule(SkewlessSimulation.LISTENER, 1042,
                new ListenerRuleSpec(List.of(new RuleCondition.PathPattern(List.of("/admin/*"))),
                        new AlbAction.FixedResponse(403, "text/plain", "admin")), Map.of("owner", "platform-team"));
        sim.apply(SkewlessSimulation.app(APP, 1000));
        sim.apply(SkewlessSimulation.version(APP, "v1"));
        sim.converge(APP);
        sim.apply(SkewlessSimulation.autoscaledVersion(APP, "v2"));
        sim.converge(APP);
    }

    private ObservedState observe() {
        App app = sim.store.getApp(APP).orElseThrow();
        var c = sim.cloud.compute().observe(app);
        var r = sim.cloud.router().observe(app);
        return new ObservedState(r.listener(), r.targetGroups(), c.services(), c.taskDefinitions(), r.lastRequestAt(),
                c.scalableTargets(), c.scalingPolicies());
    }

    private App deletedApp() {
        App app = sim.store.getApp(APP).orElseThrow();
        return app.withMetadata(app.metadata().deletingSince(sim.clock.instant()));
    }

    private List<AppVersion> versions() {
        return sim.store.listVersions(APP);
    }

    private static Map<String, AppVersionStatus> versionWrites(Plan plan) {
        return plan.actions().stream().filter(a -> a instanceof Action.WriteVersionStatus).map(a -> (Action.WriteVersionStatus) a)
                .collect(Collectors.toMap(w -> w.key().version(), Action.WriteVersionStatus::status));
    }

    private static AppStatus appWrite(Plan plan) {
        return plan.actions().stream().filter(a -> a instanceof Action.WriteAppStatus).map(a -> ((Action.WriteAppStatus) a).status())
                .findFirst().orElseThrow();
    }

    private static List<Class<?>> kinds(Plan plan) {
        return plan.cloudActions().stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void theFirstPassDeletesEveryRuleTheAppOwnsThenTakesTheLiveVersionOffAutoscalingAndTouchesNoService() {
        ObservedState observed = observe();
        Set<String> owned = sim.cloud.resources().ofApp(APP).rules().stream().map(r -> r.arn()).collect(Collectors.toSet());
        Plan plan = planner.plan(deletedApp(), versions(), observed, sim.clock.instant());

        List<Action> deletes = plan.cloudActions().stream().filter(a -> a instanceof Action.DeleteRule).toList();
        assertThat(deletes).extracting(a -> ((Action.DeleteRule) a).ruleArn())
                .containsExactlyInAnyOrderElementsOf(owned).doesNotContain(foreignRule);
        // After the rules, v2 leaves Application Auto Scaling (nothing may scale it back up); no service changes yet.
        assertThat(plan.cloudActions().subList(0, deletes.size())).isEqualTo(deletes);
        assertThat(kinds(plan).subList(deletes.size(), plan.cloudActions().size()))
                .containsExactly(Action.DeleteScalingPolicy.class, Action.DeregisterScalableTarget.class);
        // Pins first, then navigation, the expired catch-alls and the unpinned rule.
        List<String> roles = deletes.stream().map(a -> ((Action.DeleteRule) a).ruleArn())
                .map(arn -> sim.cloud.resources().rules().stream().filter(r -> r.arn().equals(arn)).findFirst().orElseThrow()
                        .tags().get(OwnershipTags.RULE_ROLE))
                .toList();
        assertThat(roles.subList(0, 4)).allMatch(r -> r.startsWith("pin."));
        assertThat(roles.subList(4, roles.size())).containsExactly("navigate", "expired.header", "expired.query", "unpinned");
        assertThat(plan.driftRepairs()).isEmpty();
        assertThat(plan.teardownComplete()).isFalse();
        assertThat(plan.versionsTornDown()).isEmpty();
        assertThat(plan.requeueAfter()).isEqualTo(PlannerConfig.DEFAULT.pollWhileProgressing());

        Map<String, AppVersionStatus> statuses = versionWrites(plan);
        assertThat(statuses.values()).allSatisfy(s -> {
            assertThat(s.phase()).isEqualTo(Phase.Draining);
            assertThat(s.expiryReason()).isEqualTo("AppDeleted");
            assertThat(s.message()).isEqualTo("Draining (AppDeleted): the App is being deleted; Removing listener rules");
        });
        AppStatus app = appWrite(plan);
        assertThat(app.liveVersion()).isNull();
        assertThat(Conditions.find(app.conditions(), Condition.RELEASED).orElseThrow().reason()).isEqualTo("AppDeleted");
        Condition tornDown = Conditions.find(app.conditions(), Condition.TORN_DOWN).orElseThrow();
        assertThat(tornDown.status()).isEqualTo(ConditionStatus.False);
        assertThat(tornDown.message()).isEqualTo("left: 8 listener rules; v1: service, target group, task definitions; "
                + "v2: service, target group, task definitions");

        // Pure: the same inputs give the same plan.
        assertThat(planner.plan(deletedApp(), versions(), observed, sim.clock.instant())).isEqualTo(plan);
    }

    @Test
    void onceNoRuleForwardsToThemVersionsWaitTheDeregistrationDelayBeforeTheirServicesGo() {
        sim.deleteApp(APP);
        sim.pass(APP); // the rules go, and v2's autoscaling
        assertThat(sim.cloud.resources().ofApp(APP).rules()).isEmpty();
        assertThat(sim.cloud.scalableTargets()).isEmpty();

        Plan waiting = planner.plan(sim.store.getApp(APP).orElseThrow(), versions(), observe(), sim.clock.instant());
        assertThat(waiting.cloudActions()).as("in-flight requests drain first").isEmpty();
        assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(versionWrites(waiting).get("v1").message())
                .startsWith("Draining (AppDeleted): the App is being deleted; Draining in-flight requests until");

        // Past the delay counted from the first pass that saw no rule: both scaled to 0 and deleted.
        sim.pass(APP);
        sim.clock.advance(Duration.ofSeconds(30));
        Plan removing = planner.plan(sim.store.getApp(APP).orElseThrow(), versions(), observe(), sim.clock.instant());
        List<Class<?>> kinds = kinds(removing);
        assertThat(kinds).containsSubsequence(Action.ScaleService.class, Action.DeleteService.class);
        assertThat(removing.cloudActions()).filteredOn(a -> a instanceof Action.DeleteService).extracting(Action::version)
                .containsExactlyInAnyOrder("v1", "v2");
        assertThat(kinds).doesNotContain(Action.DeleteTargetGroup.class, Action.DeleteRule.class);
    }

    @Test
    void completeOnlyAfterNothingHasBeenSeenForTheSettleTime() {
        sim.deleteApp(APP);
        Instant nothingLeft = null;
        for (int i = 0; i < 40 && nothingLeft == null; i++) {
            sim.pass(APP);
            if (sim.cloud.resources().ofApp(APP).isEmpty()) {
                nothingLeft = sim.clock.instant();
            }
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        assertThat(nothingLeft).isNotNull();
        // The pass that first finds nothing says so (TornDown=True) and comes back after the settle time.
        Plan first = planner.plan(sim.store.getApp(APP).orElseThrow(), versions(), observe(), sim.clock.instant());
        sim.pass(APP);
        Condition tornDown = Conditions.find(sim.store.getApp(APP).orElseThrow().status().conditions(), Condition.TORN_DOWN)
                .orElseThrow();
        assertThat(tornDown.status()).isEqualTo(ConditionStatus.True);
        assertThat(first.teardownComplete()).isFalse();
        assertThat(first.cloudActions()).isEmpty();
        assertThat(versionWrites(first).values()).allSatisfy(s -> {
            assertThat(s.phase()).isEqualTo(Phase.Retired);
            assertThat(s.message()).isEqualTo("Retired (AppDeleted): the App is being deleted; all resources deleted");
        });

        Instant settled = tornDown.lastTransitionTime().plus(PlannerConfig.DEFAULT.teardownSettle());
        Plan early = planner.plan(sim.store.getApp(APP).orElseThrow(), versions(), observe(), settled.minusSeconds(1));
        assertThat(early.teardownComplete()).isFalse();
        assertThat(early.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
        Plan done = planner.plan(sim.store.getApp(APP).orElseThrow(), versions(), observe(), settled);
        assertThat(done.teardownComplete()).isTrue();
        assertThat(done.cloudActions()).isEmpty();
    }

    @Test
    void aDeletedVersionLosesOnlyItsOwnPinRulesAndIsReportedOnceNothingOfItIsLeft() {
        App app = sim.store.getApp(APP).orElseThrow();
        List<AppVersion> versions = versions().stream()
                .map(v -> v.id().equals("v1") ? v.withMetadata(v.metadata().deletingSince(sim.clock.instant())) : v).toList();
        Plan plan = planner.plan(app, versions, observe(), sim.clock.instant());

        assertThat(plan.cloudActions()).filteredOn(a -> a instanceof Action.DeleteRule).extracting(Action::version)
                .containsOnly("v1").hasSize(2);
        assertThat(plan.cloudActions()).noneMatch(a -> "v2".equals(a.version()) && !(a instanceof Action.WriteVersionStatus));
        AppVersionStatus v1 = versionWrites(plan).get("v1");
        assertThat(v1.phase()).isEqualTo(Phase.Draining);
        assertThat(v1.expiryReason()).isEqualTo("Deleted");
        assertThat(v1.message()).isEqualTo("Draining (Deleted): its AppVersion record is being deleted; Removing listener rules");
        assertThat(versionWrites(plan).get("v2").phase()).isEqualTo(Phase.Live);
        assertThat(plan.versionsTornDown()).isEmpty();
        assertThat(plan.teardownComplete()).isFalse();

        sim.deleteVersion(APP, "v1");
        for (int i = 0; i < 40 && !sim.cloud.resources().ofVersion(new VersionKey(APP, "v1")).isEmpty(); i++) {
            sim.pass(APP);
            sim.clock.advance(SkewlessSimulation.STEP);
        }
        Plan gone = planner.plan(sim.store.getApp(APP).orElseThrow(), versions(), observe(), sim.clock.instant());
        assertThat(gone.versionsTornDown()).containsExactly("v1");
        assertThat(versionWrites(gone).get("v1").phase()).isEqualTo(Phase.Retired);
        assertThat(Conditions.find(appWrite(gone).conditions(), Condition.TORN_DOWN)).isEmpty();
    }

    @Test
    void recordsNobodyDeletesPlanAsBeforeWithNothingToReport() {
        Plan plan = planner.plan(sim.store.getApp(APP).orElseThrow(), versions(), observe(), sim.clock.instant());
        assertThat(plan.teardown()).isEqualTo(Plan.Teardown.NONE);
        assertThat(plan.cloudActions()).isEmpty();
        assertThat(Conditions.find(appWrite(plan).conditions(), Condition.TORN_DOWN)).isEmpty();
        assertThat(appWrite(plan).liveVersion()).isEqualTo("v2");
    }
}
