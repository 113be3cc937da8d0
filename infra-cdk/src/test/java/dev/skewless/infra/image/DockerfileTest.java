package dev.skewless.infra.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Dockerfile reader: continuations, comments, stages, forms, ENV quoting, HEALTHCHECK. */
class DockerfileTest {
    private static final Path FILE = Path.of("Dockerfile");

    @Test
    void readsStagesContinuationsAndForms() {
        Dockerfile d = Dockerfile.parse(FILE, """
                # syntax=docker/dockerfile:1
                FROM maven:3.9-eclipse-temurin-21 AS build
                WORKDIR /src
                COPY pom.xml ./
                RUN --mount=type=cache,target=/root/.m2 \\
                # a comment inside the continuation
                    mvn -B package \\
                 && cp target/app.jar /app.jar

                FROM eclipse-temurin:21-jre
                COPY --from=build --chown=1:0 /app.jar /opt/app.jar
                ENV A=1 \\
                    B="two words" C='it''s'
                USER 10001:0
                EXPOSE 8080/tcp
                STOPSIGNAL SIGTERM
                HEALTHCHECK --interval=1m30s --retries=2 CMD curl -fsS http://localhost:8080/ || exit 1
                ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/app.jar"]
                CMD ["serve"]
                """);
        assertThat(d.stages()).extracting(Dockerfile.Stage::name).containsExactly("build", null);
        Dockerfile.Instruction run = d.stage("build").all("RUN").getFirst();
        assertThat(run.line()).isEqualTo(5);
        assertThat(run.flagged().flags()).containsEntry("mount", "type=cache,target=/root/.m2");
        assertThat(run.flagged().rest()).isEqualTo("mvn -B package   && cp target/app.jar /app.jar");
        assertThat(d.runtime().copiesFrom()).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo("build");
            assertThat(c.sources()).containsExactly("/app.jar");
            assertThat(c.destination()).isEqualTo("/opt/app.jar");
        });
        assertThat(d.runtime().env()).isEqualTo(Map.of("A", "1", "B", "two words", "C", "its"));

        ImageConfig image = ImageConfig.of(d);
        assertThat(image.user()).isEqualTo("10001:0");
        assertThat(image.exposed()).containsExactly(8080);
        assertThat(image.stopSignal()).isEqualTo("SIGTERM");
        assertThat(image.cmd()).containsExactly("serve");
        assertThat(image.jvmOptions()).containsExactly("-XX:MaxRAMPercentage=75");
        assertThat(image.xxValue("MaxRAMPercentage")).contains("75");
        assertThat(image.copiedJars()).containsExactly("/opt/app.jar");
        assertThat(image.healthCheck()).isEqualTo(new ImageConfig.HealthCheck(
                List.of("CMD-SHELL", "curl -fsS http://localhost:8080/ || exit 1"), Duration.ofSeconds(90), Duration.ofSeconds(30),
                Duration.ZERO, 2));
    }

    @Test
    void anInstructionItDoesNotKnowIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> Dockerfile.parse(FILE, "FROM scratch\nRUN cat <<EOF\nhello\nEOF\n"))
                .hasMessageContaining("line 3").hasMessageContaining("unknown instruction 'hello'");
    }
}
