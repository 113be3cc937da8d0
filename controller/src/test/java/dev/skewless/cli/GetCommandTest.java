package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Subject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code skewless get} and {@code describe} in every format, against the DynamoDB store on moto. */
class GetCommandTest {
    private final Terminal t = Terminal.withTable();

    @BeforeEach
    void arrange() {
        CliFixtures.shopWithThreeVersions(t);
        CliFixtures.statuses(t);
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void appsAsATable() {
        Terminal.Run r = t.run("get", "apps");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        Golden.assertMatches("get-apps.txt", r.out());
    }

    @Test
    void versionsAsATable() {
        Terminal.Run all = t.run("get", "versions");
        Terminal.Run one = t.run("get", "versions", "shop");

        assertThat(all.exit()).as(all.toString()).isZero();
        Golden.assertMatches("get-versions.txt", all.out());
        assertThat(one.out()).isEqualTo(all.out());
    }

    @Test
    void describeAnAppAndAVersion() {
        Terminal.Run app = t.run("describe", "shop");
        Terminal.Run version = t.run("describe", "shop", "v1");

        assertThat(app.exit()).as(app.toString()).isZero();
        assertThat(version.exit()).as(version.toString()).isZero();
        Golden.assertMatches("describe-shop.txt", app.out());
        Golden.assertMatches("describe-shop-v1.txt", version.out());
    }

    @Test
    void versionsAsJsonAreAnArrayOfFullRecords() throws Exception {
        Terminal.Run r = t.run("get", "versions", "shop", "-o", "json");

        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(3);
        assertThat(json.get(1).at("/metadata/name").asText()).isEqualTo("shop.v2");
        assertThat(json.get(1).at("/spec/app").asText()).isEqualTo("shop");
        assertThat(json.get(1).at("/status/phase").asText()).isEqualTo("Live");
        assertThat(json.get(0).at("/status/expiresAt").asText()).isEqualTo("2026-03-03T11:04:00Z");
        assertThat(json.get(0).at("/status/resources/serviceArn").asText()).endsWith("service/skewless-demo/skw-shop-v1");
        assertThat(json.get(2).at("/metadata/creationTimestamp").asText()).isEqualTo("2026-03-02T11:30:00Z");
    }

    @Test
    void oneAppAsJsonIsStillAnArray() throws Exception {
        Terminal.Run r = t.run("get", "apps", "shop", "-o", "json");

        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(1);
        assertThat(json.get(0).at("/status/liveVersion").asText()).isEqualTo("v2");
    }

    @Test
    void yamlReadsBackToTheSameRecords() {
        Terminal.Run apps = t.run("get", "apps", "-o", "yaml");
        Terminal.Run versions = t.run("get", "versions", "shop", "-o", "yaml");

        Manifests read = ManifestReader.read(apps.out() + "---\n" + versions.out());
        assertThat(read.problems()).isEmpty();
        List<App> readApps = read.subjects().stream().filter(s -> s instanceof Subject.OfApp).map(s -> ((Subject.OfApp) s).app()).toList();
        List<AppVersion> readVersions = read.subjects().stream().filter(s -> s instanceof Subject.OfVersion)
                .map(s -> ((Subject.OfVersion) s).version()).toList();
        assertThat(readApps).containsExactlyElementsOf(t.store.listApps());
        assertThat(readVersions).containsExactlyElementsOf(t.store.listVersions("shop"));
        assertThat(readVersions).extracting(v -> v.status().phase()).containsExactly(Phase.Superseded, Phase.Live, Phase.Provisioning);
    }

    @Test
    void yamlAppliedBackChangesNothing() {
        Terminal.Run versions = t.run("get", "versions", "shop", "-o", "yaml");

        Terminal.Run again = t.runWithInput(versions.out(), "apply", "--no-verify", "-f", "-");

        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out().lines()).containsExactly("AppVersion shop/v1 unchanged", "AppVersion shop/v2 unchanged", "AppVersion shop/v3 unchanged");
    }

    @Test
    void anUnknownKindIsAUsageErrorAndAnUnknownAppAFailure() {
        Terminal.Run kind = t.run("get", "pods");
        Terminal.Run app = t.run("get", "versions", "blog");
        Terminal.Run format = t.run("get", "apps", "-o", "xml");

        assertThat(kind.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(kind.err()).contains("'pods' is not something skewless lists; use apps or versions");
        assertThat(app.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(app.err()).contains("There is no App named 'blog'. Apps: shop.");
        assertThat(format.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(format.err()).contains("xml").contains("table, json, yaml");
    }
}
