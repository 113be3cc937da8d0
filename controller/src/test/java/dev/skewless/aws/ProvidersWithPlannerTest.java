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
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The real planner and reconciler over both AWS providers and moto. Once a version is live, a pass
 * issues no mutating AWS call at all: that holds only if every observed rule, target group,
 * service and task definition reads back equal to what the planner asked for. Changes made behind
 * the controller's back are repaired by the next pass.
 *
 * <p>moto does not run tasks or register them in target groups, so after each pass the test
 * registers made-up task IPs in any of the App's groups that has none (what ECS would do).
 */
class ProvidersWithPlannerTest {
    private static final VersionKey V1 = new VersionKey("shop", "v1");

    private MotoAccount account;
    private EcsClient ecs;
    private ElasticLoadBalancingV2Client setup;
    private TestingClock clock;
    private TestingVersionStore store;
    private AppReconciler reconciler;

    @BeforeEach
    void setUp() {
        account = MotoAccount.fresh().withNetwork();
        ecs = account.clients.ecs();
        setup = account.setupElb();
        ecs.createCluster(b -> b.clusterName("apps"));
        clock = new TestingClock();
        store = new TestingVersionStore(clock);
        AlbTrafficRouter router = new AlbTrafficRouter(account.clients.elbv2(), null, OwnershipTags.DEFAULT_OWNER, clock, Duration.ofMinutes(5));
        reconciler = new AppReconciler(store, new EcsComputePlatform(ecs, account.clients.applicationAutoScaling(), null), router, new Planner(PlannerConfig.DEFAULT)::plan, clock);
        store.applyApp(new App(ObjectMeta.ofApp("shop"), new AppSpec(
                new PlatformSpec("apps", List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                        "arn:aws:iam::123456789012:role/exec", null, "/skewless/shop", false, 1),
                new RouterSpec(account.listenerArn, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(5),
                        false, null),
                null, null, null, null), null));
        store.applyVersion(new AppVersion(ObjectMeta.ofVersion("shop", "v1"),
                new AppVersionSpec("repo/api:1", 256, 512, 2, 8080, Map.of("MODE", "prod"), Map.of(), null, null, false), null));
    }

    @AfterEach
    void tearDown() {
        setup.close();
        ecs.close();
        account.close();
    }

    @Test
    void aLiveVersionsSteadyStateIssuesNoMutation() {
        convergeLive();

        double mutationsBefore = mutations();
        Map<String, Double> before = byOperation();
        clock.advance(Duration.ofMinutes(1));
        PassResult steady = reconciler.reconcile("shop");

        assertThat(steady.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(steady.actionsExecuted()).isZero();
        assertThat(mutations()).as("no mutating AWS call in a steady pass").isEqualTo(mutationsBefore);
        Map<String, Double> steadyCalls = new TreeMap<>(byOperation());
        before.forEach((op, n) -> steadyCalls.computeIfPresent(op, (k, v) -> v - n == 0 ? null : v - n));
        // DescribeScalableTargets: the services' Application Auto Scaling targets (none registered, so no policy listing).
        assertThat(steadyCalls).as("one steady pass: one rule listing, tags in two batches, no per-version describes")
                .isEqualTo(Map.of("DescribeRules", 1.0, "DescribeTags", 2.0, "DescribeTargetGroups", 1.0,
                        "DescribeTargetHealth", 1.0, "ListServices", 1.0, "DescribeServices", 1.0, "ListTaskDefinitions", 1.0,
                        "DescribeScalableTargets", 1.0));
    }

    @Test
    void aRuleDeletedAPriorityChangedAndAServiceScaledBehindItsBackAreRepairedByTheNextPass() {
        convergeLive();
        List<Rule> ours = ownedRules();
        Rule deleted = ours.getFirst();
        Rule moved = ours.get(1);
        setup.deleteRule(b -> b.ruleArn(deleted.ruleArn()));
        setup.setRulePriorities(b -> b.rulePriorities(p -> p.ruleArn(moved.ruleArn()).priority(190)));
        String service = ecs.listServices(b -> b.cluster("apps")).serviceArns().getFirst();
        ecs.updateService(b -> b.cluster("apps").service(service).desiredCount(7));

        clock.advance(Duration.ofSeconds(10));
        PassResult repair = reconciler.reconcile("shop");

        assertThat(repair.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        List<Rule> after = ownedRules();
        // The allocator may pick other free priorities for the repaired rules; what matters is the
        // same rules in the same order, inside the App's range.
        assertThat(after).as("same roles in the same order").extracting(r -> roleOf(r.ruleArn()))
                .containsExactlyElementsOf(ours.stream().map(r -> roleOf(r.ruleArn())).toList());
        assertThat(after).extracting(r -> Integer.parseInt(r.priority())).allSatisfy(p -> assertThat(p).isBetween(100, 199));
        assertThat(ecs.describeServices(b -> b.cluster("apps").services(service).include(ServiceField.TAGS)).services().getFirst()
                .desiredCount()).isEqualTo(2);
        double mutations = mutations();
        clock.advance(Duration.ofSeconds(10));
        assertThat(reconciler.reconcile("shop").actionsExecuted()).isZero();
        assertThat(mutations()).as("repaired in one pass: the next one is quiet").isEqualTo(mutations);
    }

    private void convergeLive() {
        for (int pass = 0; pass < 40; pass++) {
            clock.advance(Duration.ofSeconds(10));
            PassResult r = reconciler.reconcile("shop");
            if (r.outcome() == PassResult.Outcome.SUCCEEDED && r.actionsExecuted() == 0 && live()) {
                return;
            }
            registerTargets();
        }
        throw new AssertionError("v1 did not become live: " + store.getVersion(V1).orElseThrow().status());
    }

    private boolean live() {
        return store.getVersion(V1).orElseThrow().status().phase() == Phase.Live;
    }

    private void registerTargets() {
        int n = 10;
        for (TargetGroup tg : setup.describeTargetGroups().targetGroups()) {
            if (setup.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions().isEmpty()) {
                // As many as the version's desired count (2), as ECS would register.
                String a = "10.0.1." + n++;
                String b2 = "10.0.2." + n++;
                setup.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                        .targets(t -> t.id(a).port(tg.port()), t -> t.id(b2).port(tg.port())));
            }
        }
    }

    /** The App's rules by priority, read with the uncounted client. */
    private List<Rule> ownedRules() {
        return setup.describeRules(b -> b.listenerArn(account.listenerArn)).rules().stream()
                .filter(r -> !Boolean.TRUE.equals(r.isDefault()))
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a.priority()), Integer.parseInt(b.priority()))).toList();
    }

    private String roleOf(String ruleArn) {
        return setup.describeTags(b -> b.resourceArns(ruleArn)).tagDescriptions().getFirst().tags().stream()
                .filter(t -> t.key().equals(OwnershipTags.RULE_ROLE)).findFirst().orElseThrow().value();
    }

    private double mutations() {
        return account.registry.find(AwsCallMetrics.CALLS).counters().stream()
                .filter(c -> !CallRates.isRead(c.getId().getTag("operation"))).mapToDouble(Counter::count).sum();
    }

    private Map<String, Double> byOperation() {
        Map<String, Double> out = new TreeMap<>();
        account.registry.find(AwsCallMetrics.CALLS).counters().forEach(c -> out.merge(c.getId().getTag("operation"), c.count(), Double::sum));
        return out;
    }
}
