package dev.skewless.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.platform.ecs.EcsComputePlatform;
import dev.skewless.router.alb.AlbTrafficRouter;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingVersionStore;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The real planner and reconciler over both AWS providers and moto: once a version is live, a
 * pass issues no mutating AWS call at all. That holds only if every observed rule, target group,
 * service and task definition reads back equal to what the planner asked for.
 *
 * <p>moto does not run tasks or register them in target groups, so after each pass the test
 * registers made-up task IPs in any of the App's groups that has none (what ECS would do).
 */
class SteadyStateTest {
    @Test
    void aLiveVersionsSteadyStateIssuesNoMutation() {
        try (MotoAccount account = MotoAccount.fresh().withNetwork();
                EcsClient ecs = account.clients.ecs();
                ElasticLoadBalancingV2Client setup = account.setupElb()) {
            ecs.createCluster(b -> b.clusterName("apps"));
            TestingClock clock = new TestingClock();
            TestingVersionStore store = new TestingVersionStore(clock);
            AlbTrafficRouter router = new AlbTrafficRouter(account.clients.elbv2(), null, OwnershipTags.DEFAULT_OWNER, clock,
                    Duration.ofMinutes(5));
            AppReconciler reconciler = new AppReconciler(store, new EcsComputePlatform(ecs, null), router,
                    new Planner(PlannerConfig.DEFAULT)::plan, clock, Duration.ofHours(1));
            store.applyApp(new App(ObjectMeta.ofApp("shop"), new AppSpec(
                    new PlatformSpec("apps", List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                            "arn:aws:iam::123456789012:role/exec", null, "/skewless/shop", false, 1),
                    new RouterSpec(account.listenerArn, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(5),
                            false, null),
                    null, null, null, null), null));
            store.applyVersion(new AppVersion(ObjectMeta.ofVersion("shop", "v1"),
                    new AppVersionSpec("repo/api:1", 256, 512, 2, 8080, Map.of("MODE", "prod"), Map.of(), null, null, false), null));

            for (int pass = 0; pass < 40; pass++) {
                boolean quiet = quiet(reconciler, clock);
                if (quiet && live(store)) {
                    break;
                }
                registerTargets(setup);
            }
            assertThat(live(store)).as("v1 became live: %s / %s", store.getVersion(new VersionKey("shop", "v1")).orElseThrow().status(), store.getApp("shop").orElseThrow().status()).isTrue();

            double mutationsBefore = mutations(account);
            Map<String, Double> before = byOperation(account);
            clock.advance(Duration.ofMinutes(1));
            PassResult steady = reconciler.reconcile("shop");
            assertThat(steady.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
            assertThat(steady.actionsExecuted()).isZero();
            assertThat(mutations(account)).as("no mutating AWS call in a steady pass").isEqualTo(mutationsBefore);
            Map<String, Double> steadyCalls = new java.util.TreeMap<>(byOperation(account));
            before.forEach((op, n) -> steadyCalls.computeIfPresent(op, (k, v) -> v - n == 0 ? null : v - n));
            assertThat(steadyCalls).as("one steady pass: one rule listing, tags in two batches, no per-version describes")
                    .isEqualTo(Map.of("DescribeRules", 1.0, "DescribeTags", 2.0, "DescribeTargetGroups", 1.0,
                            "DescribeTargetHealth", 1.0, "ListServices", 1.0, "DescribeServices", 1.0, "ListTaskDefinitions", 1.0));
        }
    }

    private static boolean live(TestingVersionStore store) {
        return store.getVersion(new VersionKey("shop", "v1")).orElseThrow().status().phase() == Phase.Live;
    }

    /** Runs a pass; whether it succeeded without doing anything. */
    private static boolean quiet(AppReconciler reconciler, TestingClock clock) {
        clock.advance(Duration.ofSeconds(10));
        PassResult r = reconciler.reconcile("shop");
        return r.outcome() == PassResult.Outcome.SUCCEEDED && r.actionsExecuted() == 0;
    }

    private static void registerTargets(ElasticLoadBalancingV2Client elb) {
        int n = 10;
        for (TargetGroup tg : elb.describeTargetGroups().targetGroups()) {
            if (elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions().isEmpty()) {
                // As many as the version's desired count (2), as ECS would register.
                String a = "10.0.1." + n++;
                String b2 = "10.0.2." + n++;
                elb.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                        .targets(t -> t.id(a).port(tg.port()), t -> t.id(b2).port(tg.port())));
            }
        }
    }

    private static double mutations(MotoAccount account) {
        return account.registry.find(AwsCallMetrics.CALLS).counters().stream()
                .filter(c -> !CallRates.isRead(c.getId().getTag("operation"))).mapToDouble(Counter::count).sum();
    }

    private static Map<String, Double> byOperation(MotoAccount account) {
        Map<String, Double> out = new java.util.TreeMap<>();
        account.registry.find(AwsCallMetrics.CALLS).counters()
                .forEach(c -> out.merge(c.getId().getTag("operation"), c.count(), Double::sum));
        return out;
    }
}
