package dev.skewless.infra.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner itself, on small builds that need no Maven: it copies what COPY names and nothing
 * else, refuses what the ignore file leaves out, and maps the image's paths into the stage root.
 */
class BuildStageTest {
    private static final Path ROOT = RepositoryDockerfiles.root();

    @Test
    void copiesWhatCopyNamesRunsThereAndFindsWhatTheImageCopies(@TempDir Path tmp) throws Exception {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("a.txt"), "a");
        Files.createDirectories(context.resolve("dir/sub"));
        Files.writeString(context.resolve("dir/sub/b.txt"), "b");
        Files.writeString(context.resolve("dir/skipped.log"), "x");
        Files.writeString(context.resolve("not-copied.txt"), "c");
        Dockerfile d = Dockerfile.parse(context.resolve("Dockerfile"), """
                FROM eclipse-temurin:21-jdk AS build
                WORKDIR /src
                COPY a.txt ./
                COPY dir dir
                RUN test -f a.txt && test -f dir/sub/b.txt && test ! -e dir/skipped.log && test ! -e not-copied.txt \\
                 && cat a.txt dir/sub/b.txt > /out.txt
                FROM eclipse-temurin:21-jre
                COPY --from=build /out.txt /out.txt
                """);
        BuildStage.Result r = new BuildStage(d, "build", context, DockerIgnore.parse(List.of("**/*.log")), ROOT)
                .run(Files.createDirectories(tmp.resolve("work")));
        assertThat(r.succeeded()).as(r.output()).isTrue();
        assertThat(r.artifacts()).containsOnlyKeys("/out.txt");
        assertThat(r.artifacts().get("/out.txt")).hasContent("ab");
    }

    @Test
    void aSourceTheIgnoreFileLeavesOutIsNotFound(@TempDir Path tmp) throws Exception {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("secret.env"), "x");
        Dockerfile d = Dockerfile.parse(context.resolve("Dockerfile"), """
                FROM eclipse-temurin:21-jdk AS build
                COPY secret.env /secret.env
                FROM eclipse-temurin:21-jre
                COPY --from=build /secret.env /secret.env
                """);
        BuildStage.Result r = new BuildStage(d, "build", context, DockerIgnore.parse(List.of("*.env")), ROOT)
                .run(Files.createDirectories(tmp.resolve("work")));
        assertThat(r.succeeded()).isFalse();
        assertThat(r.failed().keyword()).isEqualTo("COPY");
        assertThat(r.output()).contains("COPY secret.env: not in the build context");
    }

    @Test
    void theControllerBuildWithoutAFileItNeedsFails(@TempDir Path tmp) throws Exception {
        // The controller's Dockerfile without its COPY of .mvn: the wrapper cannot start. The
        // nested build stops at once, without compiling anything.
        String text = Files.readString(ROOT.resolve("controller/Dockerfile")).replace("COPY .mvn .mvn\n", "");
        assertThat(text).doesNotContain("COPY .mvn");
        Dockerfile d = Dockerfile.parse(tmp.resolve("Dockerfile"), text);
        BuildStage.Result r = new BuildStage(d, "build", ROOT, DockerIgnore.read(ROOT.resolve("controller/Dockerfile.dockerignore")), ROOT)
                .run(Files.createDirectories(tmp.resolve("work")));
        assertThat(r.succeeded()).isFalse();
        assertThat(r.failed().keyword()).isEqualTo("RUN");
        assertThat(r.output()).contains(".mvn");
    }

    @Test
    void imagePathsInCommandsMoveIntoTheStageRootAndNothingElseDoes() {
        Map<String, Path> paths = Map.of("/src", Path.of("/tmp/w/root/src"), "/app.jar", Path.of("/tmp/w/root/app.jar"));
        assertThat(BuildStage.hostCommand("cp api-service/target/app.jar /app.jar && ls /src/x >/dev/null", paths))
                .containsExactly("bash", "-c", "cp api-service/target/app.jar /tmp/w/root/app.jar && ls /tmp/w/root/src/x >/dev/null");
        assertThat(BuildStage.hostCommand("[\"cp\", \"a.jar\", \"/app.jar\"]", paths)).containsExactly("cp", "a.jar", "/tmp/w/root/app.jar");
    }
}
