package dev.skewless.model.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.validation.RecordValidator;
import dev.skewless.model.validation.Subject;
import dev.skewless.testing.ManifestSchemas;
import dev.skewless.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples under {@code manifests/examples/} are what people copy, and {@code manifests/dev/}
 * is what {@code ./skewless dev} starts with: they must be right.
 */
class ExamplesTest {
    private static final ObjectMapper YAML = new YAMLMapper();

    static Stream<Path> examples() {
        return RepoFiles.list(RepoFiles.manifests().resolve("examples"), ".yaml", ".yml", ".json").stream();
    }

    static Stream<Path> devDemo() {
        return RepoFiles.list(RepoFiles.manifests().resolve("dev"), ".yaml", ".yml", ".json").stream();
    }

    static Stream<Path> everyManifest() {
        return Stream.concat(examples(), devDemo());
    }

    @Test
    void theExamplesTheBriefAsksForExist() {
        assertThat(examples().map(p -> p.getFileName().toString()))
                .contains("shop-app.yaml", "shop-v1.yaml", "shop-v2.yaml", "canary.yaml", "revoked.yaml");
    }

    @ParameterizedTest
    @MethodSource("everyManifest")
    void parsesWithoutProblems(Path file) throws IOException {
        Manifests m = ManifestReader.read(file);

        assertThat(m.problems()).isEmpty();
        assertThat(m.subjects()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("everyManifest")
    void everyDocumentMatchesTheJsonSchema(Path file) throws IOException {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
            for (JsonNode doc : docs.readAll()) {
                assertThat(ManifestSchemas.errors(doc)).as(file.getFileName() + " " + doc.path("metadata")).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("everyManifest")
    void writtenBackTheyStillMatchTheSchemaAndReadBackEqual(Path file) throws IOException {
        List<Subject> subjects = ManifestReader.read(file).subjects();
        List<App> apps = new ArrayList<>();
        List<AppVersion> versions = new ArrayList<>();
        for (Subject s : subjects) {
            switch (s) {
                case Subject.OfApp a -> apps.add(a.app());
                case Subject.OfVersion v -> versions.add(v.version());
            }
        }
        for (ManifestWriter.Format format : ManifestWriter.Format.values()) {
            String text = ManifestWriter.write(format, apps, versions);
            JsonNode tree = YAML.readTree(text); // JSON is YAML too
            for (JsonNode doc : tree.isArray() ? tree : YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
                assertThat(ManifestSchemas.errors(doc)).as(format + " " + text).isEmpty();
            }
            Manifests again = ManifestReader.read(text);
            assertThat(again.problems()).isEmpty();
            assertThat(again.subjects().stream().map(ExamplesTest::record).toList())
                    .containsExactlyInAnyOrderElementsOf(subjects.stream().map(ExamplesTest::record).toList());
        }
    }

    @Test
    void allExamplesTogetherPassTheValidator() throws IOException {
        Manifests all = Manifests.EMPTY;
        for (Path file : examples().toList()) {
            all = all.plus(ManifestReader.read(file));
        }

        assertThat(RecordValidator.validate(all.subjects(), List.of(), List.of())).isEmpty();
    }

    @Test
    void theDevDemoPassesTheValidatorAndBuildsEachVersionsWebClient() throws IOException {
        Manifests all = Manifests.EMPTY;
        for (Path file : devDemo().toList()) {
            all = all.plus(ManifestReader.read(file));
        }

        assertThat(RecordValidator.validate(all.subjects(), List.of(), List.of())).isEmpty();
        assertThat(all.subjects()).filteredOn(Subject.OfApp.class::isInstance).singleElement()
                .satisfies(s -> assertThat(((Subject.OfApp) s).app().spec().local().webBuild()).contains("${OUT}"));
    }

    private static Object record(Subject s) {
        return switch (s) {
            case Subject.OfApp a -> a.app();
            case Subject.OfVersion v -> v.version();
        };
    }
}
