package dev.skewless.infra.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ignore rules match as BuildKit's: last match wins, directories cover their contents, ** spans segments. */
class DockerIgnoreTest {
    @Test
    void everythingOutButWhatIsReincluded() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("# comment", "*", "!mvnw", "!.mvn/", "!controller/src/main/", "!api-service/src/**"));
        assertThat(ignore.excludes("mvnw")).isFalse();
        assertThat(ignore.excludes(".mvn/wrapper/maven-wrapper.properties")).isFalse();
        assertThat(ignore.excludes("controller/src/main/java/dev/skewless/Main.java")).isFalse();
        assertThat(ignore.excludes("api-service/src/test/java/A.java")).isFalse();
        assertThat(ignore.excludes("controller/src/test/java/A.java")).isTrue();
        assertThat(ignore.excludes("controller/pom.xml")).isTrue();
        assertThat(ignore.excludes("pom.xml")).isTrue();
    }

    @Test
    void theLastMatchingRuleWinsAndPatternsStayInTheirSegments() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("**/target", "!keep/target/app.jar", "docs/*.md", "/build?"));
        assertThat(ignore.excludes("target/classes/A.class")).isTrue();
        assertThat(ignore.excludes("a/b/target/x")).isTrue();
        assertThat(ignore.excludes("keep/target/app.jar")).isFalse();
        assertThat(ignore.excludes("docs/a.md")).isTrue();
        assertThat(ignore.excludes("docs/sub/a.md")).as("* does not cross /").isFalse();
        assertThat(ignore.excludes("build1/x")).isTrue();
        assertThat(ignore.excludes("build12")).isFalse();
    }

    @Test
    void noRulesKeepEverything() {
        assertThat(DockerIgnore.NONE.excludes("anything/at/all")).isFalse();
    }
}
