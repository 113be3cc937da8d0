package dev.skewless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.api.ControllerServer;
import dev.skewless.store.kubernetes.AppVersionResource;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The leader is {@code skewless operator} in its own JVM, started the way a container starts it,
 * and is killed with SIGKILL in the middle of a release: no shutdown hook runs and the Lease is not
 * released. The standby (in this JVM, so its AWS calls can be counted) has made no AWS call until
 * then; it takes the Lease once the dead holder's lease duration has passed and finishes the
 * release from the records' statuses and the observed cloud, with one of each resource per version.
 */
@Tag("kubernetes")
class OperatorKilledLeaderTest {
    private static final String NAMESPACE = "killed";
    private static KubeApiServer kube;

    private OperatorWorld world;
    private Process leader;
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

    @AfterEach
    void stop() {
        if (leader != null && leader.isAlive()) {
            leader.destroyForcibly();
        }
        if (world != null) {
            world.close();
        }
    }

    private static ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
    }

    @Test
    void aKilledLeaderIsReplacedAndTheReleaseCompletesWithoutDuplicates() throws Exception {
        world = new OperatorWorld(kube, NAMESPACE);
        leader = startOperatorProcess("replica-a");
        await(Duration.ofSeconds(90)).until(() -> {
            assertThat(leader.isAlive()).as("the operator process is running; see " + log()).isTrue();
            return "replica-a".equals(holder());
        });
        ControllerServer.Running<SkewlessOperator> standby = world.startOperator("replica-b", lost::incrementAndGet);
        world.closeLater(standby);
        await(Duration.ofSeconds(60)).until(() -> "standby".equals(standby.runtime().readiness().state()));

        world.applyApp("shop");
        world.applyVersion("shop", "v1");
        await(Duration.ofMinutes(3)).until(() -> {
            world.registerTargets();
            return "Live".equals(phase("v1"));
        });
        assertThat(OperatorWorld.awsCalls(standby.runtime())).as("the standby's AWS calls").isZero();

        // v2 is on its way (its target group exists) when the leader dies.
        world.applyVersion("shop", "v2");
        await(Duration.ofMinutes(2)).until(() -> world.owned("shop").contains("targetGroup v2"));
        leader.destroyForcibly(); // SIGKILL
        assertThat(leader.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(holder()).as("a killed leader does not release the Lease").isEqualTo("replica-a");

        await(Duration.ofSeconds(90)).until(() -> standby.runtime().isLeader());
        assertThat(holder()).isEqualTo("replica-b");
        await(Duration.ofMinutes(3)).until(() -> {
            world.registerTargets();
            return "Live".equals(phase("v2")) && "Superseded".equals(phase("v1"));
        });
        assertThat(OperatorWorld.awsCalls(standby.runtime())).as("the new leader's AWS calls").isPositive();
        Map<String, Long> owned = world.owned("shop").stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(owned).as("one of each resource per version").containsEntry("service v1", 1L).containsEntry("service v2", 1L)
                .containsEntry("targetGroup v1", 1L).containsEntry("targetGroup v2", 1L)
                .containsEntry("taskDefinition v1", 1L).containsEntry("taskDefinition v2", 1L);
        assertThat(lost.get()).as("the new leader never lost the Lease").isZero();
    }

    /** {@code skewless operator} as the Deployment runs it: the CLI's main, a kubeconfig, AWS from the environment. */
    private Process startOperatorProcess(String hostname) throws IOException {
        Path dir = Path.of("target", "test-logs");
        Files.createDirectories(dir);
        Path kubeconfig = kube.writeKubeconfig(dir.resolve("killed-leader-kubeconfig.yaml"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.skewless.cli.SkewlessCommand", "operator", "--namespace", NAMESPACE, "--lease-namespace", NAMESPACE,
                "--port", Integer.toString(freePort())))
                .redirectErrorStream(true).redirectOutput(log().toFile());
        Map<String, String> env = pb.environment();
        env.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
        env.put("HOSTNAME", hostname);
        env.put("AWS_ENDPOINT_URL", MotoServer.shared().endpoint().toString());
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        return pb.start();
    }

    private static Path log() {
        return Path.of("target", "test-logs", "killed-leader-operator.log");
    }

    private String phase(String id) {
        AppVersionResource v = world.admin.resources(AppVersionResource.class).inNamespace(NAMESPACE).withName("shop." + id).get();
        return v == null || v.getStatus() == null ? null : v.getStatus().path("phase").asText(null);
    }

    private String holder() {
        Lease lease = world.admin.leases().inNamespace(NAMESPACE).withName(OperatorSettings.DEFAULT_LEASE_NAME).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
