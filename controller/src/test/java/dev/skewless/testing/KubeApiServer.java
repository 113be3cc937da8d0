package dev.skewless.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real kube-apiserver with etcd (fabric8's kube-api-test), for the Kubernetes-mode tests. Start
 * one per test class and close it afterwards.
 *
 * <p>Where {@code ~/.kubeapitest/k8s/1.20.2-linux-amd64/kube-apiserver} exists (built offline by
 * {@code tools/build-kube-apiserver.sh}, which {@code .ci/run} calls when it is missing), that
 * binary is used with no network access; elsewhere kube-api-test downloads a current release
 * itself. The user's {@code ~/.kube/config} is never touched.
 */
public final class KubeApiServer implements AutoCloseable {
    /** The version built offline on machines without internet access. */
    public static final String OFFLINE_VERSION = "1.20.2";
    /** How long a test waits for a kube-apiserver build that is under way (a cold build on 2 busy cores). */
    private static final Duration BUILD_WAIT = Duration.ofMinutes(30);

    private final KubeAPIServer server;
    private final String kubeconfig;

    private KubeApiServer(KubeAPIServer server) {
        this.server = server;
        this.kubeconfig = server.getKubeConfigYaml();
    }

    /** Starts etcd and kube-apiserver; returns once the API server is ready. */
    public static KubeApiServer start() {
        KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig().withUpdateKubeConfig(false);
        Path dir = Path.of(System.getProperty("user.home"), ".kubeapitest");
        awaitBuild(dir.resolve("k8s").resolve(OFFLINE_VERSION + "-linux-amd64").resolve(".building"));
        boolean offline = Files.isExecutable(dir.resolve("k8s").resolve(OFFLINE_VERSION + "-linux-amd64").resolve("kube-apiserver"));
        if (offline) {
            config.withTestDir(dir.toString()).withOfflineMode(true).withApiServerVersion(OFFLINE_VERSION);
        }
        KubeAPIServer server = new KubeAPIServer(config.build());
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(offline ? "kube-apiserver " + OFFLINE_VERSION + " from " + dir + " did not start"
                    : "no kube-apiserver in " + dir + " and none could be downloaded; build one offline with"
                            + " tools/build-kube-apiserver.sh (.ci/run does this when it is missing)", e);
        }
        return new KubeApiServer(server);
    }

    /**
     * Waits while {@code tools/build-kube-apiserver.sh} runs ({@code .ci/run} starts it in the
     * background on a machine that has no binary yet, so the other tests need not wait for it).
     */
    private static void awaitBuild(Path marker) {
        long deadline = System.nanoTime() + BUILD_WAIT.toNanos();
        boolean told = false;
        while (Files.exists(marker)) {
            if (!told) {
                System.err.println("kube-apiserver " + OFFLINE_VERSION + " is being built (" + marker + "); waiting up to " + BUILD_WAIT);
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kube-apiserver was still being built after " + BUILD_WAIT + " (" + marker
                        + " exists); see target/kube-apiserver-build.log, or delete the marker if no build runs");
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the kube-apiserver build", e);
            }
        }
    }

    /** The server's kubeconfig (admin credentials, the server's CA). */
    public String kubeconfig() {
        return kubeconfig;
    }

    /** Writes the kubeconfig to {@code file} (for a process started with {@code KUBECONFIG}). */
    public Path writeKubeconfig(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, kubeconfig);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new client with admin rights on this server. */
    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    /** A new client whose default namespace is {@code namespace}. */
    public KubernetesClient client(String namespace) {
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setNamespace(namespace);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        server.stop();
    }
}
