package dev.skewless.cli;

import static dev.skewless.cli.Terminal.repoFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skewless apply} against the DynamoDB store on moto. */
class ApplyCommandTest {
    private final Terminal t = Terminal.withTable();
    private static final String APP = repoFile("manifests/examples/shop-app.yaml");
    private static final String V1 = repoFile("manifests/examples/shop-v1.yaml");
    private static final String V2 = repoFile("manifests/examples/shop-v2.yaml");

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void createsNewRecordsAppsFirst() {
        Terminal.Run r = t.run("apply", "--no-verify", "-f", V1, "-f", APP, "-f", V2);

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).startsWith("App shop created", "AppVersion shop/v1 created", "AppVersion shop/v2 created");
        assertThat(r.out()).contains("skewless get versions shop");
        assertThat(t.store.getApp("shop")).isPresent();
        assertThat(t.store.listVersions("shop")).extracting(AppVersion::id).containsExactly("v1", "v2");
    }

    @Test
    void applyingAgainChangesNothing() {
        t.run("apply", "--no-verify", "-f", APP, "-f", V1);
        long generation = t.store.getApp("shop").orElseThrow().metadata().generation();

        Terminal.Run r = t.run("apply", "--no-verify", "-f", APP, "-f", V1);

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).containsExactly("App shop unchanged", "AppVersion shop/v1 unchanged");
        assertThat(t.store.getApp("shop").orElseThrow().metadata().generation()).isEqualTo(generation);
    }

    @Test
    void aChangedRecordIsConfiguredAndItsGenerationBumped() throws IOException {
        t.run("apply", "--no-verify", "-f", APP, "-f", V1);
        Path changed = dir.resolve("v1.yaml");
        Files.writeString(changed, Files.readString(Path.of(V1)).replace("desiredCount: 2", "desiredCount: 3"));

        Terminal.Run r = t.run("apply", "--no-verify", "-f", APP, "-f", changed.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines()).startsWith("App shop unchanged", "AppVersion shop/v1 configured");
        AppVersion v1 = t.store.getVersion(new VersionKey("shop", "v1")).orElseThrow();
        assertThat(v1.spec().desiredCount()).isEqualTo(3);
        assertThat(v1.metadata().generation()).isEqualTo(2);
    }

    @Test
    void invalidInputWritesNothingAndListsEveryProblem() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: v3}
                spec:
                  image: repo/api:v3
                  cpu: 300
                  memory: 512
                  containerPort: 70000
                ---
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: "bad id!"}
                spec:
                  image: repo/api:x
                  cpu: 256
                  memory: 512
                  colour: blue
                """);

        // The App and v1 are valid; the bad file must stop them from being written too.
        Terminal.Run r = t.run("apply", "--no-verify", "-f", APP, "-f", V1, "-f", bad.toString(), "-f", dir.resolve("missing.yaml").toString());

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("nothing was applied")
                .contains("bad.yaml doc[0] (AppVersion shop/v3): spec.cpu")
                .contains("bad.yaml doc[0] (AppVersion shop/v3): spec.containerPort")
                .contains("bad.yaml doc[1] (AppVersion shop/bad id!): metadata.name")
                .contains("bad.yaml doc[1] (AppVersion shop/bad id!): spec.colour")
                .contains("missing.yaml: no such file or directory");
        assertThat(r.err().lines().filter(l -> l.startsWith("  ")).count()).isGreaterThanOrEqualTo(5);
        assertThat(t.store.listApps()).isEmpty();
    }

    @Test
    void anAppAnotherAppWouldShadowIsRefusedNamingBoth() throws IOException {
        assertThat(t.run("apply", "--no-verify", "-f", APP).exit()).isZero();
        // Same listener and path, the range after shop's: ALB would hand every request to shop first.
        Path shadowed = dir.resolve("admin.yaml");
        Files.writeString(shadowed, Files.readString(Path.of(APP)).replace("name: shop", "name: admin")
                .replace("{from: 1000, to: 1099}", "{from: 1100, to: 1199}").replace("- /api/*", "- /api/admin/*"));

        Terminal.Run r = t.run("apply", "--no-verify", "-f", shadowed.toString());

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("nothing was applied")
                .contains("admin.yaml doc[0] (App admin): spec.router: would never receive a request")
                .contains("App admin", "App shop", "/api/admin/*", "already stored");
        assertThat(t.store.getApp("admin")).isEmpty();

        // The more specific App evaluated first nests under shop's paths: accepted.
        Files.writeString(shadowed, Files.readString(Path.of(APP)).replace("name: shop", "name: admin")
                .replace("{from: 1000, to: 1099}", "{from: 900, to: 999}").replace("- /api/*", "- /api/admin/*"));
        Terminal.Run nested = t.run("apply", "--no-verify", "-f", shadowed.toString());
        assertThat(nested.exit()).as(nested.toString()).isZero();
    }

    @Test
    void dryRunShowsTheDiffAndWritesNothing() throws IOException {
        t.run("apply", "--no-verify", "-f", APP, "-f", V1);
        Path changed = dir.resolve("v1.yaml");
        Files.writeString(changed, Files.readString(Path.of(V1)).replace("desiredCount: 2", "desiredCount: 3"));

        Terminal.Run r = t.run("apply", "--no-verify", "--dry-run", "-f", APP, "-f", changed.toString(), "-f", V2);

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("App shop unchanged (dry run)")
                .contains("AppVersion shop/v1 configured (dry run)\n--- shop/v1 (stored, generation 1)\n+++ shop/v1 (applied)\n")
                .contains("\n-  desiredCount: 2\n+  desiredCount: 3\n")
                .contains("AppVersion shop/v2 created (dry run)\n--- shop/v2 (new)\n+++ shop/v2 (applied)\n@@ -0,0 +1,")
                .contains("\n+  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:v2\n")
                .contains("Dry run: nothing was written.");
        assertThat(t.store.getVersion(new VersionKey("shop", "v1")).orElseThrow().spec().desiredCount()).isEqualTo(2);
        assertThat(t.store.getVersion(new VersionKey("shop", "v2"))).isEmpty();
    }

    @Test
    void readsDirectoriesAndStandardInput() throws IOException {
        Files.copy(Path.of(APP), dir.resolve("a-app.yaml"));
        Files.copy(Path.of(V1), dir.resolve("b-v1.yaml"));
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");

        Terminal.Run fromDir = t.run("apply", "--no-verify", "-f", dir.toString());
        Terminal.Run fromStdin = t.runWithInput(Files.readString(Path.of(V2)), "apply", "--no-verify", "-f", "-");

        assertThat(fromDir.exit()).as(fromDir.toString()).isZero();
        assertThat(fromDir.out().lines()).startsWith("App shop created", "AppVersion shop/v1 created");
        assertThat(fromStdin.exit()).as(fromStdin.toString()).isZero();
        assertThat(fromStdin.out().lines()).startsWith("AppVersion shop/v2 created");
    }

    @Test
    void aVersionWhoseAppIsUnknownIsRefused() {
        Terminal.Run r = t.run("apply", "--no-verify", "-f", V1);

        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("shop-v1.yaml doc[0] (AppVersion shop/v1)").contains("shop");
        assertThat(t.store.listApps()).isEmpty();
    }

    @Test
    void withoutTheTableItSaysToRunInit() {
        Terminal.Run r = t.run("apply", "--no-verify", "--table", "nope", "-f", APP);

        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("DynamoDB table 'nope' does not exist at " + t.variables.get("AWS_ENDPOINT_URL"))
                .contains("skewless init --table nope");
    }
}
