package dev.skewless.platform.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.plan.observed.ObservedService.Rollout;
import dev.skewless.plan.observed.ObservedService.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

/** What moto cannot produce: failed rollouts, DRAINING, deployments without a rollout state. */
class EcsShapesTest {
    @Test
    void rolloutIsThePrimaryDeployments() {
        assertThat(rollout(service(2, 2, primary(DeploymentRolloutState.FAILED)))).isEqualTo(Rollout.FAILED);
        assertThat(rollout(service(2, 2, primary(DeploymentRolloutState.IN_PROGRESS),
                Deployment.builder().status("ACTIVE").rolloutState(DeploymentRolloutState.COMPLETED).taskDefinition("td:1").build())))
                .isEqualTo(Rollout.IN_PROGRESS);
        assertThat(rollout(service(2, 2, primary(DeploymentRolloutState.COMPLETED)))).isEqualTo(Rollout.COMPLETED);
    }

    @Test
    void withoutARolloutStateASingleFullyRunningDeploymentIsComplete() {
        assertThat(rollout(service(2, 2, primary(null)))).isEqualTo(Rollout.COMPLETED);
        assertThat(rollout(service(2, 1, primary(null)))).isEqualTo(Rollout.IN_PROGRESS);
        assertThat(rollout(service(2, 2))).as("no primary deployment").isEqualTo(Rollout.IN_PROGRESS);
    }

    @Test
    void statusesAndFamilies() {
        assertThat(EcsComputePlatform.status("ACTIVE")).isEqualTo(Status.ACTIVE);
        assertThat(EcsComputePlatform.status("DRAINING")).isEqualTo(Status.DRAINING);
        assertThat(EcsComputePlatform.status("INACTIVE")).isEqualTo(Status.INACTIVE);
        assertThat(EcsComputePlatform.family("arn:aws:ecs:us-east-1:123456789012:task-definition/shop-v1_2-abc123:17"))
                .isEqualTo("shop-v1_2-abc123");
    }

    private static Rollout rollout(Service s) {
        return EcsComputePlatform.observed(s, "apps", Status.ACTIVE, Map.of()).rollout();
    }

    private static Deployment primary(DeploymentRolloutState state) {
        return Deployment.builder().status("PRIMARY").rolloutState(state).taskDefinition("td:2").build();
    }

    private static Service service(int desired, int running, Deployment... deployments) {
        return Service.builder().serviceArn("arn").serviceName("shop-v1").status("ACTIVE").desiredCount(desired).runningCount(running)
                .taskDefinition("td:2").deployments(deployments).build();
    }
}
