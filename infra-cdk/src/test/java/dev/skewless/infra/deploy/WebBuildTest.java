package dev.skewless.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.WebAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebBuildTest {
    @TempDir
    Path dist;

    @Test
    void hashedAssetsFirstThenOtherFilesThenIndexLast() throws IOException {
        write("index.html");
        write("robots.txt");
        write("assets/index-B2x9Qz1a.js");
        write("assets/vendor-9f8e7d6c.js");
        write("assets/index-Cq3rT0aa.css");
        write("assets/fonts/inter-4d5e6f.woff2");
        write("favicon.ico");
        WebBuild build = WebBuild.scan(dist);
        assertThat(build.files()).extracting(WebBuild.File::key).containsExactly(
                "assets/fonts/inter-4d5e6f.woff2", "assets/index-B2x9Qz1a.js", "assets/index-Cq3rT0aa.css", "assets/vendor-9f8e7d6c.js",
                "favicon.ico", "robots.txt", "index.html");
        assertThat(build.assetKeys()).hasSize(4).allMatch(k -> k.startsWith("assets/"));
        assertThat(build.files()).filteredOn(WebBuild.File::hashed).allMatch(f -> f.cacheControl().equals(WebAssets.IMMUTABLE));
        assertThat(build.files()).filteredOn(f -> !f.hashed()).allMatch(f -> f.cacheControl().equals(WebAssets.NO_CACHE));
    }

    @Test
    void aBuildWithoutIndexIsRefused() throws IOException {
        write("assets/a.js");
        assertThatThrownBy(() -> WebBuild.scan(dist)).isInstanceOf(DeployException.class).hasMessageContaining("holds no index.html");
    }

    private void write(String key) throws IOException {
        Path p = dist.resolve(key);
        Files.createDirectories(p.getParent());
        Files.writeString(p, key);
    }
}
