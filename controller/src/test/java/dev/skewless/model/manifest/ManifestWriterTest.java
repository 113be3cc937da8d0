package dev.skewless.model.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.validation.Subject;
import dev.skewless.testing.ManifestSchemas;
import dev.skewless.testing.SampleRecords;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ManifestWriterTest {
    private static final ObjectMapper YAML = new YAMLMapper();

    private static List<Object> readBack(String text) {
        Manifests m = ManifestReader.read(text);
        assertThat(m.problems()).as(text).isEmpty();
        return m.subjects().stream().map(s -> switch (s) {
            case Subject.OfApp a -> (Object) a.app();
            case Subject.OfVersion v -> v.version();
        }).toList();
    }

    @ParameterizedTest
    @EnumSource(ManifestWriter.Format.class)
    void roundTripsRecordsWithEveryFieldSet(ManifestWriter.Format format) {
        App app = SampleRecords.fullApp();
        AppVersion version = SampleRecords.fullVersion();

        assertThat(readBack(ManifestWriter.write(format, app))).containsExactly(app);
        assertThat(readBack(ManifestWriter.write(format, version))).containsExactly(version);
        assertThat(readBack(ManifestWriter.write(format, List.of(app), List.of(version)))).containsExactly(app, version);
    }

    @ParameterizedTest
    @EnumSource(ManifestWriter.Format.class)
    void roundTripsMinimalRecords(ManifestWriter.Format format) {
        App app = SampleRecords.app("shop");
        AppVersion version = SampleRecords.version("shop", "v1");

        assertThat(readBack(ManifestWriter.write(format, List.of(app), List.of(version)))).containsExactly(app, version);
    }

    @Test
    void yamlQuotesWhatWouldOtherwiseReadBackAsANumberOrBoolean() {
        String yaml = ManifestWriter.write(ManifestWriter.Format.YAML, SampleRecords.fullVersion());

        assertThat(yaml).contains("name: shop.1.10").contains("B: \"8080\"").contains("A: \"true\"").contains("D: \"yes\"");
    }

    @Test
    void writesDurationsShortAndLeavesOutEmptyValues() {
        String yaml = ManifestWriter.write(ManifestWriter.Format.YAML, SampleRecords.app("shop"));

        assertThat(yaml).contains("default: 24h").contains("min: 5m").contains("max: 7d").contains("deregistrationDelay: 5m")
                .doesNotContain("hostHeaders").doesNotContain("status:").doesNotContain("labels").doesNotContain("null");
    }

    @Test
    void severalRecordsBecomeYamlDocumentsOrAJsonArray() throws Exception {
        List<App> apps = List.of(SampleRecords.app("shop"));
        List<AppVersion> versions = List.of(SampleRecords.version("shop", "v1"), SampleRecords.version("shop", "v2"));

        String yaml = ManifestWriter.write(ManifestWriter.Format.YAML, apps, versions);
        String json = ManifestWriter.write(ManifestWriter.Format.JSON, apps, versions);

        assertThat(yaml.split("(?m)^---$")).hasSize(3);
        assertThat(YAML.readTree(json).isArray()).isTrue();
        assertThat(YAML.readTree(json)).hasSize(3);
    }

    @Test
    void whatItWritesMatchesTheJsonSchemaEvenWithEveryFieldAndStatusSet() throws Exception {
        // additionalProperties: false in the schemas, so this also proves the schemas know every field the writer uses.
        for (String text : List.of(ManifestWriter.write(ManifestWriter.Format.JSON, SampleRecords.fullApp()),
                ManifestWriter.write(ManifestWriter.Format.JSON, SampleRecords.fullVersion()))) {
            JsonNode doc = YAML.readTree(text);
            assertThat(ManifestSchemas.errors(doc)).as(text).isEmpty();
        }
    }
}
