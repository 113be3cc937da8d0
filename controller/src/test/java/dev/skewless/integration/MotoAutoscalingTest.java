package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.PassResult;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.ResourceNames;
import dev.skewless.testing.MotoServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/**
 * Autoscaling on moto, end to end through the real providers and planner: a version promoted to
 * live gets its scalable target and target tracking policy; superseded, it loses both and runs
 * {@code retainedDesiredCount}; a target deregistered by hand is registered again by the next
 * pass; revoking removes it; and a steady App makes no mutating call, even after Application Auto
 * Scaling changed a desired count.
 */
class MotoAutoscalingTest {
    private static final AutoscalingSpec CPU = new AutoscalingSpec(2, 4, 60, null, null, null);
    private static final AutoscalingSpec REQUESTS = new AutoscalingSpec(2, 5, null, 200, null, null);

    private final MotoWorld world = new MotoWorld();
    private final ApplicationAutoScalingClient aas = ApplicationAutoScalingClient.builder()
            .endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
            .build();
    private MotoWorld.Controller controller;

    @BeforeEach
    void setUp() {
        controller = world.controller();
        world.applyApp("latest");
    }

    @AfterEach
    void close() {
        aas.close();
        world.close();
    }

    @Test
    void liveGetsTargetAndPolicySupersededLosesThemHandDeletionIsRepairedRevokeRemoves() {
        // Promoted to live: a scalable target bounded by the spec and a CPU policy.
        world.applyVersion("v1", CPU);
        world.converge(controller, w -> w.phase("v1") == Phase.Live, 30);
        assertThat(target("v1")).satisfies(t -> {
            assertThat(t.minCapacity()).isEqualTo(2);
            assertThat(t.maxCapacity()).isEqualTo(4);
        });
        assertThat(policies("v1")).singleElement().satisfies(p -> {
            assertThat(p.policyName()).isEqualTo("skewless-" + service("v1"));
            assertThat(p.targetTrackingScalingPolicyConfiguration().targetValue()).isEqualTo(60.0);
            assertThat(p.targetTrackingScalingPolicyConfiguration().predefinedMetricSpecification().predefinedMetricType())
                    .isEqualTo(MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION);
        });
        assertThat(desired("v1")).isEqualTo(2);

        // A newer version goes live: it gets a request-count policy on its own target group; v1 is
        // superseded, off Application Auto Scaling, at retainedDesiredCount (1).
        world.applyVersion("v2", REQUESTS);
        world.converge(controller, w -> w.phase("v2") == Phase.Live && w.phase("v1") == Phase.Superseded, 40);
        assertThat(targets()).extracting(ScalableTarget::resourceId).containsExactly(resourceId("v2"));
        assertThat(policies("v1")).isEmpty();
        assertThat(desired("v1")).isEqualTo(1);
        String tg = world.inventory().targetGroups().stream().filter(r -> "v2".equals(r.version())).findFirst().orElseThrow().arn();
        String lb = world.account.loadBalancerArn;
        assertThat(policies("v2")).singleElement().satisfies(p -> {
            var metric = p.targetTrackingScalingPolicyConfiguration().predefinedMetricSpecification();
            assertThat(metric.predefinedMetricType()).isEqualTo(MetricType.ALB_REQUEST_COUNT_PER_TARGET);
            assertThat(metric.resourceLabel()).isEqualTo(lb.substring(lb.indexOf("loadbalancer/") + "loadbalancer/".length())
                    + "/" + tg.substring(tg.indexOf("targetgroup/")));
            assertThat(p.targetTrackingScalingPolicyConfiguration().targetValue()).isEqualTo(200.0);
        });

        // Steady: no mutating call, also after Application Auto Scaling moved the desired count.
        quietPass();
        world.ecs.updateService(b -> b.cluster(MotoWorld.CLUSTER).service(service("v2")).desiredCount(3));
        world.clock.advance(MotoWorld.STEP);
        double before = controller.mutations();
        PassResult accepted = controller.pass();
        assertThat(accepted.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(controller.mutations()).as("a count within [min, max] is Application Auto Scaling's to choose").isEqualTo(before);
        assertThat(desired("v2")).isEqualTo(3);
        world.ecs.updateService(b -> b.cluster(MotoWorld.CLUSTER).service(service("v2")).desiredCount(2));

        // A scalable target deregistered by hand is back after one pass, its policy with it.
        aas.deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(resourceId("v2")));
        assertThat(targets()).isEmpty();
        world.clock.advance(MotoWorld.STEP);
        PassResult repair = controller.pass();
        assertThat(repair.outcome()).as(repair.error()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(targets()).extracting(ScalableTarget::resourceId).containsExactly(resourceId("v2"));
        assertThat(policies("v2")).hasSize(1);
        quietPass();

        // Revoked: v2 drains, leaves Application Auto Scaling and is deleted; v1 is live again with its own.
        String v2Resource = resourceId("v2");
        world.revoke("v2");
        world.converge(controller, w -> w.phase("v2") == Phase.Retired && w.phase("v1") == Phase.Live, 40);
        assertThat(targets()).extracting(ScalableTarget::resourceId).containsExactly(resourceId("v1")).doesNotContain(v2Resource);
        assertThat(allPolicies()).extracting(ScalingPolicy::resourceId).containsExactly(resourceId("v1"));
        assertThat(desired("v1")).isEqualTo(2);
        quietPass();
    }

    private void quietPass() {
        double mutations = controller.mutations();
        world.clock.advance(MotoWorld.STEP);
        PassResult next = controller.pass();
        assertThat(next.outcome()).as(next.error()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(next.actionsExecuted()).isZero();
        assertThat(controller.mutations()).isEqualTo(mutations);
    }

    private String service(String version) {
        return ResourceNames.service(new VersionKey(MotoWorld.APP, version));
    }

    private String resourceId(String version) {
        return "service/" + MotoWorld.CLUSTER + "/" + service(version);
    }

    private int desired(String version) {
        return world.ecs.describeServices(b -> b.cluster(MotoWorld.CLUSTER).services(service(version))).services().getFirst()
                .desiredCount();
    }

    private List<ScalableTarget> targets() {
        return aas.describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)).scalableTargets();
    }

    private ScalableTarget target(String version) {
        return targets().stream().filter(t -> t.resourceId().equals(resourceId(version))).findFirst().orElseThrow();
    }

    private List<ScalingPolicy> allPolicies() {
        return aas.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.ECS)).scalingPolicies();
    }

    private List<ScalingPolicy> policies(String version) {
        return allPolicies().stream().filter(p -> p.resourceId().equals(resourceId(version))).toList();
    }
}
