package dev.skewless.model.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.OnExpired;
import dev.skewless.model.Phase;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
    static final String LISTENER =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/demo/0123456789abcdef/fedcba9876543210";

    static String app(String name) {
        return """
                apiVersion: skewless.dev/v1alpha1
                kind: App
                metadata: {name: %s}
                spec:
                  platform: {cluster: demo, subnets: [subnet-0123456789abcdef0], securityGroups: [sg-0123456789abcdef0]}
                  router: {listenerArn: "%s", priorities: {from: 100, to: 199}, pathPatterns: [/api/*]}
                """.formatted(name, LISTENER);
    }

    static String version(String app, String id) {
        return """
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {name: "%s.%s"}
                spec: {app: %s, image: "repo/%s:%s", cpu: 256, memory: 512, containerPort: 8080}
                """.formatted(app, id, app, app, id);
    }

    private static List<String> paths(Manifests m) {
        return m.problems().stream().map(Problem::path).toList();
    }

    @Test
    void readsSeveralYamlDocumentsNumberingThemFromZero() {
        Manifests m = ManifestReader.read(app("shop") + "---\n" + version("shop", "v1") + "---\n" + version("shop", "v2") + "---\n");

        assertThat(m.problems()).isEmpty();
        assertThat(m.documents()).extracting(Document::label)
                .containsExactly("doc[0] (App shop)", "doc[1] (AppVersion shop/v1)", "doc[2] (AppVersion shop/v2)");
        assertThat(m.subjects().get(0)).isInstanceOf(Subject.OfApp.class);
        assertThat(((Subject.OfVersion) m.subjects().get(2)).version().id()).isEqualTo("v2");
    }

    @Test
    void readsAJsonArrayAndASingleJsonObject() {
        String array = """
                [ {"apiVersion": "skewless.dev/v1alpha1", "kind": "AppVersion",
                   "metadata": {"app": "shop", "name": "v1"},
                   "spec": {"image": "i", "cpu": 256, "memory": 512, "containerPort": 8080}},
                  {"apiVersion": "skewless.dev/v1alpha1", "kind": "AppVersion",
                   "metadata": {"app": "shop", "name": "v2"},
                   "spec": {"image": "i", "cpu": 512, "memory": 1024, "containerPort": 8080, "cpuz": 1}} ]
                """;
        Manifests m = ManifestReader.read(array, "versions.json");

        assertThat(m.subjects()).hasSize(2);
        assertThat(paths(m)).containsExactly("versions.json doc[1] (AppVersion shop/v2): spec.cpuz");

        Manifests single = ManifestReader.read("  {\"apiVersion\": \"skewless.dev/v1alpha1\", \"kind\": \"AppVersion\", "
                + "\"metadata\": {\"app\": \"shop\", \"name\": \"v1\"}, "
                + "\"spec\": {\"image\": \"i\", \"cpu\": 256, \"memory\": 512, \"containerPort\": 8080}}");
        assertThat(single.problems()).isEmpty();
        assertThat(single.subjects()).hasSize(1);
    }

    @Test
    void aYamlDocumentThatIsAListIsReadLikeAJsonArray() {
        String text = "- " + version("shop", "v1").strip().replace("\n", "\n  ") + "\n- "
                + version("shop", "v2").strip().replace("\n", "\n  ") + "\n";

        Manifests m = ManifestReader.read(text);

        assertThat(m.problems()).isEmpty();
        assertThat(m.documents()).extracting(Document::label)
                .containsExactly("doc[0] (AppVersion shop/v1)", "doc[1] (AppVersion shop/v2)");
    }

    @Test
    void bindsEveryAppField() {
        String text = """
                apiVersion: skewless.dev/v1alpha1
                kind: App
                metadata:
                  name: shop
                  labels: {team: web, skewless.dev/tier: gold}
                spec:
                  platform:
                    cluster: demo
                    subnets: [subnet-0123456789abcdef0]
                    securityGroups: [sg-0123456789abcdef0]
                    executionRoleArn: arn:aws:iam::123456789012:role/exec
                    taskRoleArn: arn:aws:iam::123456789012:role/task
                    logGroup: /skewless/shop
                    assignPublicIp: true
                    retainedDesiredCount: 2
                  router:
                    listenerArn: %s
                    priorities: {from: 10, to: 60}
                    pathPatterns: [/api/*, /ws]
                    hostHeaders: [shop.example.com]
                    deregistrationDelay: 45s
                    ownsListener: true
                    vpcId: vpc-0123456789abcdef0
                  routing: {header: x-build, query: build, cookie: build, onExpired: fallback}
                  retention: {default: 12h, min: 1h, max: 2d, idleExpiry: 30m, maxVersions: 7}
                  release: {live: v3, canary: {version: v4, weight: 25}}
                  local: {command: [node, server.js], env: {PORT: "${PORT}"}}
                """.formatted(LISTENER);

        Manifests m = ManifestReader.read(text);

        assertThat(m.problems()).isEmpty();
        App app = ((Subject.OfApp) m.subjects().get(0)).app();
        assertThat(app.metadata().labels()).containsEntry("skewless.dev/tier", "gold");
        assertThat(app.spec().platform().assignPublicIp()).isTrue();
        assertThat(app.spec().platform().retainedDesiredCount()).isEqualTo(2);
        assertThat(app.spec().router().priorities().size()).isEqualTo(51);
        assertThat(app.spec().router().deregistrationDelay()).isEqualTo(Duration.ofSeconds(45));
        assertThat(app.spec().router().ownsListener()).isTrue();
        assertThat(app.spec().routing()).isEqualTo(new RoutingSpec("x-build", "build", "build", OnExpired.FALLBACK));
        assertThat(app.spec().retention())
                .isEqualTo(new RetentionSpec(Duration.ofHours(12), Duration.ofHours(1), Duration.ofDays(2), Duration.ofMinutes(30), 7));
        assertThat(app.spec().release().canary().weight()).isEqualTo(25);
        assertThat(app.spec().local().command()).containsExactly("node", "server.js");
    }

    @Test
    void leavesOutOptionalBlocksToTheRecordDefaults() {
        App app = ((Subject.OfApp) ManifestReader.read(app("shop")).subjects().get(0)).app();

        assertThat(app.spec().routing()).isEqualTo(RoutingSpec.DEFAULT);
        assertThat(app.spec().retention()).isEqualTo(RetentionSpec.DEFAULT);
        assertThat(app.spec().release().followsLatest()).isTrue();
        assertThat(app.spec().local()).isNull();
        assertThat(app.spec().platform().retainedDesiredCount()).isEqualTo(1);
        AppVersion v = ((Subject.OfVersion) ManifestReader.read(version("shop", "v1")).subjects().get(0)).version();
        assertThat(v.spec().desiredCount()).isEqualTo(1);
        assertThat(v.spec().revoked()).isFalse();
    }

    @Test
    void collectsEveryProblemOfEveryDocumentWithItsPath() {
        String text = """
                apiVersion: skewless.dev/v1alpha1
                kind: App
                metadata: {name: shop, app: other}
                spec:
                  platform: {cluster: 42, subnets: subnet-1, assignPublicIp: "yes"}
                  router: {listenerArn: x, priorities: {from: "1", too: 9}}
                  routing: {onExpired: drop, header: [a]}
                  retention: {default: 24, maxVersions: 0}
                  release: {live: ""}
                ---
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: 1.10}
                spec: {image: i, cpu: 256.5, memory: 512, containerPort: 8080, env: {A: 1, B: ~}, healthCheck: {healthyThreshold: 0}}
                status: {phase: Live, conditions: [{type: Synced}]}
                """;

        Manifests m = ManifestReader.read(text);

        assertThat(paths(m)).containsExactlyInAnyOrder(
                "doc[0] (App shop): metadata.app",
                "doc[0] (App shop): spec.platform.cluster",
                "doc[0] (App shop): spec.platform.subnets",
                "doc[0] (App shop): spec.platform.assignPublicIp",
                "doc[0] (App shop): spec.router.priorities.from",
                "doc[0] (App shop): spec.router.priorities.to",
                "doc[0] (App shop): spec.router.priorities.too",
                "doc[0] (App shop): spec.routing.onExpired",
                "doc[0] (App shop): spec.routing.header",
                "doc[0] (App shop): spec.retention.default",
                "doc[0] (App shop): spec.retention.maxVersions",
                "doc[0] (App shop): spec.release.live",
                "doc[1] (AppVersion shop/?): metadata.name",
                "doc[1] (AppVersion shop/?): spec.cpu",
                "doc[1] (AppVersion shop/?): spec.env.A",
                "doc[1] (AppVersion shop/?): spec.env.B",
                "doc[1] (AppVersion shop/?): spec.healthCheck.healthyThreshold",
                "doc[1] (AppVersion shop/?): status.conditions[0].status");
        // Both documents are still bound, so the validator can report the rest of them.
        assertThat(m.subjects()).hasSize(2);
    }

    @Test
    void messagesSayWhatIsWrongAndWhatIsAllowed() {
        Manifests m = ManifestReader.read("""
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {nmae: shop.v1}
                spec: {app: shop, image: i, cpus: 256, memory: 512, containerPort: 8080, retention: 5 minutes}
                """);

        assertThat(m.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "doc[0] (AppVersion shop/?): metadata.name: required field is missing; <app>.<version>, e.g. shop.v42: the App, a dot, and the version id clients pin to",
                "doc[0] (AppVersion shop/?): metadata.nmae: unknown field; did you mean 'name'? Allowed here: name, app, labels, generation, creationTimestamp, deletionTimestamp",
                "doc[0] (AppVersion shop/?): spec.cpu: required field is missing; Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384",
                "doc[0] (AppVersion shop/?): spec.cpus: unknown field; did you mean 'cpu'? Allowed here: app, image, cpu, memory, desiredCount, "
                        + "containerPort, env, secrets, healthCheck, retention, revoked, autoscaling",
                "doc[0] (AppVersion shop/?): spec.retention: '5 minutes' is not a duration; expected a duration like 500ms, 90s, 30m, 1h30m, 24h or 7d "
                        + "(or ISO-8601 such as PT24H)");
    }

    @Test
    void aVersionIdYamlWouldReadAsANumberMustBeQuoted() {
        // Only the old shape (decision 035) can carry a bare version id; <app>.<version> is always text.
        Manifests m = ManifestReader.read("""
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: 1.10}
                spec: {image: i, cpu: 256, memory: 512, containerPort: 8080}
                """);

        assertThat(m.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).endsWith("metadata.name");
            assertThat(p.message()).contains("put it in quotes").contains("1.10 becomes 1.1");
        });
    }

    @Test
    void documentsThatCannotBeBoundAreReportedAndTheRestStillRead() {
        String text = "just text\n---\n" + "apiVersion: skewless.dev/v1alpha1\nkind: Appversion\nmetadata: {name: x}\n---\n"
                + "kind: App\nmetadata: {name: x}\nspec: {}\n---\n" + version("shop", "v1");

        Manifests m = ManifestReader.read(text);

        assertThat(m.problems()).extracting(Problem::toString).containsExactly(
                "doc[0]: expected a record (a mapping with apiVersion, kind, metadata and spec), found text 'just text'",
                "doc[1]: kind: 'Appversion' is not a kind skewless knows; use App or AppVersion (kinds are case-sensitive)",
                "doc[2] (App x): apiVersion: required field is missing; use skewless.dev/v1alpha1",
                "doc[2] (App x): spec.platform: required field is missing; give at least cluster, subnets and securityGroups",
                "doc[2] (App x): spec.router: required field is missing; give at least listenerArn and priorities");
        assertThat(m.subjects()).extracting(Subject::label).containsExactly("doc[2] (App x)", "doc[3] (AppVersion shop/v1)");
    }

    @Test
    void aSyntaxErrorSaysWhereAndStopsReading() {
        Manifests m = ManifestReader.read(version("shop", "v1") + "---\nkind: App\nmetadata: {name: [unclosed\n", "bad.yaml");

        assertThat(m.subjects()).hasSize(1);
        assertThat(m.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("bad.yaml doc[1]");
            assertThat(p.message()).startsWith("line ").contains("nothing after this point was read");
        });
    }

    @Test
    void duplicateKeysAreRefusedInsteadOfSilentlyKeepingTheLast() {
        Manifests m = ManifestReader.read(version("shop", "v1").replace("cpu: 256,", "cpu: 256, cpu: 512,"));

        assertThat(m.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("Duplicate field 'cpu'"));
    }

    @Test
    void emptyInputIsAProblem() {
        assertThat(ManifestReader.read("# nothing here\n", "empty.yaml").problems())
                .extracting(Problem::toString).containsExactly("empty.yaml: no App or AppVersion documents found");
    }

    @Test
    void aNullValueCountsAsAbsent() {
        Manifests m = ManifestReader.read(app("shop") + "  routing:\n  release:\n    live:\n");

        assertThat(m.problems()).isEmpty();
        App app = ((Subject.OfApp) m.subjects().get(0)).app();
        assertThat(app.spec().routing()).isEqualTo(RoutingSpec.DEFAULT);
        assertThat(app.spec().release().followsLatest()).isTrue();
    }

    @Test
    void readsStatusBlocksAndStoreManagedMetadata() {
        String text = """
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: v1, generation: 3, creationTimestamp: "2026-11-25T10:00:00Z"}
                spec: {image: i, cpu: 256, memory: 512, containerPort: 8080}
                status:
                  phase: Superseded
                  observedGeneration: 3
                  conditions:
                    - {type: Synced, status: "True", reason: Reconciled, lastTransitionTime: "2026-11-25T10:05:00Z"}
                  resources: {targetGroupArn: tg, ruleArns: [r1, r2]}
                  rulePriorities: [101, 102]
                  runningCount: 1
                  desiredCount: 1
                  supersededAt: "2026-11-25T11:00:00Z"
                  expiresAt: "2026-11-26T11:00:00Z"
                  message: kept for pinned clients
                """;

        AppVersion v = ((Subject.OfVersion) ManifestReader.read(text).subjects().get(0)).version();

        assertThat(v.metadata().generation()).isEqualTo(3);
        assertThat(v.metadata().creationTimestamp()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(v.status().phase()).isEqualTo(Phase.Superseded);
        assertThat(v.status().conditions()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(ConditionStatus.True));
        assertThat(v.status().resources().ruleArns()).containsExactly("r1", "r2");
        assertThat(v.status().rulePriorities()).containsExactly(101, 102);
        assertThat(v.status().expiresAt()).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
    }

    @Test
    void mapsKeepTheirEntriesAndOddKeysAreQuotedInPaths() {
        Manifests m = ManifestReader.read(version("shop", "v1").replace("containerPort: 8080}",
                "containerPort: 8080, env: {API_URL: \"http://x\"}}").replace("name: \"shop.v1\"}", "name: \"shop.v1\", labels: {a.b/c: 1}}"));

        assertThat(paths(m)).containsExactly("doc[0] (AppVersion shop/v1): metadata.labels[\"a.b/c\"]");
        AppVersion v = ((Subject.OfVersion) m.subjects().get(0)).version();
        assertThat(v.spec().env()).isEqualTo(Map.of("API_URL", "http://x"));
    }

    @Test
    void anAppVersionIsNamedAppDotVersionWithItsAppInTheSpec() {
        Manifests m = ManifestReader.read("""
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata:
                  name: shop.2026.11.25-1
                  labels: {skewless.dev/app: shop, team: web}
                spec: {app: shop, image: i, cpu: 256, memory: 512, containerPort: 8080}
                """);

        assertThat(m.problems()).isEmpty();
        assertThat(m.warnings()).isEmpty();
        AppVersion v = ((Subject.OfVersion) m.subjects().getFirst()).version();
        assertThat(v.key()).isEqualTo(new dev.skewless.model.VersionKey("shop", "2026.11.25-1"));
        // The app label is derived from spec.app, so it is not kept among the free-form labels.
        assertThat(v.metadata().labels()).containsExactly(java.util.Map.entry("team", "web"));
    }

    @Test
    void aNameThatDoesNotStartWithTheAppOrALabelNamingAnotherAppIsAProblem() {
        Manifests m = ManifestReader.read("""
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata:
                  name: v1
                  labels: {skewless.dev/app: blog}
                spec: {app: shop, image: i, cpu: 256, memory: 512, containerPort: 8080}
                ---
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {name: shop.v2}
                spec: {image: i, cpu: 256, memory: 512, containerPort: 8080}
                """);

        assertThat(m.problems()).extracting(Problem::toString).containsExactly(
                "doc[0] (AppVersion shop/v1): metadata.name: 'v1' must be 'shop.<version>': the App of spec.app, a dot, and the version id"
                        + " clients pin to, e.g. shop.v1",
                "doc[0] (AppVersion shop/v1): metadata.labels: label skewless.dev/app='blog' differs from spec.app 'shop'; the label must"
                        + " name the same App (or be left out)",
                "doc[1] (AppVersion ?/shop.v2): spec.app: required field is missing; the name of the App this version belongs to, e.g. shop");
    }

    @Test
    void theOldShapeWithMetadataAppIsStillReadWithAWarning() {
        Manifests m = ManifestReader.read("""
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: v1}
                spec: {image: i, cpu: 256, memory: 512, containerPort: 8080}
                """, "old.yaml");

        assertThat(m.problems()).isEmpty();
        assertThat(((Subject.OfVersion) m.subjects().getFirst()).version().key()).isEqualTo(new dev.skewless.model.VersionKey("shop", "v1"));
        assertThat(m.warnings()).extracting(Problem::toString).containsExactly(
                "old.yaml doc[0] (AppVersion shop/v1): metadata.app: deprecated: write 'spec.app: shop' and 'metadata.name: shop.v1'"
                        + " instead of metadata.app (the old shape is still read; decision 035)");
    }
}
