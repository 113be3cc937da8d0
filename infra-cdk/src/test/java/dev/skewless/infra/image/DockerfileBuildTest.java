package dev.skewless.infra.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.infra.image.Dockerfile.Copy;
import dev.skewless.infra.image.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every image's build stage builds from exactly what its Dockerfile copies, without a container
 * engine: {@link BuildStage} copies the {@code COPY} sources (as the ignore file leaves them) into
 * an empty directory and runs the {@code RUN} commands there, offline; then every file the image
 * copies {@code --from} the build stage must exist. A file the build reads but the Dockerfile does
 * not copy fails here, as it would in {@code docker build}.
 */
class DockerfileBuildTest {
    private static final Path ROOT = RepositoryDockerfiles.root();
    /** Enough of a failed nested build's output to see Maven's error and what led to it. */
    private static final int TAIL = 40;

    static List<Path> dockerfiles() {
        return RepositoryDockerfiles.all();
    }

    @Test
    void findsTheImagesTheDeployCommandsBuild() {
        // The images deploy:backend and deploy:api build by default; more are checked as they appear.
        assertThat(dockerfiles()).contains(Path.of("controller/Dockerfile"), Path.of("api-service/Dockerfile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void buildStageBuildsFromWhatItCopiesAndMakesWhatTheImageCopies(Path relative, @TempDir Path work) throws Exception {
        Dockerfile dockerfile = Dockerfile.read(ROOT.resolve(relative));
        List<String> buildStages = dockerfile.runtime().copiesFrom().stream().map(Copy::from).distinct().toList();
        assertThat(buildStages).as("stages %s copies from", relative).isNotEmpty();
        for (String name : buildStages) {
            Path ignoreFile = DockerIgnore.fileFor(ROOT.resolve(relative), ROOT);
            BuildStage stage = new BuildStage(dockerfile, name, ROOT, DockerIgnore.read(ignoreFile), ROOT);
            long started = System.nanoTime();
            BuildStage.Result result = stage.run(Files.createDirectories(work.resolve(name)));
            // Reported, not asserted: the build's duration is a figure for the CI budget.
            System.out.printf("%s stage %s: %s in %d s%n", relative, name, result.succeeded() ? "built" : "FAILED",
                    (System.nanoTime() - started) / 1_000_000_000L);
            assertThat(result.succeeded())
                    .as("%s: stage '%s' (context: repository root, ignore file: %s) failed at %s; output (last %d lines):%n%s",
                            relative, name, ignoreFile == null ? "none" : ROOT.relativize(ignoreFile), result.failed(), TAIL,
                            result.tail(TAIL))
                    .isTrue();
            for (Map.Entry<String, Path> artifact : result.artifacts().entrySet()) {
                assertThat(artifact.getValue())
                        .as("%s: the image copies %s --from=%s, which the build did not make; files it made: %s", relative,
                                artifact.getKey(), name, made(result.root()))
                        .isRegularFile();
            }
        }
        assertRunnableJars(dockerfile, work);
    }

    /**
     * A jar the image runs with {@code java -jar} must be executable: the build made the shaded
     * jar (Main-Class), not the module's plain one.
     */
    private static void assertRunnableJars(Dockerfile dockerfile, Path work) throws IOException {
        Stage runtime = dockerfile.runtime();
        String entrypoint = runtime.last("ENTRYPOINT").map(i -> String.join(" ", i.execForm().orElse(List.of(i.arguments()))))
                .orElse("");
        for (Copy c : runtime.copiesFrom()) {
            String destination = c.destination();
            if (!destination.endsWith(".jar") || !Pattern.compile("-jar\\s+" + Pattern.quote(destination) + "\\b").matcher(entrypoint).find()) {
                continue;
            }
            Path jar = work.resolve(c.from()).resolve("root").resolve(c.sources().getFirst().replaceAll("^/+", ""));
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.getManifest()).as("%s: manifest of %s", dockerfile.path(), jar).isNotNull();
                assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                        .as("%s: the entrypoint runs java -jar %s: its Main-Class", dockerfile.path(), destination).isNotBlank();
            }
        }
    }

    private static String made(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> p.endsWith(".jar") || !p.contains("/")).sorted().collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
