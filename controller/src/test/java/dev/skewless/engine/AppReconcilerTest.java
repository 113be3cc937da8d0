package dev.skewless.engine;

import static dev.skewless.engine.EngineFixtures.CLUSTER;
import static dev.skewless.engine.EngineFixtures.LISTENER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.Conditions;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Plan;
import dev.skewless.plan.action.Action;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.observed.ObservedState;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingCloud.CrashPoint;
import dev.skewless.testing.TestingCloud.FaultRates;
import dev.skewless.testing.TestingCloud.Operation;
import dev.skewless.testing.TestingCloud.SimulatedCrash;
import dev.skewless.testing.TestingVersionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pass mechanics with canned plans, so every rule of {@link AppReconciler} is tested without
 * depending on what the planner decides. {@link AppReconcilerPlannerTest} runs real passes.
 */
class AppReconcilerTest {
    private static final VersionKey V1 = new VersionKey("shop", "v1");

    private final TestingClock clock = new TestingClock();
    private final TestingVersionStore store = new TestingVersionStore(clock);
    private final TestingCloud cloud = EngineFixtures.cloud(clock);
    /** What the next pass will plan, built from what the planner was given. */
    private final AtomicReference<PlanSource> nextPlan = new AtomicReference<>();
    private final List<ObservedState> observations = new ArrayList<>();
    private AppReconciler reconciler;

    /** A canned planner: test code turns the observed state into a plan. */
    private interface PlanSource {
        Plan plan(ObservedState observed, Instant now);
    }

    @BeforeEach
    void setUp() {
        store.applyApp(EngineFixtures.app("shop"));
        store.applyVersion(EngineFixtures.version("shop", "v1"));
        reconciler = reconcilerWith(cloud.compute());
    }

    private AppReconciler reconcilerWith(ComputePlatform compute) {
        return new AppReconciler(store, compute, cloud.router(), (app, versions, observed, now) -> {
            observations.add(observed);
            return nextPlan.get().plan(observed, now);
        }, clock);
    }

    private void plan(Action... actions) {
        plan(null, actions);
    }

    private void plan(Duration requeueAfter, Action... actions) {
        nextPlan.set((observed, now) -> new Plan("shop", List.of(actions), requeueAfter));
    }

    private AppVersionStatus v1Status() {
        return store.getVersion(V1).orElseThrow().status();
    }

    private AppStatus appStatus() {
        return store.getApp("shop").orElseThrow().status();
    }

    private static Condition condition(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no " + type + " in " + conditions));
    }

    private static AppVersionStatus provisioning(String message) {
        return AppVersionStatus.PENDING.toBuilder().phase(Phase.Provisioning).message(message).build();
    }

    private static AppStatus appSynced(String message) {
        return new AppStatus(1, null, null, 0, Conditions.set(List.of(), Condition.SYNCED, ConditionStatus.True, "Synced",
                message, TestingClock.START), null, message);
    }

    @Test
    void aDeletedAppIsGoneWithoutTouchingTheCloud() {
        PassResult result = reconciler.reconcile("no-such-app");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.GONE);
        assertThat(cloud.describeCalls()).isZero();
        assertThat(store.statusWrites()).isZero();
    }

    @Test
    void theObservedStateCombinesBothProviders() {
        String tg = cloud.router().createTargetGroup(EngineFixtures.targetGroup(V1));
        cloud.compute().registerTaskDefinition(EngineFixtures.taskDefinition(V1, 256, 512));
        plan();

        reconciler.reconcile("shop");

        ObservedState seen = observations.getFirst();
        assertThat(seen.listener().arn()).isEqualTo(LISTENER);
        assertThat(seen.targetGroups()).extracting(t -> t.arn()).containsExactly(tg);
        assertThat(seen.taskDefinitions()).hasSize(1);
        assertThat(seen.services()).isEmpty();
        assertThat(seen.lastRequestAt()).containsKey(V1);
    }

    @Test
    void anObserveFailureMarksOnlyTheAppSyncedUnknown() {
        cloud.faults(Operation.OBSERVE_ROUTER, new FaultRates(1, 0, 0));
        plan(new Action.WriteVersionStatus(V1, provisioning("should not be written")));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(result.error()).contains("Throttling");
        assertThat(observations).as("the planner is not asked").isEmpty();
        Condition synced = condition(appStatus().conditions(), Condition.SYNCED);
        assertThat(synced.status()).isEqualTo(ConditionStatus.Unknown);
        assertThat(synced.reason()).isEqualTo(AppReconciler.REASON_OBSERVE_FAILED);
        assertThat(synced.message()).contains("Throttling");
        assertThat(appStatus().lastReconcileTime()).isEqualTo(clock.instant());
        assertThat(v1Status()).isEqualTo(AppVersionStatus.PENDING);
        assertThat(store.statusWrites()).isEqualTo(1);
    }

    @Test
    void cloudActionsRunInOrderThenStatusesAreWritten() {
        plan(Duration.ofSeconds(5),
                new Action.CreateTargetGroup(V1, EngineFixtures.targetGroup(V1)),
                new Action.RegisterTaskDefinition(V1, EngineFixtures.taskDefinition(V1, 256, 512)),
                new Action.Wait("shop", "v1", "deployment", Duration.ofSeconds(5)),
                new Action.WriteVersionStatus(V1, provisioning("creating")),
                new Action.WriteAppStatus("shop", appSynced("ok")));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result).isEqualTo(PassResult.succeeded(Duration.ofSeconds(5), 2, 2));
        assertThat(cloud.journal()).extracting(TestingCloud.Mutation::operation)
                .containsExactly(Operation.CREATE_TARGET_GROUP, Operation.REGISTER_TASK_DEFINITION);
        assertThat(v1Status().phase()).isEqualTo(Phase.Provisioning);
        assertThat(v1Status().lastReconcileTime()).as("stamped by the engine").isEqualTo(clock.instant());
        assertThat(appStatus().message()).isEqualTo("ok");
    }

    @Test
    void aFailingActionSkipsTheRestOfItsVersionAndIsReportedOnTheVersionAndTheApp() {
        cloud.addForeignRule(LISTENER, 100, EngineFixtures.rejectRule("someone-else"), Map.of("team", "other"));
        plan(new Action.CreateRule("shop", "v1", LISTENER, 100, EngineFixtures.rejectRule("v1"),
                        OwnershipTags.forVersion(EngineFixtures.OWNER, V1)),
                new Action.CreateTargetGroup(V1, EngineFixtures.targetGroup(V1)),
                new Action.WriteVersionStatus(V1, provisioning("creating rules")),
                new Action.WriteAppStatus("shop", appSynced("planned")));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(result.actionsExecuted()).isZero();
        assertThat(result.error()).contains("CreateRule", "PriorityInUse");
        assertThat(cloud.resources().targetGroups()).as("nothing of v1 after the failure ran").isEmpty();

        AppVersionStatus v1 = v1Status();
        assertThat(v1.phase()).as("the rest of the planned status is kept").isEqualTo(Phase.Provisioning);
        Condition synced = condition(v1.conditions(), Condition.SYNCED);
        assertThat(synced.status()).isEqualTo(ConditionStatus.False);
        assertThat(synced.reason()).isEqualTo("PriorityInUse");
        assertThat(synced.message()).contains("CreateRule", "v1", "CONFLICT", "PriorityInUse");
        assertThat(Conditions.find(v1.conditions(), Condition.TERMINAL)).as("a conflict is not terminal").isEmpty();

        Condition appSynced = condition(appStatus().conditions(), Condition.SYNCED);
        assertThat(appSynced.status()).isEqualTo(ConditionStatus.False);
        assertThat(appSynced.reason()).isEqualTo("PriorityInUse");
        assertThat(appStatus().message()).isEqualTo("planned");
    }

    @Test
    void aFailureSkipsItsVersionAndAppWideActionsButNotOtherVersions() {
        VersionKey v2 = new VersionKey("shop", "v2");
        cloud.addForeignRule(LISTENER, 100, EngineFixtures.rejectRule("someone-else"), Map.of("team", "other"));
        plan(new Action.CreateRule("shop", "v1", LISTENER, 100, EngineFixtures.rejectRule("v1"),
                        OwnershipTags.forVersion(EngineFixtures.OWNER, V1)),
                new Action.CreateTargetGroup(V1, EngineFixtures.targetGroup(V1)),
                new Action.CreateRule("shop", null, LISTENER, 101, EngineFixtures.rejectRule("app-wide"),
                        OwnershipTags.forApp(EngineFixtures.OWNER, "shop")),
                new Action.CreateTargetGroup(v2, EngineFixtures.targetGroup(v2)));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(result.actionsExecuted()).isEqualTo(1);
        assertThat(cloud.resources().targetGroups()).extracting(t -> t.tags().get(OwnershipTags.VERSION))
                .as("v1's chain and the app-wide rule were skipped, v2 went on").containsExactly("v2");
        assertThat(cloud.resources().rules()).hasSize(1);
    }

    @Test
    void aTerminalFailureSetsTerminalOnTheVersionEvenWithoutAPlannedStatus() {
        plan(new Action.CreateTargetGroup(V1, EngineFixtures.targetGroup(V1)),
                new Action.RegisterTaskDefinition(V1, EngineFixtures.taskDefinition(V1, 256, 4096)));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(result.actionsExecuted()).isEqualTo(1);
        AppVersionStatus v1 = v1Status();
        assertThat(v1.phase()).isEqualTo(Phase.Pending);
        assertThat(condition(v1.conditions(), Condition.SYNCED).reason()).isEqualTo("ClientException");
        Condition terminal = condition(v1.conditions(), Condition.TERMINAL);
        assertThat(terminal.status()).isEqualTo(ConditionStatus.True);
        assertThat(terminal.reason()).isEqualTo("ClientException");
        assertThat(terminal.message()).contains("RegisterTaskDefinition", "INVALID", "Fargate");
        assertThat(condition(appStatus().conditions(), Condition.SYNCED).status()).isEqualTo(ConditionStatus.False);
        assertThat(Conditions.find(appStatus().conditions(), Condition.TERMINAL)).isEmpty();
    }

    @Test
    void anAppWideFailurePatchesOnlyTheApp() {
        cloud.faults(Operation.SET_DEFAULT_ACTION, new FaultRates(1, 0, 0));
        plan(new Action.SetDefaultAction("shop", LISTENER, new AlbAction.FixedResponse(404, "text/plain", "")),
                new Action.WriteVersionStatus(V1, provisioning("planned")));

        reconciler.reconcile("shop");

        assertThat(Conditions.find(v1Status().conditions(), Condition.SYNCED)).isEmpty();
        assertThat(condition(appStatus().conditions(), Condition.SYNCED).reason()).startsWith("Throttl");
    }

    @Test
    void aMissingListenerIsAnInvalidReferenceOnTheAppAndEveryVersionWithoutBackoff() {
        plan(new Action.SetDefaultAction("shop", "arn:missing-listener", new AlbAction.FixedResponse(404, "text/plain", "")),
                new Action.WriteVersionStatus(V1, provisioning("planned")));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.INVALID);
        assertThat(result.error()).contains("spec.router.listenerArn", "ListenerNotFound");
        for (List<Condition> conditions : List.of(appStatus().conditions(), v1Status().conditions())) {
            assertThat(condition(conditions, Condition.SYNCED).reason()).isEqualTo(Condition.REASON_INVALID_REFERENCE);
            assertThat(condition(conditions, Condition.TERMINAL).status()).isEqualTo(ConditionStatus.True);
        }
        assertThat(v1Status().phase()).as("not failed: it goes on once the App is right").isEqualTo(Phase.Provisioning);
        assertThat(v1Status().message()).startsWith("Invalid reference: spec.router.listenerArn");

        plan(new Action.WriteVersionStatus(V1, provisioning("planned")));
        reconciler.reconcile("shop");
        assertThat(Conditions.find(appStatus().conditions(), Condition.TERMINAL)).as("cleared once nothing is invalid").isEmpty();
    }

    @Test
    void aVersionThatFailedOnItsOwnKeepsItsReasonWhenAReferenceIsInvalid() {
        AppVersionStatus badImage = provisioning("planned").toBuilder().conditions(Conditions.set(List.of(), Condition.TERMINAL,
                ConditionStatus.True, "CannotPullContainerError", "image not found", TestingClock.START)).build();
        plan(new Action.SetDefaultAction("shop", "arn:missing-listener", new AlbAction.FixedResponse(404, "text/plain", "")),
                new Action.WriteVersionStatus(V1, badImage));

        reconciler.reconcile("shop");

        assertThat(condition(v1Status().conditions(), Condition.TERMINAL).reason()).isEqualTo("CannotPullContainerError");
        assertThat(condition(appStatus().conditions(), Condition.TERMINAL).reason()).isEqualTo(Condition.REASON_INVALID_REFERENCE);
    }

    @Test
    void anUnexpectedProviderExceptionCountsAsTransient() {
        ComputePlatform broken = new ForwardingCompute(cloud.compute()) {
            @Override
            public String registerTaskDefinition(TaskDefinitionSpec spec) {
                throw new IllegalStateException("SDK bug");
            }
        };
        reconciler = reconcilerWith(broken);
        plan(new Action.RegisterTaskDefinition(V1, EngineFixtures.taskDefinition(V1, 256, 512)));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        Condition synced = condition(v1Status().conditions(), Condition.SYNCED);
        assertThat(synced.reason()).isEqualTo("IllegalStateException");
        assertThat(synced.message()).contains("TRANSIENT", "SDK bug");
        assertThat(Conditions.find(v1Status().conditions(), Condition.TERMINAL)).isEmpty();
    }

    @Test
    void aSimulatedCrashPropagatesAndNothingIsWritten() {
        cloud.crashAfterMutations(2, CrashPoint.BEFORE_APPLY);
        plan(new Action.CreateTargetGroup(V1, EngineFixtures.targetGroup(V1)),
                new Action.RegisterTaskDefinition(V1, EngineFixtures.taskDefinition(V1, 256, 512)),
                new Action.WriteVersionStatus(V1, provisioning("never")));

        assertThatThrownBy(() -> reconciler.reconcile("shop")).isInstanceOf(SimulatedCrash.class);

        assertThat(cloud.resources().targetGroups()).hasSize(1);
        assertThat(cloud.resources().taskDefinitions()).isEmpty();
        assertThat(store.statusWrites()).isZero();
    }

    @Test
    void anUnchangedStatusIsNeverRewritten() {
        plan(new Action.WriteVersionStatus(V1, provisioning("steady")), new Action.WriteAppStatus("shop", appSynced("steady")));
        assertThat(reconciler.reconcile("shop").statusWrites()).isEqualTo(2);
        Instant firstWrite = clock.instant();

        clock.advance(Duration.ofMinutes(4));
        PassResult steady = reconciler.reconcile("shop");
        assertThat(steady.statusWrites()).isZero();
        assertThat(v1Status().lastReconcileTime()).isEqualTo(firstWrite);

        clock.advance(Duration.ofHours(6));
        assertThat(reconciler.reconcile("shop").statusWrites()).as("no heartbeat rewrite").isZero();
        assertThat(v1Status().lastReconcileTime()).as("when it last changed").isEqualTo(firstWrite);
    }

    @Test
    void aChangedStatusIsWrittenAtOnce() {
        plan(new Action.WriteVersionStatus(V1, provisioning("one")));
        reconciler.reconcile("shop");
        clock.advance(Duration.ofSeconds(1));
        plan(new Action.WriteVersionStatus(V1, provisioning("two")));

        assertThat(reconciler.reconcile("shop").statusWrites()).isEqualTo(1);
        assertThat(v1Status().message()).isEqualTo("two");
    }

    @Test
    void aFailingStatusWriteFailsThePassButTheOthersAreStillWritten() {
        store.failNextStatusWrites(1);
        plan(new Action.CreateTargetGroup(V1, EngineFixtures.targetGroup(V1)),
                new Action.WriteVersionStatus(V1, provisioning("lost")),
                new Action.WriteAppStatus("shop", appSynced("written")));

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        assertThat(result.error()).contains("writing status of shop/v1");
        assertThat(result.actionsExecuted()).isEqualTo(1);
        assertThat(result.statusWrites()).isEqualTo(1);
        assertThat(appStatus().message()).isEqualTo("written");
    }

    @Test
    void aThrowingPlannerIsReportedOnTheApp() {
        nextPlan.set((observed, now) -> {
            throw new IllegalArgumentException("planner bug");
        });

        PassResult result = reconciler.reconcile("shop");

        assertThat(result.outcome()).isEqualTo(PassResult.Outcome.FAILED);
        Condition synced = condition(appStatus().conditions(), Condition.SYNCED);
        assertThat(synced.reason()).isEqualTo(AppReconciler.REASON_PLAN_FAILED);
        assertThat(synced.message()).contains("planner bug");
    }

    @Test
    void everyCloudActionMapsToItsPortCall() {
        String tg = cloud.router().createTargetGroup(EngineFixtures.targetGroup(V1));
        String td = cloud.compute().registerTaskDefinition(EngineFixtures.taskDefinition(V1, 256, 512));
        String svc = cloud.compute().createService(EngineFixtures.service(V1, td, tg, 1));
        String rule = cloud.router().createRule(LISTENER, 100, EngineFixtures.pinRule("v1", tg),
                OwnershipTags.forVersion(EngineFixtures.OWNER, V1));
        ActionExecutor executor = new ActionExecutor(cloud.compute(), cloud.router());
        String td2 = executor.execute(new Action.RegisterTaskDefinition(V1, EngineFixtures.taskDefinition(V1, 512, 1024)));
        ServiceSpec updated = EngineFixtures.service(V1, td2, tg, 1);
        List<Action> actions = List.of(
                new Action.UpdateTargetGroup(V1, tg, EngineFixtures.targetGroup(V1)),
                new Action.UpdateService(V1, svc, updated),
                new Action.ModifyRule("shop", "v1", rule, EngineFixtures.pinRule("v1-renamed", tg)),
                new Action.SetRulePriorities("shop", LISTENER, Map.of(rule, 101)),
                new Action.DeleteRule("shop", "v1", rule),
                new Action.ScaleService(V1, CLUSTER, svc, 0),
                new Action.DeleteService(V1, CLUSTER, svc),
                new Action.DeregisterTaskDefinition(V1, td),
                new Action.DeleteTargetGroup(V1, tg),
                new Action.SetDefaultAction("shop", LISTENER, new AlbAction.FixedResponse(404, "text/plain", "gone")),
                new Action.CreateTargetGroup(V1, EngineFixtures.targetGroup(V1)));
        for (Action a : actions) {
            executor.execute(a);
        }

        assertThat(cloud.journal()).extracting(TestingCloud.Mutation::operation).containsExactly(
                Operation.CREATE_TARGET_GROUP, Operation.REGISTER_TASK_DEFINITION, Operation.CREATE_SERVICE,
                Operation.CREATE_RULE, Operation.REGISTER_TASK_DEFINITION, Operation.UPDATE_TARGET_GROUP,
                Operation.UPDATE_SERVICE, Operation.MODIFY_RULE, Operation.SET_RULE_PRIORITIES, Operation.DELETE_RULE,
                Operation.SCALE_SERVICE, Operation.DELETE_SERVICE, Operation.DEREGISTER_TASK_DEFINITION,
                Operation.DELETE_TARGET_GROUP, Operation.SET_DEFAULT_ACTION, Operation.CREATE_TARGET_GROUP);
        assertThatThrownBy(() -> executor.execute(new Action.Wait("shop", null, "x", Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Passes every call to another platform; tests override the ones they break. */
    private static class ForwardingCompute implements ComputePlatform {
        private final ComputePlatform delegate;

        ForwardingCompute(ComputePlatform delegate) {
            this.delegate = delegate;
        }

        @Override
        public Observation observe(App app) {
            return delegate.observe(app);
        }

        @Override
        public String registerTaskDefinition(TaskDefinitionSpec spec) {
            return delegate.registerTaskDefinition(spec);
        }

        @Override
        public void deregisterTaskDefinition(String taskDefinitionArn) {
            delegate.deregisterTaskDefinition(taskDefinitionArn);
        }

        @Override
        public String createService(ServiceSpec spec) {
            return delegate.createService(spec);
        }

        @Override
        public void updateService(String serviceArn, ServiceSpec spec) {
            delegate.updateService(serviceArn, spec);
        }

        @Override
        public void scaleService(String cluster, String serviceArn, int desiredCount) {
            delegate.scaleService(cluster, serviceArn, desiredCount);
        }

        @Override
        public void deleteService(String cluster, String serviceArn) {
            delegate.deleteService(cluster, serviceArn);
        }

        @Override
        public void registerScalableTarget(dev.skewless.plan.action.ScalableTargetSpec spec) {
            delegate.registerScalableTarget(spec);
        }

        @Override
        public void putScalingPolicy(dev.skewless.plan.action.ScalingPolicySpec spec) {
            delegate.putScalingPolicy(spec);
        }

        @Override
        public void deleteScalingPolicy(String resourceId, String policyName) {
            delegate.deleteScalingPolicy(resourceId, policyName);
        }

        @Override
        public void deregisterScalableTarget(String resourceId) {
            delegate.deregisterScalableTarget(resourceId);
        }
    }
}
