package dev.skewless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.api.ControllerServer;
import dev.skewless.store.kubernetes.AppVersionResource;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas in one JVM against one API server, AWS on moto: one leads through the
 * coordination.k8s.io Lease, the other stands by with warm caches and makes no AWS call at all.
 * The leader stopped, the standby takes the Lease over and carries on from the records' statuses,
 * with no duplicate AWS resource.
 */
@Tag("kubernetes")
class OperatorLeadershipTest {
    private static final String NAMESPACE = "leaders";
    private static KubeApiServer kube;

    private OperatorWorld world;
    private final AtomicInteger lost = new AtomicInteger();

    @BeforeAll
    static void apiServer() {
        kube = KubeApiServer.start();
        try (KubernetesClient admin = kube.client()) {
            SkewlessCrds.install(admin);
        }
    }

    @AfterAll
    static void stopApiServer() {
        kube.close();
    }

    @BeforeEach
    void start() {
        world = new OperatorWorld(kube, NAMESPACE);
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private static ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
    }

    @Test
    void theStandbyMakesNoAwsCallAndTakesOverWithoutDuplicates() {
        ControllerServer.Running<SkewlessOperator> a = world.startOperator("replica-a", lost::incrementAndGet);
        world.closeLater(a);
        await(Duration.ofSeconds(60)).until(() -> a.runtime().isLeader());
        ControllerServer.Running<SkewlessOperator> b = world.startOperator("replica-b", lost::incrementAndGet);
        world.closeLater(b);
        await(Duration.ofSeconds(60)).until(() -> "standby".equals(b.runtime().readiness().state()));
        assertThat(holder()).isEqualTo("replica-a");

        world.applyApp("shop");
        world.applyVersion("shop", "v1");
        await(Duration.ofMinutes(3)).until(() -> {
            world.registerTargets();
            return "Live".equals(phase("v1"));
        });
        assertThat(OperatorWorld.awsCalls(a.runtime())).as("the leader's AWS calls").isPositive();
        assertThat(OperatorWorld.awsCalls(b.runtime())).as("the standby's AWS calls").isZero();
        assertThat(b.runtime().events().recent("shop", 100)).as("the standby's decisions").isEmpty();

        // The leader stops (as on SIGTERM): it releases the Lease, the standby takes over.
        a.close();
        await(Duration.ofSeconds(60)).until(() -> b.runtime().isLeader());
        assertThat(holder()).isEqualTo("replica-b");
        assertThat(b.runtime().readiness().ready()).isTrue();

        world.applyVersion("shop", "v2");
        await(Duration.ofMinutes(3)).until(() -> {
            world.registerTargets();
            return "Live".equals(phase("v2")) && "Superseded".equals(phase("v1"));
        });
        assertThat(OperatorWorld.awsCalls(b.runtime())).as("the new leader's AWS calls").isPositive();
        Map<String, Long> owned = world.owned("shop").stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(owned).as("one of each resource per version").containsEntry("service v1", 1L).containsEntry("service v2", 1L)
                .containsEntry("targetGroup v1", 1L).containsEntry("targetGroup v2", 1L)
                .containsEntry("taskDefinition v1", 1L).containsEntry("taskDefinition v2", 1L);
        assertThat(lost.get()).as("no replica lost the Lease while running").isZero();
    }

    private String phase(String id) {
        AppVersionResource v = world.admin.resources(AppVersionResource.class).inNamespace(NAMESPACE).withName("shop." + id).get();
        return v == null || v.getStatus() == null ? null : v.getStatus().path("phase").asText(null);
    }

    private String holder() {
        Lease lease = world.admin.leases().inNamespace(NAMESPACE).withName(OperatorSettings.DEFAULT_LEASE_NAME).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

}
