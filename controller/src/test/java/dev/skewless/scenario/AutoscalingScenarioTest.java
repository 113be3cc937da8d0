package dev.skewless.scenario;

import static dev.skewless.testing.SkewlessSimulation.autoscaledVersion;
import static dev.skewless.testing.SkewlessSimulation.pinned;
import static dev.skewless.testing.SkewlessSimulation.unpinned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.PassResult;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.Phase;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.observed.ObservedScalingPolicy;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.testing.SkewlessSimulation;
import dev.skewless.testing.TestingCloud;
import dev.skewless.testing.TestingCloud.Operation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Autoscaled versions against in-memory AWS with Application Auto Scaling: the live version and
 * the canary get a scalable target and a policy, superseded versions lose both and run
 * {@code retainedDesiredCount}, drift is repaired within a pass, and revoking removes everything
 * in order. Application Auto Scaling's own scaling is never fought.
 */
class AutoscalingScenarioTest {
    private static final String APP = "shop";
    private SkewlessSimulation sim;

    @BeforeEach
    void setUp() {
        sim = new SkewlessSimulation(11);
        sim.apply(SkewlessSimulation.app(APP, 1000));
    }

    private String resourceId(String version) {
        return ScalableTargetSpec.resourceId(SkewlessSimulation.CLUSTER, ResourceNames.service(new VersionKey(APP, version)));
    }

    private ObservedService service(String version) {
        return sim.cloud.resources().ofVersion(new VersionKey(APP, version)).services().getFirst();
    }

    private List<ObservedScalingPolicy> policies(String version) {
        return sim.cloud.scalingPolicies().stream().filter(p -> p.spec().resourceId().equals(resourceId(version))).toList();
    }

    @Test
    void aPromotedVersionGetsItsTargetAndPolicyAndASupersededOneLosesThem() {
        sim.apply(autoscaledVersion(APP, "v1"));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        var target = sim.cloud.scalableTargets().get(resourceId("v1"));
        assertThat(target).isNotNull();
        assertThat(target.target().minCapacity()).isEqualTo(2);
        assertThat(target.target().maxCapacity()).isEqualTo(4);
        assertThat(target.tags()).containsEntry("skewless.dev/managed-by", "skewless").containsEntry("skewless.dev/version", "v1");
        assertThat(policies("v1")).singleElement().satisfies(p -> {
            assertThat(p.spec().metric()).isEqualTo(AutoscalingSpec.Metric.CPU);
            assertThat(p.spec().targetValue()).isEqualTo(60);
            assertThat(p.spec().resourceLabel()).isNull();
            assertThat(p.spec().scaleInCooldownSeconds()).isEqualTo(300);
        });
        // Provisioned at minCount.
        assertThat(service("v1").desiredCount()).isEqualTo(2);

        sim.apply(autoscaledVersion(APP, "v2"));
        sim.converge(APP);
        assertThat(sim.phase(APP, "v2")).isEqualTo(Phase.Live);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Superseded);
        assertThat(sim.cloud.scalableTargets()).containsOnlyKeys(resourceId("v2"));
        assertThat(policies("v1")).isEmpty();
        assertThat(policies("v2")).hasSize(1);
        // retainedDesiredCount of the test App is 1.
        assertThat(service("v1").desiredCount()).isEqualTo(1);
        assertThat(sim.get(APP, "v1").status().desiredCount()).isEqualTo(1);
        assertThat(sim.target(pinned("v1"))).isEqualTo("v1");
        assertThat(sim.target(unpinned())).isEqualTo("v2");
    }

    @Test
    void theTargetIsOffApplicationAutoScalingBeforeTheServiceShrinks() {
        sim.apply(autoscaledVersion(APP, "v1"));
        sim.converge(APP);
        sim.apply(autoscaledVersion(APP, "v2"));
        sim.converge(APP);

        List<TestingCloud.Mutation> v1 = sim.cloud.journal().stream()
                .filter(m -> "v1".equals(m.tags().get("skewless.dev/version"))).toList();
        int deregistered = indexOf(v1, Operation.DEREGISTER_SCALABLE_TARGET);
        int scaledDown = indexOf(v1, Operation.SCALE_SERVICE);
        assertThat(deregistered).isNotNegative();
        assertThat(indexOf(v1, Operation.DELETE_SCALING_POLICY)).isBetween(0, deregistered);
        assertThat(scaledDown).isGreaterThan(deregistered);
    }

    @Test
    void applicationAutoScalingsChoiceIsNotFought() {
        sim.apply(autoscaledVersion(APP, "v1"));
        sim.converge(APP);
        int mutations = sim.cloud.mutatingCalls();

        assertThat(sim.cloud.autoscale(resourceId("v1"), 4)).isTrue();
        sim.clock.advance(Duration.ofMinutes(1));
        sim.converge(APP);

        assertThat(sim.cloud.mutatingCalls()).isEqualTo(mutations);
        assertThat(service("v1").desiredCount()).isEqualTo(4);
        assertThat(sim.get(APP, "v1").status().desiredCount()).isEqualTo(4);
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        // A steady pass of an autoscaled App makes no mutation at all.
        PassResult steady = sim.pass(APP);
        assertThat(steady.actionsExecuted()).isZero();
    }

    @Test
    void aTargetDeregisteredByHandIsBackAfterOnePass() {
        sim.apply(autoscaledVersion(APP, "v1"));
        sim.converge(APP);

        sim.cloud.deregisterScalableTargetOutOfBand(resourceId("v1"));
        assertThat(sim.cloud.scalableTargets()).isEmpty();
        sim.pass(APP);

        assertThat(sim.cloud.scalableTargets()).containsOnlyKeys(resourceId("v1"));
        assertThat(policies("v1")).hasSize(1);
    }

    @Test
    void aChangedTargetOrBoundIsRepairedAndAutoscalingCanBeTurnedOff() {
        sim.apply(autoscaledVersion(APP, "v1"));
        sim.converge(APP);

        sim.editVersion(APP, "v1", s -> s.withAutoscaling(new AutoscalingSpec(3, 6, null, 500, null, Duration.ofSeconds(60))));
        sim.converge(APP);
        var target = sim.cloud.scalableTargets().get(resourceId("v1")).target();
        assertThat(target.minCapacity()).isEqualTo(3);
        assertThat(target.maxCapacity()).isEqualTo(6);
        assertThat(service("v1").desiredCount()).isEqualTo(3);
        String tg = sim.cloud.resources().ofVersion(new VersionKey(APP, "v1")).targetGroups().getFirst().arn();
        assertThat(policies("v1")).singleElement().satisfies(p -> {
            assertThat(p.spec().metric()).isEqualTo(AutoscalingSpec.Metric.REQUESTS);
            assertThat(p.spec().targetValue()).isEqualTo(500);
            assertThat(p.spec().scaleOutCooldownSeconds()).isEqualTo(60);
            // app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>
            assertThat(p.spec().resourceLabel()).startsWith("app/web/").endsWith(tg.substring(tg.indexOf("targetgroup/")));
        });

        sim.editVersion(APP, "v1", s -> s.withAutoscaling(null));
        sim.converge(APP);
        assertThat(sim.cloud.scalableTargets()).isEmpty();
        assertThat(sim.cloud.scalingPolicies()).isEmpty();
        assertThat(service("v1").desiredCount()).isEqualTo(2);
    }

    @Test
    void revokingRemovesTheTargetBeforeTheServiceGoes() {
        sim.apply(autoscaledVersion(APP, "v1"));
        sim.converge(APP);
        sim.apply(autoscaledVersion(APP, "v2"));
        sim.converge(APP);

        sim.revoke(APP, "v2");
        sim.after(Duration.ofMinutes(2), APP);

        assertThat(sim.phase(APP, "v2")).isEqualTo(Phase.Retired);
        // v1 is live again: it gets its target and policy back, at its full size.
        assertThat(sim.phase(APP, "v1")).isEqualTo(Phase.Live);
        assertThat(sim.cloud.scalableTargets()).containsOnlyKeys(resourceId("v1"));
        assertThat(policies("v1")).hasSize(1);
        assertThat(service("v1").desiredCount()).isEqualTo(2);
        List<TestingCloud.Mutation> v2 = sim.cloud.journal().stream()
                .filter(m -> "v2".equals(m.tags().get("skewless.dev/version"))).toList();
        assertThat(indexOf(v2, Operation.DEREGISTER_SCALABLE_TARGET)).isNotNegative()
                .isLessThan(indexOf(v2, Operation.DELETE_SERVICE));
    }

    @Test
    void theCanaryAutoscalesToo() {
        sim.apply(autoscaledVersion(APP, "v1"));
        sim.converge(APP);
        sim.editApp(APP, s -> new dev.skewless.model.AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec("v1", null), s.local()));
        sim.apply(autoscaledVersion(APP, "v2"));
        sim.converge(APP);
        assertThat(sim.cloud.scalableTargets()).containsOnlyKeys(resourceId("v1"));

        sim.editApp(APP, s -> new dev.skewless.model.AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec("v1", new ReleaseSpec.Canary("v2", 10)), s.local()));
        sim.converge(APP);
        assertThat(sim.cloud.scalableTargets()).containsOnlyKeys(resourceId("v1"), resourceId("v2"));

        // Growing, the canary keeps its share.
        sim.cloud.autoscale(resourceId("v2"), 4);
        sim.pass(APP);
        assertThat(sim.store.getApp(APP).orElseThrow().status().canaryVersion()).isEqualTo("v2");
        sim.converge(APP);
        assertThat(service("v2").desiredCount()).isEqualTo(4);

        sim.editApp(APP, s -> new dev.skewless.model.AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec("v1", null), s.local()));
        sim.converge(APP);
        assertThat(sim.cloud.scalableTargets()).containsOnlyKeys(resourceId("v1"));
    }

    private static int indexOf(List<TestingCloud.Mutation> mutations, Operation op) {
        for (int i = 0; i < mutations.size(); i++) {
            if (mutations.get(i).operation() == op) {
                return i;
            }
        }
        return -1;
    }
}
