package dev.skewless.operator.admission;

import static dev.skewless.operator.admission.AdmissionReviews.causes;
import static dev.skewless.operator.admission.AdmissionReviews.review;
import static dev.skewless.operator.admission.AdmissionReviews.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import dev.skewless.store.VersionStore;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import dev.skewless.testing.DelegatingVersionStore;
import dev.skewless.testing.RepoFiles;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link RecordAdmission} on reviews built as the API server builds them, over an embedded store per namespace. */
class RecordAdmissionTest {
    private static final String LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/demo/0123456789abcdef/fedcba9876543210";

    @TempDir
    Path dir;

    private EmbeddedVersionStore shopNamespace;
    private EmbeddedVersionStore otherNamespace;
    private RecordAdmission admission;

    @BeforeEach
    void open() {
        shopNamespace = EmbeddedVersionStore.open(dir.resolve("shop-team"));
        otherNamespace = EmbeddedVersionStore.open(dir.resolve("other-team"));
        admission = new RecordAdmission(Map.<String, VersionStore>of("shop-team", shopNamespace, "other-team", otherNamespace)::get);
    }

    @AfterEach
    void close() {
        shopNamespace.close();
        otherNamespace.close();
    }

    static ObjectNode app(String name, int from, int to) {
        return yaml("""
                apiVersion: skewless.dev/v1alpha1
                kind: App
                metadata: {name: %s}
                spec:
                  platform: {cluster: demo, subnets: [subnet-0123456789abcdef0], securityGroups: [sg-0123456789abcdef0]}
                  router: {listenerArn: "%s", priorities: {from: %d, to: %d}, pathPatterns: [/%s/*]}
                """.formatted(name, LISTENER, from, to, name));
    }

    /** The object as the API server holds it: with the metadata it adds. */
    static ObjectNode stored(ObjectNode object) {
        ObjectNode o = object.deepCopy();
        ObjectNode meta = (ObjectNode) o.get("metadata");
        meta.put("namespace", "shop-team").put("uid", "6f1c0d2e-1111-4a4a-9b9b-123456789abc").put("resourceVersion", "4711")
                .put("generation", 3).put("creationTimestamp", "2026-11-25T10:00:00Z");
        meta.putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration", object.toString());
        meta.putArray("managedFields").addObject().put("manager", "kubectl-client-side-apply").put("operation", "Update");
        return o;
    }

    private void store(VersionStore store, JsonNode document) {
        switch (ManifestReader.read(document.toString()).subjects().getFirst()) {
            case Subject.OfApp a -> store.applyApp(a.app());
            case Subject.OfVersion v -> store.applyVersion(v.version());
        }
    }

    private static JsonNode response(JsonNode answer) {
        return answer.path("response");
    }

    @Test
    void aValidAppIsAllowedAndTheAnswerCarriesTheRequestUid() {
        ObjectNode review = review("CREATE", "shop-team", stored(app("shop", 100, 199)), null);

        ObjectNode answer = admission.review(review);

        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(response(answer).path("uid").asText()).isEqualTo(review.path("request").path("uid").asText());
        assertThat(response(answer).path("allowed").asBoolean()).as(answer.toString()).isTrue();
    }

    @Test
    void everyProblemOfARecordIsNamedWithItsFieldPathInOneRefusal() {
        ObjectNode bad = app("shop", 100, 106);
        ObjectNode spec = (ObjectNode) bad.get("spec");
        ((ObjectNode) spec.get("platform")).put("cluster", "my cluster").put("executionRoleArn", "ecsTaskExecutionRole");
        spec.putObject("routing").put("cookie", "dpl").put("onExpired", "retry"); // a cookie pin needs 8 rules: 100..106 is too small
        spec.put("relase", "v1");

        JsonNode answer = admission.review(review("CREATE", "shop-team", stored(bad), null));

        JsonNode status = response(answer).path("status");
        assertThat(response(answer).path("allowed").asBoolean()).isFalse();
        assertThat(status.path("code").asInt()).isEqualTo(422);
        assertThat(status.path("reason").asText()).isEqualTo("Invalid");
        List<Problem> problems = causes(answer);
        assertThat(problems).extracting(Problem::path).containsExactlyInAnyOrder(
                "spec.platform.cluster", "spec.platform.executionRoleArn", "spec.routing.onExpired", "spec.relase", "spec.router.priorities");
        assertThat(status.path("message").asText()).startsWith("App shop has 5 problems:");
        for (Problem p : problems) {
            assertThat(status.path("message").asText()).contains("\n  " + p.path() + ": " + p.message());
        }
        // What apply says about the same document, word for word.
        assertThat(problems).containsExactlyInAnyOrderElementsOf(AdmissionReviews.applyProblems(shopNamespace, bad));
    }

    @Test
    void anAppWhosePriorityRangeOverlapsAnotherOnTheSameListenerIsRefused() {
        store(shopNamespace, app("shop", 100, 199));

        JsonNode answer = admission.review(review("CREATE", "shop-team", stored(app("blog", 150, 249)), null));

        assertThat(response(answer).path("allowed").asBoolean()).isFalse();
        assertThat(causes(answer)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("spec.router.priorities");
            assertThat(p.message()).contains("shop");
        });
    }

    @Test
    void anUpdateIsCheckedAgainstTheOthersButNotAgainstItsOwnStoredSelf() {
        store(shopNamespace, app("shop", 100, 199));
        store(shopNamespace, app("blog", 200, 299));

        JsonNode widened = admission.review(review("UPDATE", "shop-team", stored(app("shop", 100, 250)), stored(app("shop", 100, 199))));
        JsonNode moved = admission.review(review("UPDATE", "shop-team", stored(app("shop", 50, 150)), stored(app("shop", 100, 199))));

        assertThat(causes(widened)).extracting(Problem::path).containsExactly("spec.router.priorities");
        assertThat(response(moved).path("allowed").asBoolean()).as(moved.toString()).isTrue();
    }

    static ObjectNode version(String app, String id) {
        return yaml("""
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {name: %s.%s}
                spec: {app: %s, image: repo/%s:%s, cpu: 256, memory: 512, containerPort: 8080}
                """.formatted(app, id, app, app, id));
    }

    @Test
    void aVersionWhoseAppIsNotThereYetIsAdmittedWithAWarningButItsOwnProblemsAreNot() {
        ObjectNode early = version("shop", "v1");
        ObjectNode earlyAndBad = version("shop", "v2");
        ((ObjectNode) earlyAndBad.get("spec")).put("cpu", 300);

        JsonNode admitted = admission.review(review("CREATE", "shop-team", stored(early), null));
        JsonNode refused = admission.review(review("CREATE", "shop-team", stored(earlyAndBad), null));

        assertThat(response(admitted).path("allowed").asBoolean()).as(admitted.toString()).isTrue();
        assertThat(AdmissionReviews.awaitsApp(admitted)).isTrue();
        assertThat(causes(refused)).extracting(Problem::path).containsExactly("spec.cpu");
        // apply, which sees the whole input at once, calls the missing App a mistake.
        assertThat(AdmissionReviews.applyProblems(shopNamespace, early)).extracting(Problem::path).containsExactly("spec.app");
    }

    @Test
    void aVersionIsCheckedAgainstItsStoredAppAndSiblings() {
        store(shopNamespace, app("shop", 100, 199));
        store(shopNamespace, version("shop", "v1"));
        ObjectNode sameIdOtherCase = version("shop", "V1");
        ObjectNode withSecrets = version("shop", "v2");
        ((ObjectNode) withSecrets.get("spec")).putObject("secrets").put("DB", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf");

        JsonNode caseClash = admission.review(review("CREATE", "shop-team", stored(sameIdOtherCase), null));
        JsonNode noRole = admission.review(review("CREATE", "shop-team", stored(withSecrets), null));

        assertThat(causes(caseClash)).extracting(Problem::path).containsExactly("metadata.name");
        assertThat(causes(noRole)).extracting(Problem::path).containsExactly("spec.secrets");
        assertThat(AdmissionReviews.awaitsApp(noRole)).isFalse();
    }

    @Test
    void recordsOfAnotherNamespaceAreNoConflict() {
        store(otherNamespace, app("shop", 100, 199));

        JsonNode answer = admission.review(review("CREATE", "shop-team", stored(app("blog", 150, 249)), null));

        assertThat(response(answer).path("allowed").asBoolean()).as(answer.toString()).isTrue();
    }

    @Test
    void deletionsStatusWritesAndFinalizerChangesAreAllowedEvenForAnInvalidRecord() {
        ObjectNode invalid = stored(app("shop", 100, 106));
        ((ObjectNode) invalid.get("spec")).putObject("routing").put("cookie", "dpl");
        ObjectNode withFinalizer = invalid.deepCopy();
        ((ObjectNode) withFinalizer.get("metadata")).putArray("finalizers").add("skewless.dev/cleanup");
        ObjectNode beingDeleted = withFinalizer.deepCopy();
        ((ObjectNode) beingDeleted.get("metadata")).put("deletionTimestamp", "2026-11-25T11:00:00Z");
        ObjectNode released = beingDeleted.deepCopy();
        ((ObjectNode) released.get("metadata")).remove("finalizers");
        ObjectNode statusWrite = review("UPDATE", "shop-team", withFinalizer, withFinalizer);
        ((ObjectNode) statusWrite.get("request")).put("subResource", "status");

        assertThat(admission.review(review("CREATE", "shop-team", invalid, null)).path("response").path("allowed").asBoolean()).isFalse();
        for (ObjectNode allowed : List.of(
                review("DELETE", "shop-team", null, invalid),
                statusWrite,
                review("UPDATE", "shop-team", withFinalizer, invalid),
                review("UPDATE", "shop-team", released, beingDeleted))) {
            assertThat(admission.review(allowed).path("response").path("allowed").asBoolean()).as(allowed.toString()).isTrue();
        }
    }

    @Test
    void aSpecChangeToAnInvalidRecordIsCheckedInFull() {
        ObjectNode invalid = stored(app("shop", 100, 106));
        ((ObjectNode) invalid.get("spec")).putObject("routing").put("cookie", "dpl");
        ObjectNode stillInvalid = invalid.deepCopy();
        ((ObjectNode) stillInvalid.get("spec").get("platform")).put("cluster", "other cluster");

        JsonNode answer = admission.review(review("UPDATE", "shop-team", stillInvalid, invalid));

        assertThat(causes(answer)).extracting(Problem::path).containsExactlyInAnyOrder("spec.platform.cluster", "spec.router.priorities");
    }

    @Test
    void aStoreThatCannotBeReadRefusesWithServiceUnavailable() {
        VersionStore broken = new DelegatingVersionStore(shopNamespace) {
            @Override
            public List<dev.skewless.model.App> listApps() {
                throw new IllegalStateException("connection refused");
            }
        };
        RecordAdmission failing = new RecordAdmission(ns -> broken);

        JsonNode answer = failing.review(review("CREATE", "shop-team", stored(app("shop", 100, 199)), null));

        assertThat(response(answer).path("allowed").asBoolean()).isFalse();
        assertThat(response(answer).path("status").path("code").asInt()).isEqualTo(503);
        assertThat(response(answer).path("status").path("message").asText()).contains("shop-team", "connection refused");
    }

    @Test
    void somethingThatIsNotAV1AdmissionReviewIsMalformed() {
        ObjectNode beta = review("CREATE", "shop-team", app("shop", 100, 199), null).put("apiVersion", "admission.k8s.io/v1beta1");
        ObjectNode noUid = review("CREATE", "shop-team", app("shop", 100, 199), null);
        ((ObjectNode) noUid.get("request")).remove("uid");

        assertThatThrownBy(() -> admission.review(beta)).isInstanceOf(MalformedReviewException.class).hasMessageContaining("admissionReviewVersions");
        assertThatThrownBy(() -> admission.review(noUid)).isInstanceOf(MalformedReviewException.class).hasMessageContaining("uid");
        assertThatThrownBy(() -> admission.review(AdmissionReviews.JSON.createArrayNode())).isInstanceOf(MalformedReviewException.class);
    }

    static Stream<Path> invalidSet() throws URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(RecordAdmissionTest.class.getResource("/invalid")).toURI());
        return RepoFiles.list(dir, ".yaml", ".yml", ".json").stream();
    }

    /**
     * Each document of the invalid set, created one after the other as {@code kubectl apply -f}
     * sends them: the webhook's answer is exactly what {@code skewless apply} says about that
     * document against the records admitted before it (paths and messages), but for a version
     * whose App is missing (admitted with a warning, decision 038); every file has refusals.
     */
    @ParameterizedTest
    @MethodSource("invalidSet")
    void theWebhookRefusesWhatApplyRefusesWithTheSameProblems(Path file) {
        List<String> refused = new ArrayList<>();
        for (ObjectNode document : AdmissionReviews.documents(file)) {
            String kind = document.path("kind").asText();
            if (!kind.equals("App") && !kind.equals("AppVersion")) {
                continue; // the API server has no such kind in skewless.dev: it never reaches the webhook
            }
            List<Problem> expected = AdmissionReviews.webhookProblems(shopNamespace, document);

            JsonNode answer = admission.review(review("CREATE", "shop-team", stored(document), null));

            assertThat(causes(answer)).as(file.getFileName() + " " + document).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(response(answer).path("allowed").asBoolean()).isEqualTo(expected.isEmpty());
            if (expected.isEmpty()) {
                if (!AdmissionReviews.awaitsApp(answer)) {
                    store(shopNamespace, document); // the embedded store, unlike the API server, keeps no version without its App
                }
            } else {
                refused.add(document.path("metadata").path("name").asText());
            }
        }
        assertThat(refused).as(file.getFileName().toString()).isNotEmpty();
    }
}
