package dev.skewless.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import dev.skewless.model.validation.Problem;
import java.util.List;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.store.VersionStore;
import dev.skewless.testing.SampleRecords;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
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
@Tag("kubernetes")
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

    @Test
    void aResourceThatDoesNotBindStopsOnlyItsOwnApp() {
        KubernetesVersionStore kube = (KubernetesVersionStore) store;
        store.applyApp(SampleRecords.app("shop"));
        store.applyApp(SampleRecords.app("web"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.applyVersion(SampleRecords.version("web", "v1"));
        // Written with kubectl while no webhook checks records: a typo the CRD keeps for skewless to name.
        AppVersionResource typo = KubernetesRecords.resource(SampleRecords.version("shop", "v2"));
        typo.getSpec().put("desiredCont", 3);
        client.resource(typo).inNamespace(kube.namespace()).create();
        AppResource badApp = KubernetesRecords.resource(SampleRecords.app("blog"));
        badApp.getSpec().putObject("retension").put("default", "1h");
        client.resource(badApp).inNamespace(kube.namespace()).create();

        assertThat(store.listApps()).extracting(App::name).containsExactly("shop", "web");
        assertThat(store.listVersions("web")).extracting(AppVersion::id).containsExactly("v1");
        assertThatThrownBy(() -> store.listVersions("shop")).isInstanceOf(InvalidResourceException.class)
                .hasMessageContaining("AppVersion shop.v2: spec.desiredCont");
        assertThatThrownBy(() -> store.getVersion(new VersionKey("shop", "v2"))).isInstanceOf(InvalidResourceException.class);
        assertThat(store.getVersion(new VersionKey("shop", "v1"))).isPresent();
        assertThatThrownBy(() -> store.getApp("blog")).isInstanceOf(InvalidResourceException.class)
                .hasMessageContaining("App blog: spec.retension");

        List<KubernetesRecords.Bound<?>> invalid = kube.invalidResources();
        assertThat(invalid).extracting(KubernetesRecords.Bound::name).containsExactly("blog", "shop.v2");
        assertThat(invalid).extracting(KubernetesRecords.Bound::app).containsExactly("blog", "shop");
        assertThat(invalid.get(1).problems()).extracting(Problem::path).containsExactly("spec.desiredCont");

        // A status write leaves it alone; an apply of a valid record is how it gets fixed.
        store.applyVersion(SampleRecords.version("shop", "v2"));
        assertThat(store.listVersions("shop")).extracting(AppVersion::id).containsExactly("v1", "v2");
        assertThat(kube.invalidResources()).extracting(KubernetesRecords.Bound::name).containsExactly("blog");
    }

    @Test
    void versionsAreFoundBySpecAppWithoutTheLabel() {
        KubernetesVersionStore kube = (KubernetesVersionStore) store;
        store.applyApp(SampleRecords.app("shop"));
        AppVersionResource unlabelled = KubernetesRecords.resource(SampleRecords.version("shop", "v1"));
        unlabelled.getMetadata().setLabels(null);
        unlabelled.getMetadata().setAnnotations(null);
        client.resource(unlabelled).inNamespace(kube.namespace()).create();
        assertThat(store.listVersions("shop")).extracting(AppVersion::id).containsExactly("v1");
        AppVersion read = store.getVersion(new VersionKey("shop", "v1")).orElseThrow();
        assertThat(read.metadata().generation()).isEqualTo(1);
        assertThat(read.metadata().creationTimestamp()).as("the API server's, without skewless's annotation").isNotNull();
    }

    @Override
    protected VersionStore newStore(InstantSource clock) {
        String namespace = "contract-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        return new KubernetesVersionStore(client, namespace, clock);
    }
}
