package dev.skewless.store.kubernetes;

import dev.skewless.store.VersionStore;
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

    @Override
    protected VersionStore newStore(InstantSource clock) {
        String namespace = "contract-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        return new KubernetesVersionStore(client, namespace, clock);
    }
}
