package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.ValidationException;
import dev.skewless.testing.RepoFiles;
import dev.skewless.testing.TestingVersionStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code src/test/resources/invalid/} holds several mistakes; applying it must
 * fail with one {@link ValidationException} naming exactly the expected paths, and write nothing.
 */
class InvalidManifestsTest {
    private static final String EXPECT = "# expect: ";

    static Path dir() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(InvalidManifestsTest.class.getResource("/invalid")).toURI());
    }

    static Stream<Path> files() throws URISyntaxException {
        return RepoFiles.list(dir(), ".yaml", ".yml", ".json").stream();
    }

    /** {@code # expect:} lines of a YAML file, or the lines of a JSON file's sibling {@code .expect} file. */
    static List<String> expectedPaths(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".json")) {
            return Files.readAllLines(file.resolveSibling(file.getFileName() + ".expect")).stream().filter(l -> !l.isBlank()).toList();
        }
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(EXPECT)).map(l -> l.substring(EXPECT.length()).strip()).toList();
    }

    @Test
    void thereAreAtLeastEightFilesEachWithSeveralMistakes() throws Exception {
        List<Path> all = files().toList();

        assertThat(all).hasSizeGreaterThanOrEqualTo(8);
        for (Path file : all) {
            assertThat(expectedPaths(file)).as(file.getFileName().toString()).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void oneExceptionListsExactlyTheExpectedPathsAndNothingIsWritten(Path file) throws IOException {
        String text = Files.readString(file);
        for (boolean dryRun : new boolean[] {false, true}) {
            TestingVersionStore store = new TestingVersionStore(InstantSource.fixed(Instant.parse("2026-11-25T10:00:00Z")));

            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> new ManifestApplier(store).apply(ManifestReader.read(text), dryRun));

            assertThat(e).as("%s should be refused", file.getFileName()).isNotNull();
            assertThat(e.problems()).extracting(Problem::path).as(e.getMessage())
                    .containsExactlyInAnyOrderElementsOf(expectedPaths(file));
            assertThat(store.writes()).isZero();
            for (Problem p : e.problems()) {
                assertThat(e.getMessage()).contains(p.toString());
                assertThat(p.message()).as(p.path()).isNotBlank();
            }
        }
    }
}
