package dev.skewless.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.api.HealthEndpoints;
import dev.skewless.operator.admission.AdmissionServer;
import dev.skewless.operator.admission.AdmissionServerOptions;
import dev.skewless.store.kubernetes.KubernetesRecords;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.Kubectl;
import dev.skewless.testing.RepoFiles;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manifests/kubernetes}: {@code kubectl kustomize} renders it, the API server accepts every
 * rendered object whose API it has ({@code kubectl apply --dry-run=server}), the parts agree with
 * each other and with the code (ports, paths, names), and the operator's Role grants exactly
 * what the operator does, checked both as text and by the API server's RBAC authorizer.
 */
@Tag("kubernetes")
class InstallManifestsTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String NAMESPACE = "skewless";
    private static final String OPERATOR = "system:serviceaccount:skewless:skewless-operator";
    /** cert-manager's kinds: the test API server does not have cert-manager's API, so they are left out of the dry run, by kind. */
    private static final Set<String> CERT_MANAGER_KINDS = Set.of("Issuer", "Certificate");
    /** The operator's default Lease name (SKEWLESS_LEASE_NAME): the Role grants it by name. */
    private static final String LEASE = "skewless-operator";

    @TempDir
    static Path tmp;
    private static KubeApiServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;
    private static List<JsonNode> rendered;

    @BeforeAll
    static void render() throws IOException {
        server = KubeApiServer.start();
        kubeconfig = server.writeKubeconfig(tmp.resolve("kubeconfig"));
        client = server.client();
        Path out = tmp.resolve("rendered.yaml");
        Kubectl.Result kustomize = kubectl("kustomize", "manifests/kubernetes", "-o", out.toString());
        assertThat(kustomize.exit()).as(kustomize.output()).isZero();
        rendered = YAML.readValues(YAML.createParser(Files.readString(out)), JsonNode.class).readAll().stream()
                .filter(n -> n != null && n.isObject()).toList();
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

    private static Kubectl.Result kubectl(String... args) {
        return Kubectl.run(kubeconfig, RepoFiles.manifests().getParent(), List.of(args));
    }

    private static JsonNode one(String kind) {
        List<JsonNode> found = rendered.stream().filter(n -> n.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.getFirst();
    }

    private static String yaml(List<JsonNode> documents) throws IOException {
        StringBuilder out = new StringBuilder();
        for (JsonNode d : documents) {
            out.append("---\n").append(YAML.writeValueAsString(d).replaceFirst("^---\\n", ""));
        }
        return out.toString();
    }

    @Test
    void kustomizeRendersEveryPartWithTheCrdsAndNoClusterWideGrant() {
        assertThat(rendered).extracting(n -> n.path("kind").asText()).containsExactlyInAnyOrder(
                "Namespace", "CustomResourceDefinition", "CustomResourceDefinition", "ServiceAccount", "Role", "RoleBinding",
                "Service", "Deployment", "Issuer", "Certificate", "ValidatingWebhookConfiguration");
        assertThat(rendered).filteredOn(n -> n.path("kind").asText().equals("CustomResourceDefinition"))
                .extracting(n -> n.path("metadata").path("name").asText()).containsExactlyInAnyOrder("apps.skewless.dev", "appversions.skewless.dev");
        for (JsonNode n : rendered) {
            String kind = n.path("kind").asText();
            boolean clusterScoped = Set.of("Namespace", "CustomResourceDefinition", "ValidatingWebhookConfiguration").contains(kind);
            assertThat(n.path("metadata").path("namespace").asText(null)).as(kind).isEqualTo(clusterScoped ? null : NAMESPACE);
        }
    }

    @Test
    void theDeploymentRunsTheOperatorAsTheCodeAndTheImageExpect() throws Exception {
        JsonNode deployment = one("Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        String dockerfile = Files.readString(RepoFiles.manifests().getParent().resolve("controller/Dockerfile"));

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(container.path("image").asText()).isEqualTo("skewless-controller:latest");
        assertThat(container.path("args")).containsExactly(YAML.getNodeFactory().textNode("operator"));
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(one("ServiceAccount").path("metadata").path("name").asText());
        // Non-root as the image's user, read-only root with /tmp (the image's WORKDIR) writable.
        assertThat(dockerfile).contains("USER 10001", "WORKDIR /tmp");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(10001);
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(mountOf(container, "/tmp")).isEqualTo("tmp");
        assertThat(volume(pod, "tmp").has("emptyDir")).isTrue();
        // The downward API.
        assertThat(envFieldRef(container, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
        assertThat(envFieldRef(container, "POD_NAME")).isEqualTo("metadata.name");
        assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
        assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
        // Liveness on the controller's own endpoint and port (the image's HEALTHCHECK uses the same).
        String liveness = HealthEndpoints.class.getAnnotation(Controller.class).value()
                + HealthEndpoints.class.getMethod("liveness").getAnnotation(Get.class).uri();
        assertThat(dockerfile).contains("http://localhost:8080" + liveness);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo(liveness);
        assertThat(port(container, container.path("livenessProbe").path("httpGet").path("port").asText())).isEqualTo(8080);
        // Readiness on the webhook: every replica that can answer reviews is ready (decision 038).
        JsonNode readiness = container.path("readinessProbe").path("httpGet");
        assertThat(readiness.path("path").asText()).isEqualTo(AdmissionServer.HEALTH_PATH);
        assertThat(readiness.path("scheme").asText()).isEqualTo("HTTPS");
        assertThat(port(container, readiness.path("port").asText())).isEqualTo(AdmissionServerOptions.DEFAULT_PORT);
    }

    @Test
    void webhookServiceCertificateAndDeploymentNameEachOther() {
        JsonNode webhook = one("ValidatingWebhookConfiguration").path("webhooks").get(0);
        JsonNode service = one("Service");
        JsonNode certificate = one("Certificate");
        JsonNode container = one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        JsonNode pod = one("Deployment").path("spec").path("template").path("spec");
        String serviceName = service.path("metadata").path("name").asText();

        assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
        assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
        assertThat(webhook.path("admissionReviewVersions")).containsExactly(YAML.getNodeFactory().textNode("v1"));
        JsonNode rule = webhook.path("rules").get(0);
        assertThat(rule.path("apiGroups")).containsExactly(YAML.getNodeFactory().textNode("skewless.dev"));
        assertThat(rule.path("operations")).extracting(JsonNode::asText).containsExactly("CREATE", "UPDATE");
        assertThat(rule.path("resources")).extracting(JsonNode::asText).containsExactly("apps", "appversions");
        assertThat(webhook.path("namespaceSelector").path("matchLabels"))
                .isEqualTo(one("Namespace").path("metadata").path("labels"));
        // The Service, its port and the path the server serves.
        assertThat(webhook.path("clientConfig").path("service").path("name").asText()).isEqualTo(serviceName);
        assertThat(webhook.path("clientConfig").path("service").path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(webhook.path("clientConfig").path("service").path("path").asText()).isEqualTo(AdmissionServer.PATH);
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt())
                .isEqualTo(webhook.path("clientConfig").path("service").path("port").asInt());
        assertThat(port(container, service.path("spec").path("ports").get(0).path("targetPort").asText())).isEqualTo(AdmissionServerOptions.DEFAULT_PORT);
        assertThat(service.path("spec").path("selector")).isEqualTo(one("Deployment").path("spec").path("template").path("metadata").path("labels"));
        // cert-manager: the CA injected is the Certificate's, whose Secret the pod mounts where the server reads it.
        assertThat(one("ValidatingWebhookConfiguration").path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").asText())
                .isEqualTo(NAMESPACE + "/" + certificate.path("metadata").path("name").asText());
        assertThat(certificate.path("spec").path("dnsNames")).extracting(JsonNode::asText).contains(serviceName + "." + NAMESPACE + ".svc");
        assertThat(certificate.path("spec").path("issuerRef").path("name").asText()).isEqualTo(one("Issuer").path("metadata").path("name").asText());
        assertThat(certificate.path("spec").path("privateKey").path("encoding").asText()).isEqualTo("PKCS8");
        String certificateVolume = mountOf(container, AdmissionServerOptions.DEFAULT_CERT_DIR);
        assertThat(volume(pod, certificateVolume).path("secret").path("secretName").asText()).isEqualTo(certificate.path("spec").path("secretName").asText());
        assertThat(env(container, AdmissionServerOptions.CERT_DIR_ENV)).isEqualTo(AdmissionServerOptions.DEFAULT_CERT_DIR);
        assertThat(env(container, AdmissionServerOptions.PORT_ENV)).isEqualTo(String.valueOf(AdmissionServerOptions.DEFAULT_PORT));
    }

    @Test
    void theApiServerAcceptsEveryRenderedObjectWhoseApiItHas() throws IOException {
        assertThat(kubectl("api-resources", "--api-group=cert-manager.io", "-o", "name").output()).isBlank();
        List<JsonNode> certManager = rendered.stream().filter(n -> n.path("apiVersion").asText().startsWith("cert-manager.io/")).toList();
        assertThat(certManager).extracting(n -> n.path("kind").asText()).containsExactlyInAnyOrderElementsOf(CERT_MANAGER_KINDS);
        List<JsonNode> checked = rendered.stream().filter(n -> !CERT_MANAGER_KINDS.contains(n.path("kind").asText())).toList();
        // Namespaced objects need their namespace to exist even in a dry run: create it for real first.
        List<JsonNode> namespace = checked.stream().filter(n -> n.path("kind").asText().equals("Namespace")).toList();
        Path namespaceFile = Files.writeString(tmp.resolve("namespace.yaml"), yaml(namespace));
        Kubectl.Result created = kubectl("apply", "-f", namespaceFile.toString());
        assertThat(created.exit()).as(created.output()).isZero();
        Path rest = Files.writeString(tmp.resolve("checked.yaml"), yaml(checked));

        Kubectl.Result dryRun = kubectl("apply", "--dry-run=server", "-f", rest.toString());

        assertThat(dryRun.exit()).as(dryRun.output()).isZero();
        assertThat(dryRun.output().lines().filter(l -> l.endsWith("(server dry run)"))).as(dryRun.output()).hasSize(checked.size());
    }

    /** The Role, rule by rule: what the operator does (informers, finalizers, status, Lease, Events) and nothing else. */
    @Test
    void theRoleGrantsExactlyTheVerbsTheOperatorNeedsWithoutWildcards() {
        JsonNode role = one("Role");
        List<String> grants = new ArrayList<>();
        for (JsonNode rule : role.path("rules")) {
            for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
                assertThat(rule.path(field)).extracting(JsonNode::asText).as(field).doesNotContain("*");
            }
            assertThat(rule.has("nonResourceURLs")).isFalse();
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    String names = rule.has("resourceNames") ? " " + texts(rule.path("resourceNames")) : "";
                    grants.add(group.asText() + " " + resource.asText() + names + " " + texts(rule.path("verbs")));
                }
            }
        }

        assertThat(grants).containsExactlyInAnyOrder(
                "skewless.dev apps [get, list, patch, update, watch]",
                "skewless.dev appversions [get, list, patch, update, watch]",
                "skewless.dev apps/status [get, patch, update]",
                "skewless.dev appversions/status [get, patch, update]",
                "skewless.dev apps/finalizers [patch, update]",
                "skewless.dev appversions/finalizers [patch, update]",
                "coordination.k8s.io leases [create]",
                "coordination.k8s.io leases [" + LEASE + "] [get, update]",
                " events [create, patch]",
                "events.k8s.io events [create, patch]");
        assertThat(KubernetesRecords.FINALIZER).startsWith("skewless.dev/");
        JsonNode binding = one("RoleBinding");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(role.path("metadata").path("name").asText());
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(one("ServiceAccount").path("metadata").path("name").asText());
    }

    /** The same, asked of the API server's RBAC authorizer for the operator's service account once the Role is bound. */
    @Test
    void theApiServerLetsTheOperatorDoWhatItDoesAndNothingElse() throws IOException {
        List<JsonNode> rbac = rendered.stream().filter(n -> Set.of("Namespace", "ServiceAccount", "Role", "RoleBinding").contains(n.path("kind").asText())).toList();
        Kubectl.Result applied = kubectl("apply", "-f", Files.writeString(tmp.resolve("rbac.yaml"), yaml(rbac)).toString());
        assertThat(applied.exit()).as(applied.output()).isZero();
        String lease = LEASE;

        Map<String, Boolean> expected = new java.util.LinkedHashMap<>();
        for (String resource : List.of("apps", "appversions")) {
            for (String verb : List.of("get", "list", "watch", "patch", "update")) {
                expected.put(verb + " skewless.dev " + resource, true);
            }
            for (String verb : List.of("create", "delete", "deletecollection")) {
                expected.put(verb + " skewless.dev " + resource, false);
            }
            expected.put("patch skewless.dev " + resource + "/status", true);
            expected.put("update skewless.dev " + resource + "/status", true);
            expected.put("update skewless.dev " + resource + "/finalizers", true);
            expected.put("list skewless.dev " + resource + " in default", false);
            expected.put("list skewless.dev " + resource + " in every namespace", false);
        }
        expected.put("create coordination.k8s.io leases", true);
        expected.put("get coordination.k8s.io leases/" + lease, true);
        expected.put("update coordination.k8s.io leases/" + lease, true);
        expected.put("update coordination.k8s.io leases/someone-elses", false);
        expected.put("delete coordination.k8s.io leases/" + lease, false);
        expected.put("list coordination.k8s.io leases", false);
        expected.put("create  events", true);
        expected.put("patch  events", true);
        expected.put("create events.k8s.io events", true);
        expected.put("patch events.k8s.io events", true);
        expected.put("delete  events", false);
        expected.put("list  events", false);
        expected.put("get  secrets", false);
        expected.put("list  configmaps", false);
        expected.put("create  pods", false);

        Map<String, Boolean> actual = new java.util.LinkedHashMap<>();
        expected.keySet().forEach(question -> actual.put(question, allowed(question)));

        assertThat(actual).isEqualTo(expected);
    }

    /** {@code "verb group resource[/subresource or /name] [in default | in every namespace]"} asked for the operator. */
    private static boolean allowed(String question) {
        String[] words = question.split(" ", 4);
        String verb = words[0];
        String group = words[1];
        String resource = words[2];
        String namespace = NAMESPACE;
        if (words.length == 4) {
            namespace = words[3].equals("in every namespace") ? "" : words[3].substring("in ".length());
        }
        String subresource = null;
        String name = null;
        int slash = resource.indexOf('/');
        if (slash > 0) {
            String tail = resource.substring(slash + 1);
            resource = resource.substring(0, slash);
            if (Set.of("status", "finalizers").contains(tail)) {
                subresource = tail;
            } else {
                name = tail;
            }
        }
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec().withUser(OPERATOR)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, "system:authenticated")
                .withResourceAttributes(new ResourceAttributesBuilder().withVerb(verb).withGroup(group).withResource(resource)
                        .withSubresource(subresource).withName(name).withNamespace(namespace).build())
                .endSpec().build();
        return client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    private static String texts(JsonNode array) {
        return new TreeSet<>(StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList()).toString();
    }

    private static String mountOf(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                return m.path("name").asText();
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText(null);
            }
        }
        return null;
    }

    private static String envFieldRef(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("valueFrom").path("fieldRef").path("fieldPath").asText(null);
            }
        }
        return null;
    }

    /** A container port given by name or number. */
    private static int port(JsonNode container, String nameOrNumber) {
        if (nameOrNumber.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(nameOrNumber);
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode p : container.path("ports")) {
            names.add(p.path("name").asText());
            if (p.path("name").asText().equals(nameOrNumber)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + nameOrNumber + " among " + names);
    }
}
