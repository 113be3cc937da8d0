package dev.skewless.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.model.validation.Problem;
import dev.skewless.operator.admission.TestCertificateAuthority.KeyKind;
import dev.skewless.store.kubernetes.KubernetesVersionStore;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.Kubectl;
import dev.skewless.testing.RepoFiles;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The webhook on a real kube-apiserver: the CRDs installed, {@code manifests/kubernetes/webhook.yaml}
 * registered with its clientConfig pointed at an {@link AdmissionServer} on 127.0.0.1 (a
 * certificate from a test CA, the CA as caBundle), records read back through the
 * {@link KubernetesVersionStore}. Every record write goes through the API server's admission
 * chain as {@code kubectl} sends it.
 */
@Tag("kubernetes")
class AdmissionWebhookApiServerTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String WEBHOOK = "records.skewless.dev";
    private static final String NAMESPACE_LABEL = "skewless.dev/records";
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final Pattern QUOTED_PATH = Pattern.compile("\"((?:spec|metadata)(?:\\.[A-Za-z0-9\\[\\]_-]+)*)\"");

    @TempDir
    static Path tmp;
    private static KubeApiServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;
    private static AdmissionServer webhook;
    private static final Map<String, KubernetesVersionStore> stores = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        server = KubeApiServer.start();
        kubeconfig = server.writeKubeconfig(tmp.resolve("kubeconfig"));
        client = server.client();
        SkewlessCrds.install(client);
        TestCertificateAuthority ca = TestCertificateAuthority.create(Files.createDirectories(tmp.resolve("ca")));
        ca.issue(tmp.resolve("tls"), KeyKind.EC_PKCS8);
        webhook = AdmissionServer.start(new AdmissionServerOptions(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tmp.resolve("tls")),
                new RecordAdmission(ns -> stores.computeIfAbsent(ns, n -> new KubernetesVersionStore(client, n, InstantSource.system()))));

        ValidatingWebhookConfiguration configuration;
        try (InputStream in = Files.newInputStream(RepoFiles.manifests().resolve("kubernetes/webhook.yaml"))) {
            configuration = client.admissionRegistration().v1().validatingWebhookConfigurations().load(in).item();
        }
        // As installed, except that the API server calls this test's server instead of the Service.
        for (ValidatingWebhook w : configuration.getWebhooks()) {
            w.setClientConfig(new WebhookClientConfigBuilder().withUrl(webhook.uri().toString()).withCaBundle(ca.caBundle()).build());
        }
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(configuration).create();

        // The API server picks the configuration up a moment later: wait until a dry run is refused by it.
        String probe = namespace();
        ObjectNode typo = app("probe", 100, 199);
        ((ObjectNode) typo.get("spec")).put("relase", "v1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                    () -> client.resource(resource(typo)).inNamespace(probe).dryRun().create());
            return e != null && e.getMessage().contains(WEBHOOK);
        });
    }

    @AfterAll
    static void stop() {
        stores.values().forEach(KubernetesVersionStore::close);
        if (webhook != null) {
            webhook.close();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A new namespace the webhook's namespaceSelector matches. */
    private static String namespace() {
        String name = "records-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).addToLabels(NAMESPACE_LABEL, "enabled")
                .endMetadata().build()).create();
        return name;
    }

    private static ObjectNode app(String name, int from, int to) {
        return RecordAdmissionTest.app(name, from, to);
    }

    private static GenericKubernetesResource resource(JsonNode document) {
        return YAML.convertValue(document, GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource create(String namespace, JsonNode document) {
        return client.resource(resource(document)).inNamespace(namespace).create();
    }

    private static List<Problem> causes(KubernetesClientException e) {
        if (e.getStatus() == null || e.getStatus().getDetails() == null) {
            return List.of();
        }
        return e.getStatus().getDetails().getCauses().stream().map(c -> new Problem(c.getField() == null ? "" : c.getField(), c.getMessage())).toList();
    }

    private static boolean byWebhook(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null
                && e.getStatus().getMessage().startsWith("admission webhook \"" + WEBHOOK + "\" denied the request");
    }

    private static Kubectl.Result kubectl(String... args) {
        return Kubectl.run(kubeconfig, RepoFiles.manifests().getParent(), List.of(args));
    }

    @Test
    void aValidAppIsAcceptedAndTheExamplesApplyUnchanged() {
        String ns = namespace();

        GenericKubernetesResource created = create(ns, app("blog", 100, 199));
        Kubectl.Result examples = kubectl("apply", "-n", ns, "-f", "manifests/examples/");

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(examples.exit()).as(examples.output()).isZero();
    }

    @Test
    void kubectlShowsEveryProblemOfARecordInOneRefusal() throws IOException {
        String ns = namespace();
        // Mistakes no structural schema can catch, so they reach the webhook: a cookie pin needs 8
        // rules (100..106 is 7), the cookie's 4 values and the 2 scoping values exceed ALB's 5 per
        // rule, and a typo of release (unknown spec fields are kept for the webhook to name).
        ObjectNode bad = app("shop", 100, 106);
        ObjectNode spec = (ObjectNode) bad.get("spec");
        spec.putObject("routing").put("cookie", "dpl");
        ((ObjectNode) spec.get("router")).putArray("hostHeaders").add("shop.example.com");
        spec.put("relase", "v1");
        Path file = Files.writeString(tmp.resolve("bad-app.yaml"), YAML.writeValueAsString(bad));
        List<Problem> apply = AdmissionReviews.applyProblems(stores.computeIfAbsent(ns, n -> new KubernetesVersionStore(client, n, InstantSource.system())), bad);

        Kubectl.Result result = kubectl("apply", "-n", ns, "-f", file.toString());

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("The App \"shop\" is invalid:");
        assertThat(apply).extracting(Problem::path).containsExactlyInAnyOrder(
                "spec.router.priorities", "spec.routing.cookie", "spec.relase");
        for (Problem p : apply) {
            assertThat(result.output()).contains("* " + p.path() + ": " + p.message());
        }
        assertThat(client.genericKubernetesResources("skewless.dev/v1alpha1", "App").inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void anAppOverlappingAnotherAppsPrioritiesOnTheSameListenerIsRefusedNamingIt() {
        String ns = namespace();
        create(ns, app("shop", 100, 199));

        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () -> create(ns, app("blog", 150, 249)));
        GenericKubernetesResource disjoint = create(ns, app("docs", 200, 299));

        assertThat(e).isNotNull();
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(byWebhook(e)).as(e.getMessage()).isTrue();
        assertThat(causes(e)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("spec.router.priorities");
            assertThat(p.message()).contains("shop");
        });
        assertThat(disjoint.getMetadata().getName()).isEqualTo("docs");
    }

    @Test
    void statusWritesAndDeletionsOfARecordThatBecameInvalidStillGoThrough() {
        String ns = namespace();
        create(ns, app("shop", 100, 199));
        GenericKubernetesResource stored = client.genericKubernetesResources("skewless.dev/v1alpha1", "App").inNamespace(ns).withName("shop").get();

        stored.getMetadata().setFinalizers(List.of("skewless.dev/cleanup"));
        GenericKubernetesResource withFinalizer = client.resource(stored).inNamespace(ns).update();
        withFinalizer.setAdditionalProperty("status", Map.of("phase", "Ready"));
        client.resource(withFinalizer).inNamespace(ns).updateStatus();
        client.resource(withFinalizer).inNamespace(ns).delete();
        GenericKubernetesResource deleting = client.genericKubernetesResources("skewless.dev/v1alpha1", "App").inNamespace(ns).withName("shop").get();
        deleting.getMetadata().setFinalizers(List.of());
        client.resource(deleting).inNamespace(ns).update();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.genericKubernetesResources("skewless.dev/v1alpha1", "App").inNamespace(ns).withName("shop").get() == null);
    }

    static Stream<Path> invalidSet() throws java.net.URISyntaxException {
        return RecordAdmissionTest.invalidSet();
    }

    /**
     * Each document of the invalid set, created one after the other as {@code kubectl apply -f}
     * sends them, into a namespace of its own per file. Every document {@code skewless apply}
     * refuses (against the records created before it) is refused by the API server: by the
     * webhook with exactly apply's problems (paths and messages), or earlier by the CRD's schema
     * or Kubernetes' own rules, naming fields apply names too. Nothing apply accepts is refused,
     * except for a resource name Kubernetes does not allow (decision 035). The one thing apply
     * refuses and the webhook does not is a version whose App is not there yet (decision 038).
     */
    @ParameterizedTest
    @MethodSource("invalidSet")
    void eachDocumentApplyRefusesIsRefusedAtCreateWithItsProblems(Path file) {
        String ns = namespace();
        KubernetesVersionStore store = stores.computeIfAbsent(ns, n -> new KubernetesVersionStore(client, n, InstantSource.system()));
        List<String> outcomes = new ArrayList<>();
        for (ObjectNode document : AdmissionReviews.documents(file)) {
            String what = document.path("kind").asText() + " " + document.path("metadata").path("name").asText();
            List<Problem> expected = AdmissionReviews.webhookProblems(store, document);

            KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () -> create(ns, document));

            if (e == null) {
                assertThat(expected).as(file.getFileName() + ": " + what + " was created").isEmpty();
                boolean awaited = !AdmissionReviews.applyProblems(store, document).isEmpty();
                outcomes.add(what + (awaited ? ": created, waiting for its App" : ": created"));
            } else if (byWebhook(e)) {
                assertThat(e.getCode()).isEqualTo(422);
                assertThat(causes(e)).as(file.getFileName() + ": " + what).containsExactlyInAnyOrderElementsOf(expected);
                outcomes.add(what + ": refused by the webhook " + causes(e).stream().map(Problem::path).toList());
            } else if (e.getCode() == 422) {
                assertThat(causes(e)).as(e.getMessage()).isNotEmpty();
                // Kubernetes' own rule for resource names (lowercase RFC 1123, decision 035) comes before any schema or webhook.
                List<String> fields = causes(e).stream().filter(c -> !c.message().contains("RFC 1123"))
                        .map(AdmissionWebhookApiServerTest::schemaField).toList();
                if (fields.isEmpty()) {
                    outcomes.add(what + ": refused by Kubernetes' rule for resource names");
                } else {
                    assertThat(expected).as(file.getFileName() + ": " + what + " refused by the API server: " + e.getMessage()).isNotEmpty();
                    for (String field : fields) {
                        assertThat(expected).as(file.getFileName() + ": " + what + " refused by the API server at " + field + " (" + e.getMessage() + ")")
                                .anyMatch(p -> related(p.path(), field));
                    }
                    outcomes.add(what + ": refused by the API server " + fields);
                }
            } else {
                // An apiVersion or kind the CRDs do not serve: the client finds no such resource and
                // sends nothing, or the API server answers 404. Apply refuses the document for it too.
                assertThat(e.getCode() == 404 || e.getMessage().contains("Could not find a registered handler")).as(e.getMessage()).isTrue();
                assertThat(expected).extracting(Problem::path).as(file.getFileName() + ": " + what).containsAnyOf("apiVersion", "kind");
                outcomes.add(what + ": not served");
            }
        }
        System.out.println(file.getFileName() + ":\n  " + String.join("\n  ", outcomes));
        assertThat(outcomes).as(file.getFileName().toString()).anyMatch(o -> o.contains("refused"));
    }

    /**
     * The field a schema refusal names: its cause's field, or, for a rule over several fields
     * ({@code anyOf}, {@code not}) where the API server gives no field, the path it quotes first.
     */
    private static String schemaField(Problem cause) {
        if (!cause.path().isEmpty() && !cause.path().equals("<nil>")) {
            return cause.path();
        }
        Matcher quoted = QUOTED_PATH.matcher(cause.message());
        return quoted.find() ? quoted.group(1) : cause.path();
    }

    /**
     * The same field, or one inside the other ({@code spec.router} and {@code spec.router.priorities}),
     * or the resource name and the App it starts with (decision 035: {@code <spec.app>.<version>}).
     */
    private static boolean related(String a, String b) {
        if (a.equals("metadata.name") && b.equals("spec.app") || a.equals("spec.app") && b.equals("metadata.name")) {
            return true;
        }
        return a.equals(b) || a.startsWith(b + ".") || a.startsWith(b + "[") || b.startsWith(a + ".") || b.startsWith(a + "[");
    }
}
