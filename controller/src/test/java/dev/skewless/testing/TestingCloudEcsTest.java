package dev.skewless.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedService.Rollout;
import dev.skewless.plan.observed.ObservedService.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestingCloudEcsTest extends TestingCloudCase {
    @Test
    void taskDefinitionRevisionsCountUpAndDeregisteredOnesAreNotListed() {
        String r1 = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String r2 = compute.registerTaskDefinition(tdSpec(V1, "img:2", 256, 512));
        assertThat(r1).endsWith(":task-definition/" + ResourceNames.taskFamily(V1) + ":1");
        assertThat(r2).endsWith(":2");

        compute.deregisterTaskDefinition(r1);
        compute.deregisterTaskDefinition(r1);
        assertThat(compute.observe(app("shop")).taskDefinitions()).extracting(t -> t.arn()).containsExactly(r2);
        assertFails(() -> compute.deregisterTaskDefinition("arn:missing"), Kind.NOT_FOUND, "ClientException");

        compute.deregisterTaskDefinition(r2);
        assertThat(compute.registerTaskDefinition(tdSpec(V1, "img:3", 256, 512))).as("revisions are never reused").endsWith(":3");
    }

    @Test
    void fargateSizesMustBeAValidPair() {
        assertFails(() -> compute.registerTaskDefinition(tdSpec(V1, "img", 256, 4096)), Kind.INVALID, "ClientException");
        assertFails(() -> compute.registerTaskDefinition(tdSpec(V1, "img", 300, 512)), Kind.INVALID, "ClientException");
        compute.registerTaskDefinition(tdSpec(V1, "img", 1024, 3072));
        compute.registerTaskDefinition(tdSpec(V1, "img", 16384, 122880));
    }

    @Test
    void aServiceNeedsAnActiveTaskDefinitionAnExistingClusterAndTargetGroup() {
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String tg = targetGroup(V1);
        compute.deregisterTaskDefinition(td);
        assertFails(() -> compute.createService(serviceSpec(V1, td, tg, 1)), Kind.INVALID, "ClientException");
        assertFails(() -> compute.createService(serviceSpec(V1, "arn:unknown", tg, 1)), Kind.INVALID, "ClientException");

        String td2 = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        ServiceSpec elsewhere = new ServiceSpec("no-such-cluster", "svc", td2, 1, List.of(), List.of(), false, tg, "shop",
                8080, ours(V1));
        assertFails(() -> compute.createService(elsewhere), Kind.INVALID, "ClusterNotFoundException");
        assertFails(() -> compute.createService(serviceSpec(V1, td2, "arn:missing-tg", 1)), Kind.INVALID,
                "InvalidParameterException");
    }

    @Test
    void realEcsWantsTheTargetGroupOnALoadBalancerWhenAsked() {
        cloud.requireTargetGroupOnLoadBalancer(true);
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String tg = targetGroup(V1);
        ActionException e = failure(() -> compute.createService(serviceSpec(V1, td, tg, 1)));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.getMessage()).contains("does not have an associated load balancer");

        router.createRule(LISTENER, 10, rule("v1", AlbAction.Forward.to(tg)), ours(V1));
        compute.createService(serviceSpec(V1, td, tg, 1));
    }

    @Test
    void rolloutIsInProgressUntilTheStartupDelayThenCompleted() {
        cloud.startupDelay(Duration.ofSeconds(20));
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String svc = compute.createService(serviceSpec(V1, td, targetGroup(V1), 3));

        assertThat(service()).satisfies(s -> {
            assertThat(s.arn()).isEqualTo(svc);
            assertThat(s.status()).isEqualTo(Status.ACTIVE);
            assertThat(s.rollout()).isEqualTo(Rollout.IN_PROGRESS);
            assertThat(s.runningCount()).isZero();
            assertThat(s.desiredCount()).isEqualTo(3);
        });
        clock.advance(Duration.ofSeconds(19));
        assertThat(service().rollout()).isEqualTo(Rollout.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(1));
        assertThat(service().rollout()).isEqualTo(Rollout.COMPLETED);
        assertThat(service().runningCount()).isEqualTo(3);
    }

    @Test
    void aBadImageFailsTheRolloutWithNothingRunning() {
        cloud.failImage("img:bad");
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:bad", 256, 512));
        compute.createService(serviceSpec(V1, td, targetGroup(V1), 2));
        clock.advance(Duration.ofMinutes(1));
        assertThat(service().rollout()).isEqualTo(Rollout.FAILED);
        assertThat(service().runningCount()).isZero();
    }

    @Test
    void scalingMovesRunningToDesiredAfterTheDelay() {
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String svc = compute.createService(serviceSpec(V1, td, targetGroup(V1), 2));
        clock.advance(Duration.ofSeconds(30));

        compute.scaleService(CLUSTER, svc, 1);
        assertThat(service().desiredCount()).isEqualTo(1);
        assertThat(service().runningCount()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(30));
        assertThat(service().runningCount()).isEqualTo(1);
        assertThat(service().rollout()).isEqualTo(Rollout.COMPLETED);

        assertFails(() -> compute.scaleService(CLUSTER, "arn:missing", 1), Kind.NOT_FOUND, "ServiceNotFoundException");
        assertFails(() -> compute.scaleService(CLUSTER, svc, -1), Kind.INVALID, "InvalidParameterException");
    }

    @Test
    void updateStartsANewDeploymentWhenTheTaskDefinitionChanges() {
        String td1 = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String tg = targetGroup(V1);
        String svc = compute.createService(serviceSpec(V1, td1, tg, 2));
        clock.advance(Duration.ofSeconds(30));
        String td2 = compute.registerTaskDefinition(tdSpec(V1, "img:2", 256, 512));

        compute.updateService(svc, serviceSpec(V1, td2, tg, 2));

        assertThat(service().taskDefinitionArn()).isEqualTo(td2);
        assertThat(service().rollout()).isEqualTo(Rollout.IN_PROGRESS);
        assertThat(service().runningCount()).as("old tasks keep serving").isEqualTo(2);
        clock.advance(Duration.ofSeconds(30));
        assertThat(service().rollout()).isEqualTo(Rollout.COMPLETED);
    }

    @Test
    void namesAreUniqueAmongActiveAndDrainingServicesAndReusableOnceInactive() {
        cloud.drainDelay(Duration.ofSeconds(10));
        String td = compute.registerTaskDefinition(tdSpec(V1, "img:1", 256, 512));
        String tg = targetGroup(V1);
        String svc = compute.createService(serviceSpec(V1, td, tg, 1));
        assertFails(() -> compute.createService(serviceSpec(V1, td, tg, 1)), Kind.CONFLICT, "ServiceAlreadyExists");

        assertFails(() -> compute.deleteService(CLUSTER, svc), Kind.INVALID, "InvalidParameterException");
        compute.scaleService(CLUSTER, svc, 0);
        compute.deleteService(CLUSTER, svc);
        compute.deleteService(CLUSTER, svc);
        assertThat(service().status()).isEqualTo(Status.DRAINING);
        assertFails(() -> compute.createService(serviceSpec(V1, td, tg, 1)), Kind.CONFLICT, "ServiceAlreadyExists");
        assertFails(() -> compute.scaleService(CLUSTER, svc, 1), Kind.CONFLICT, "ServiceNotActiveException");

        clock.advance(Duration.ofSeconds(10));
        assertThat(compute.observe(app("shop")).services()).isEmpty();
        cloud.listInactiveServices(true);
        assertThat(service().status()).isEqualTo(Status.INACTIVE);
        cloud.listInactiveServices(false);

        compute.createService(serviceSpec(V1, td, tg, 1));
        assertThat(service().status()).isEqualTo(Status.ACTIVE);
        compute.deleteService(CLUSTER, "arn:missing");
    }

    ObservedService service() {
        return compute.observe(app("shop")).services().stream().filter(s -> s.name().equals(ResourceNames.service(V1)))
                .reduce((a, b) -> b).orElseThrow();
    }
}
