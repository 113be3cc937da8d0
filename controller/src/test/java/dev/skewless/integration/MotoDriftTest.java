package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
import dev.skewless.integration.MotoWorld.Res;
import dev.skewless.model.Phase;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.service.ControllerMetrics;
import dev.skewless.service.SoleLeaderLease;
import dev.skewless.service.StatusFeed;
import dev.skewless.testing.CountingVersionStore;
import dev.skewless.testing.SkewlessSimulation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * Drift on moto, made with direct SDK calls as an operator would: a pin rule deleted, a rule moved,
 * a target group deleted (after the rules that use it, which ALB requires), services scaled. Each
 * is repaired by the next pass (the target group, whose dependants need its new ARN observed, by
 * the passes the engine schedules itself at its poll interval, well inside one resync). Another
 * team's rule, inside the App's priority range, and its target group on the same listener are
 * never touched.
 */
class MotoDriftTest {
    private final MotoWorld world = new MotoWorld();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MotoWorld.Controller controller;
    private CountingVersionStore statusWrites;
    private String foreignTargetGroup;
    private String foreignRuleInRange;
    private String foreignRuleOutside;

    @BeforeEach
    void setUp() {
        foreignTargetGroup = world.elb.createTargetGroup(b -> b.name("team-b-api").protocol(ProtocolEnum.HTTP).port(9000)
                .vpcId(world.account.vpcId).targetType(TargetTypeEnum.IP).tags(t -> t.key("team").value("b"))).targetGroups().getFirst()
                .targetGroupArn();
        foreignRuleInRange = world.elb.createRule(b -> b.listenerArn(world.account.listenerArn).priority(102)
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/api/*")),
                        c -> c.field("http-header").httpHeaderConfig(h -> h.httpHeaderName("x-team").values("b")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(foreignTargetGroup))
                .tags(t -> t.key("team").value("b"))).rules().getFirst().ruleArn();
        foreignRuleOutside = world.elb.createRule(b -> b.listenerArn(world.account.listenerArn).priority(10)
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/admin/*")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(foreignTargetGroup))).rules().getFirst().ruleArn();

        controller = world.controller();
        // Counted like production: status writes at the store, drift repairs in the controller's metrics.
        statusWrites = new CountingVersionStore(world.store);
        ControllerMetrics metrics = new ControllerMetrics(registry, new StatusFeed(world.store, Duration.ofMinutes(1)), () -> null,
                new SoleLeaderLease("drift-test"));
        controller.reconciler = new AppReconciler(statusWrites, controller.compute, controller.router,
                new Planner(PlannerConfig.DEFAULT)::plan, world.clock, () -> true, metrics);
        world.applyApp("latest");
        world.applyVersion("v1");
        world.converge(controller, w -> w.phase("v1") == Phase.Live, 30);
        world.applyVersion("v2");
        world.converge(controller, w -> w.phase("v2") == Phase.Live && w.phase("v1") == Phase.Superseded, 30);
        steadyPass();
        assertThat(driftRepairs()).as("provisioning and a release are not drift").isEmpty();
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void driftIsRepairedAndForeignResourcesAreNeverTouched() {
        Map<String, Object> foreignBefore = foreign();
        List<String> roles = roles();
        assertThat(roles).containsExactly("navigate", "pin.header.v2", "pin.header.v1", "expired.header", "pin.query.v2", "pin.query.v1",
                "expired.query", "unpinned");
        assertThat(world.rules()).extracting(r -> Integer.parseInt(r.priority())).contains(102).doesNotHaveDuplicates();

        // 1. A pin rule deleted: v1's header pins now fall to the catch-all (410) until the next pass.
        world.elb.deleteRule(b -> b.ruleArn(rule("pin.header.v1").ruleArn()));
        assertThat(world.target(SkewlessSimulation.pinned("v1"))).isEqualTo("410");
        onePassRepairs();
        assertThat(roles()).isEqualTo(roles);
        assertThat(world.target(SkewlessSimulation.pinned("v1"))).isEqualTo("v1");
        assertThat(driftRepairs()).isEqualTo(Map.of("rule", 1.0));

        // 2. A rule moved behind the unpinned rule: v2's query pins would reach the catch-all first.
        world.elb.setRulePriorities(b -> b.rulePriorities(p -> p.ruleArn(rule("pin.query.v2").ruleArn()).priority(195)));
        assertThat(roles()).isNotEqualTo(roles);
        onePassRepairs();
        assertThat(roles()).isEqualTo(roles);
        assertThat(world.target(SkewlessSimulation.pinnedByQuery("v2"))).isEqualTo("v2");
        assertThat(driftRepairs()).isEqualTo(Map.of("rule", 1.0, "rule-priority", 1.0));

        // 3. Services scaled: the live one up, the superseded one to zero.
        world.ecs.updateService(b -> b.cluster(MotoWorld.CLUSTER).service(service("v2")).desiredCount(7));
        world.ecs.updateService(b -> b.cluster(MotoWorld.CLUSTER).service(service("v1")).desiredCount(0));
        onePassRepairs();
        assertThat(desired("v2")).isEqualTo(2);
        assertThat(desired("v1")).as("retainedDesiredCount").isEqualTo(1);
        assertThat(driftRepairs()).isEqualTo(Map.of("rule", 1.0, "rule-priority", 1.0, "scale", 2.0));

        // 4. A pin rule's conditions changed by hand: set back in place.
        world.elb.modifyRule(b -> b.ruleArn(rule("pin.header.v2").ruleArn())
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/elsewhere/*"))));
        onePassRepairs();
        assertThat(world.target(SkewlessSimulation.pinned("v2"))).isEqualTo("v2");
        assertThat(driftRepairs()).isEqualTo(Map.of("rule", 1.0, "rule-priority", 1.0, "scale", 2.0, "rule-spec", 1.0));

        // 5. v1's target group deleted; ALB refuses while rules use it, so an operator deletes those first.
        String oldTg = targetGroup("v1");
        java.time.Instant supersededAt = supersededAt("v1");
        assertThat(supersededAt).isNotNull();
        world.elb.deleteRule(b -> b.ruleArn(rule("pin.header.v1").ruleArn()));
        world.elb.deleteRule(b -> b.ruleArn(rule("pin.query.v1").ruleArn()));
        world.elb.deleteTargetGroup(b -> b.targetGroupArn(oldTg));
        assertThat(world.inventory().targetGroups()).extracting(Res::version).doesNotContain("v1");
        int passes = 0;
        PassResult r;
        List<String> trace = new java.util.ArrayList<>();
        do {
            world.clock.advance(MotoWorld.STEP);
            r = controller.pass();
            passes++;
            trace.add(r.actionsExecuted() + " actions, requeue " + r.requeueAfter() + ", " + world.phases());
            assertThat(r.outcome()).as("pass %d: %s", passes, r.error()).isEqualTo(PassResult.Outcome.SUCCEEDED);
            world.registerTargets();
            if (roles().equals(roles)) {
                break;
            }
            assertThat(r.requeueAfter()).as("until repaired, the engine looks again at its poll interval, not at the next resync")
                    .isLessThanOrEqualTo(PlannerConfig.DEFAULT.pollWhileProgressing());
        } while (passes < 12);
        assertThat(roles()).as("trace %s", trace).isEqualTo(roles);
        assertThat(passes).as("passes to repair a deleted target group").isLessThanOrEqualTo(6);
        quietPass();
        String newTg = targetGroup("v1");
        assertThat(newTg).isNotEqualTo(oldTg);
        assertThat(world.ecs.describeServices(b -> b.cluster(MotoWorld.CLUSTER).services(service("v1")).include(ServiceField.TAGS))
                .services().getFirst().loadBalancers()).extracting(lb -> lb.targetGroupArn()).containsExactly(newTg);
        assertThat(roles()).isEqualTo(roles);
        assertThat(world.phase("v1")).isEqualTo(Phase.Superseded);
        assertThat(supersededAt("v1")).as("rebuilding v1 does not extend its retention").isEqualTo(supersededAt);
        assertThat(world.target(SkewlessSimulation.pinned("v1"))).isEqualTo("v1");
        assertThat(world.target(SkewlessSimulation.pinnedByQuery("v1"))).isEqualTo("v1");
        MotoWorld.Inventory inv = world.inventory();
        assertThat(MotoWorld.countBy(inv.ours().stream().filter(x -> !x.kind().equals("rule")).toList(), x -> x.kind() + ":" + x.version()))
                .as("no duplicate, no orphan").isEqualTo(Map.of("targetGroup:v1", 1L, "targetGroup:v2", 1L, "service:v1", 1L,
                        "service:v2", 1L, "taskDefinition:v1", 1L, "taskDefinition:v2", 1L));

        steadyPass();
        assertThat(driftRepairs()).as("the target group's re-creation counts; what follows from it (service re-attached, rules"
                + " re-created for a version rebuilt) is the controller's own progress").isEqualTo(
                Map.of("rule", 1.0, "rule-priority", 1.0, "scale", 2.0, "rule-spec", 1.0, "target-group", 1.0));

        assertThat(foreign()).as("foreign rules and target group untouched").isEqualTo(foreignBefore);
        assertThat(world.target(new dev.skewless.plan.routing.HttpRequest("app.example.com", "/api/orders",
                Map.of("x-team", List.of("b")), List.of()))).isEqualTo("foreign:team-b-api");
    }

    /** One pass repairs the drift; the pass after it has nothing to do. */
    private void onePassRepairs() {
        world.clock.advance(MotoWorld.STEP);
        PassResult repair = controller.pass();
        assertThat(repair.outcome()).as(repair.error()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(repair.actionsExecuted()).isPositive();
        quietPass();
    }

    /** Drift repairs counted so far, by kind ({@code skewless_drift_repairs_total}). */
    private Map<String, Double> driftRepairs() {
        Map<String, Double> out = new TreeMap<>();
        registry.find("skewless.drift.repairs").counters().forEach(c -> out.merge(c.getId().getTag("kind"), c.count(), Double::sum));
        return out;
    }

    /** Settled: a pass, however much later, writes nothing to the store and changes nothing in AWS. */
    private void steadyPass() {
        quietPass();
        int writes = statusWrites.statusWriteCount();
        world.clock.advance(Duration.ofMinutes(10));
        PassResult steady = controller.pass();
        assertThat(steady.actionsExecuted()).isZero();
        assertThat(steady.statusWrites()).isZero();
        assertThat(statusWrites.statusWriteCount()).as("store writes of a steady pass").isEqualTo(writes);
    }

    /** A pass with nothing to do: no action, no mutating AWS call. */
    private void quietPass() {
        double mutations = controller.mutations();
        world.clock.advance(MotoWorld.STEP);
        PassResult next = controller.pass();
        assertThat(next.actionsExecuted()).as("repaired: nothing left to do").isZero();
        assertThat(controller.mutations()).isEqualTo(mutations);
    }

    /** The foreign rules (as listed, with tags) and target group (with tags and attributes). */
    private Map<String, Object> foreign() {
        Map<String, Object> out = new TreeMap<>();
        for (Rule r : world.rules()) {
            if (r.ruleArn().equals(foreignRuleInRange) || r.ruleArn().equals(foreignRuleOutside)) {
                out.put(r.ruleArn(), r);
            }
        }
        TargetGroup tg = world.elb.describeTargetGroups(b -> b.targetGroupArns(foreignTargetGroup)).targetGroups().getFirst();
        out.put(foreignTargetGroup, tg);
        out.put("tags", world.elbTags(List.of(foreignRuleInRange, foreignRuleOutside, foreignTargetGroup)));
        out.put("attributes", world.elb.describeTargetGroupAttributes(b -> b.targetGroupArn(foreignTargetGroup)).attributes());
        assertThat(out).containsKeys(foreignRuleInRange, foreignRuleOutside);
        return out;
    }

    private List<String> roles() {
        return world.inventory().rules().stream().filter(Res::ours).map(Res::role).toList();
    }

    private Rule rule(String role) {
        String arn = world.inventory().rules().stream().filter(r -> role.equals(r.role())).findFirst().orElseThrow().arn();
        return world.rules().stream().filter(r -> r.ruleArn().equals(arn)).findFirst().orElseThrow();
    }

    private String service(String version) {
        return world.inventory().services().stream().filter(s -> version.equals(s.version())).findFirst().orElseThrow().arn();
    }

    private String targetGroup(String version) {
        return world.inventory().targetGroups().stream().filter(s -> version.equals(s.version())).findFirst().orElseThrow().arn();
    }

    private java.time.Instant supersededAt(String version) {
        return world.store.getVersion(new dev.skewless.model.VersionKey(MotoWorld.APP, version)).orElseThrow().status().supersededAt();
    }

    private int desired(String version) {
        return world.ecs.describeServices(b -> b.cluster(MotoWorld.CLUSTER).services(service(version))).services().getFirst()
                .desiredCount();
    }
}
