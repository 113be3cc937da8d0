package dev.skewless.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.RecordValidator;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.Kubectl;
import dev.skewless.testing.ManifestSchemas;
import dev.skewless.testing.RepoFiles;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRDs on a real kube-apiserver: they install with {@code kubectl}, every example
 * manifest is accepted by {@code kubectl apply -f manifests/examples/} as it is, and what the JSON
 * schema refuses for a reason a structural schema can express is refused by the API server too.
 * What the CRD cannot say (unknown fields, rules on map keys) is accepted by the API server and
 * left to the webhook and the operator; the last table pins that boundary down.
 */
@Tag("kubernetes")
class CrdApiServerTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String NAMESPACE = "crd-cases";
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path tmp;
    private static KubeApiServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        server = KubeApiServer.start();
        kubeconfig = server.writeKubeconfig(tmp.resolve("kubeconfig"));
        client = server.client(NAMESPACE);
        Kubectl.Result installed = kubectl("apply", "-f", "manifests/kubernetes/crds/");
        assertThat(installed.exit()).as(installed.output()).isZero();
        Kubectl.Result established = kubectl("wait", "--for", "condition=established", "--timeout=60s",
                "crd/apps.skewless.dev", "crd/appversions.skewless.dev");
        assertThat(established.exit()).as(established.output()).isZero();
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .endMetadata().build()).create();
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

    @Test
    void kubectlAppliesEveryExampleUnchanged() {
        Kubectl.Result applied = kubectl("apply", "-f", "manifests/examples/");
        assertThat(applied.exit()).as(applied.output()).isZero();
        long documents = RepoFiles.list(RepoFiles.manifests().resolve("examples"), ".yaml").stream()
                .mapToLong(CrdApiServerTest::documentCount).sum();
        assertThat(applied.output().lines().filter(l -> l.endsWith(" created") || l.endsWith(" configured") || l.endsWith(" unchanged")))
                .hasSize((int) documents);
        // The printer columns are served (with empty status until an operator writes one).
        Kubectl.Result listed = kubectl("get", "appversions");
        assertThat(listed.exit()).as(listed.output()).isZero();
        assertThat(listed.output().lines().findFirst().orElseThrow())
                .contains("APP", "PHASE", "TASKS", "DESIRED", "SYNCED", "AGE", "EXPIRES", "MESSAGE");
        Kubectl.Result apps = kubectl("get", "apps");
        assertThat(apps.exit()).as(apps.output()).isZero();
        assertThat(apps.output().lines().findFirst().orElseThrow()).contains("LIVE", "WANTED", "CANARY", "SYNCED", "AGE", "MESSAGE");
        assertThat(apps.output()).contains("shop", "checkout");
        // Short names.
        assertThat(kubectl("get", "av").exit()).isZero();
        assertThat(kubectl("get", "skapp").exit()).isZero();
    }

    /** A document the JSON schema refuses for a reason the CRD expresses too. */
    static Stream<Arguments> refusedByBoth() {
        return Stream.of(
                version("spec.app missing", s -> s.remove("app")),
                version("spec.app not a DNS label", s -> s.put("app", "Shop")),
                named("version id 'latest' (reserved)", "shop.latest"),
                named("name without the App", "v1"),
                version("cpu not a Fargate size", s -> s.put("cpu", 300)),
                version("memory as text", s -> s.put("memory", "1024")),
                version("memory outside the cpu's Fargate range", s -> s.put("cpu", 256).put("memory", 4096)),
                version("memory not a multiple for the cpu", s -> s.put("cpu", 1024).put("memory", 2500)),
                version("containerPort 0", s -> s.put("containerPort", 0)),
                version("containerPort above 65535", s -> s.put("containerPort", 70000)),
                version("image with a space", s -> s.put("image", "repo/api v1")),
                version("image missing", s -> s.remove("image")),
                version("desiredCount 0", s -> s.put("desiredCount", 0)),
                version("revoked as text", s -> s.put("revoked", "yes")),
                version("retention not a duration", s -> s.put("retention", "1 day")),
                version("health check interval not a duration", s -> s.putObject("healthCheck").put("interval", "15 seconds")),
                version("healthy threshold above 10", s -> s.putObject("healthCheck").put("healthyThreshold", 11)),
                version("health check matcher out of range", s -> s.putObject("healthCheck").put("matcher", "600")),
                version("secret not an ARN", s -> s.putObject("secrets").put("DB", "plain-text")),
                version("env value not text", s -> s.putObject("env").put("PORT", 8080)),
                version("autoscaling with neither target", s -> s.putObject("autoscaling").put("minCount", 1).put("maxCount", 2)),
                version("autoscaling with both targets", s -> s.putObject("autoscaling").put("minCount", 1).put("maxCount", 2)
                        .put("cpuPercent", 50).put("requestsPerTarget", 100)),
                version("autoscaling without maxCount", s -> s.putObject("autoscaling").put("minCount", 1).put("cpuPercent", 50)),
                app("unknown onExpired", s -> ((ObjectNode) s.path("routing")).put("onExpired", "drop")),
                app("priority 0", s -> ((ObjectNode) s.path("router").path("priorities")).put("from", 0)),
                app("maxVersions above 100", s -> ((ObjectNode) s.path("retention")).put("maxVersions", 101)),
                app("execution role not a role ARN", s -> ((ObjectNode) s.path("platform")).put("executionRoleArn", "shop-role")),
                app("router missing", s -> s.remove("router")),
                app("canary weight above 100", s -> ((ObjectNode) s.path("release")).putObject("canary").put("version", "v2").put("weight", 101)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByBoth")
    void whatTheSchemaRefusesTheApiServerRefuses(String why, JsonNode document) {
        assertThat(ManifestSchemas.errors(document)).as("the JSON schema refuses it").isNotEmpty();
        assertThatThrownBy(() -> create(document)).as("the API server refuses it")
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    /** Refused by skewless (reader and validator), accepted by the API server: the webhook and the operator name these. */
    static Stream<Arguments> leftToTheWebhook() {
        return Stream.of(
                version("unknown spec field (kept, not pruned)", s -> s.put("imag", "typo")),
                version("unknown nested field (kept, not pruned)", s -> s.putObject("healthCheck").put("pth", "/x")),
                version("env name not a variable name", s -> s.putObject("env").put("1BAD", "x")),
                version("name of another App than spec.app", s -> s.put("app", "blog")),
                app("unknown spec field (kept, not pruned)", s -> s.put("relase", "typo")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leftToTheWebhook")
    void whatTheCrdCannotSayIsKeptForTheWebhook(String why, JsonNode document) throws IOException {
        Manifests read = ManifestReader.read(YAML.writeValueAsString(document));
        List<Problem> problems = Problem.combine(read.problems(), RecordValidator.validate(read.subjects(), List.of(), List.of()));
        assertThat(problems).as("skewless refuses it (what the webhook and the operator run)").isNotEmpty();
        GenericKubernetesResource created = create(document);
        // Unknown fields survive, so the webhook and the operator see (and name) them.
        JsonNode stored = YAML.valueToTree(created.getAdditionalProperties().get("spec"));
        assertThat(stored).isEqualTo(document.get("spec"));
    }

    private static GenericKubernetesResource create(JsonNode document) {
        GenericKubernetesResource resource = YAML.convertValue(document, GenericKubernetesResource.class);
        return client.resource(resource).inNamespace(NAMESPACE).create();
    }

    private static Arguments version(String why, Consumer<ObjectNode> change) {
        return Arguments.of(why, changed("shop-v1.yaml", change));
    }

    private static Arguments named(String why, String name) {
        JsonNode doc = changed("shop-v1.yaml", s -> { });
        ((ObjectNode) doc.get("metadata")).put("name", name);
        return Arguments.of(why, doc);
    }

    private static Arguments app(String why, Consumer<ObjectNode> change) {
        return Arguments.of(why, changed("shop-app.yaml", change));
    }

    /** An example with a changed spec, under a name of its own so accepted cases do not collide. */
    private static JsonNode changed(String example, Consumer<ObjectNode> change) {
        try {
            ObjectNode doc = (ObjectNode) YAML.readTree(Files.readString(RepoFiles.manifests().resolve("examples").resolve(example)));
            ObjectNode meta = (ObjectNode) doc.get("metadata");
            meta.put("name", meta.get("name").asText() + "x" + NAMES.incrementAndGet());
            change.accept((ObjectNode) doc.get("spec"));
            return doc;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long documentCount(Path file) {
        try {
            return YAML.readValues(YAML.createParser(Files.readString(file)), JsonNode.class).readAll().stream()
                    .filter(n -> n != null && !n.isNull() && !n.isMissingNode()).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Kubectl.Result kubectl(String... args) {
        return Kubectl.run(kubeconfig, RepoFiles.manifests().getParent(), List.of(args));
    }
}
