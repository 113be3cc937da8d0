package dev.skewless.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalCommandTest {
    private final Path root = Path.of("/repo");

    @Test
    void printsPathsRelativeToTheRepositoryAndQuotesWhatAShellWouldSplit() {
        LocalCommand c = LocalCommand.in(root.resolve("web"), "npm", "run", "build").withEnv("VITE_DEPLOYMENT_ID", "v 3");
        assertThat(c.describe(root)).isEqualTo("(in web) VITE_DEPLOYMENT_ID='v 3' npm run build");
        LocalCommand docker = LocalCommand.in(root, "docker", "build", "--file", "/repo/controller/Dockerfile", "x'y");
        assertThat(docker.describe(root)).isEqualTo("docker build --file controller/Dockerfile 'x'\\''y'");
    }

    @Test
    void standardInputIsNeverPrinted() {
        LocalCommand login = LocalCommand.in(root, "docker", "login", "--password-stdin", "registry").withStdin("s3cr3t-token");
        assertThat(login.describe(root)).isEqualTo("docker login --password-stdin registry < (hidden)").doesNotContain("s3cr3t");
    }
}
