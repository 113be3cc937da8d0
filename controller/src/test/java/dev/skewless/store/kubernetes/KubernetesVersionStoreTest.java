package dev.skewless.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.store.VersionStore;
import dev.skewless.testing.SampleRecords;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import dev.skewless.store.VersionStoreContract;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real kube-apiserver, each test in a namespace of its own. */
class KubernetesVersionStoreTest extends VersionStoreContract {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static KubeApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = KubeApiServer.start();
        client = server.client();
        SkewlessCrds.install(client);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The sample's env has a value {@code ""}: the offline kube-apiserver 1.20.2 build reads an
     * empty string inside a map of a custom resource as null and refuses it ("must be of type
     * string"); {@link #emptyMapValueOnTheTestApiServer} pins that down. Every other field is
     * kept as it is.
     */
    @Override
    protected AppVersion fullVersion() {
        AppVersion v = super.fullVersion();
        Map<String, String> env = new TreeMap<>(v.spec().env());
        env.replaceAll((k, value) -> value.isEmpty() ? "-" : value);
        AppVersionSpec s = v.spec();
        return new AppVersion(v.metadata(), new AppVersionSpec(s.image(), s.cpu(), s.memory(), s.desiredCount(), s.containerPort(), env,
                s.secrets(), s.healthCheck(), s.retention(), s.revoked(), s.autoscaling()), v.status());
    }

    @Test
    void emptyMapValueOnTheTestApiServer() {
        store.applyApp(SampleRecords.app("shop"));
        AppVersion v = SampleRecords.version("shop", "v1");
        AppVersionSpec s = v.spec();
        AppVersion withEmpty = new AppVersion(v.metadata(), new AppVersionSpec(s.image(), s.cpu(), s.memory(), s.desiredCount(),
                s.containerPort(), Map.of("EMPTY", ""), s.secrets(), s.healthCheck(), s.retention(), s.revoked(), s.autoscaling()), null);
        assertThatThrownBy(() -> store.applyVersion(withEmpty)).hasMessageContaining("spec.env.EMPTY");
    }

    @Override
    protected VersionStore newStore(InstantSource clock) {
        String namespace = "contract-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        return new KubernetesVersionStore(client, namespace, clock);
    }
}
