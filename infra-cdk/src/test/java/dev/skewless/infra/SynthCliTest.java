package dev.skewless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.infra.deploy.Deployment;
import dev.skewless.infra.deploy.Effects;
import dev.skewless.infra.deploy.LocalCommand;
import dev.skewless.infra.deploy.Transcript;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code infra:synth --offline} for real: the pinned aws-cdk CLI (installed by {@code npm ci}
 * before the tests) runs the Java app through {@code bin/cdk-app} on a JDK >= 21, with no AWS
 * account. The cloud assembly it writes holds both stacks, needed no lookup, passed the CDK's
 * template validation, and its templates are the ones the assertion tests check.
 */
class SynthCliTest {
    private static final Path ROOT = CdkJson.MODULE.getParent();
    private static final Path OUT = CdkJson.MODULE.resolve("target/cdk-synth-test");
    private static int exitCode;
    private static String output;

    @BeforeAll
    static void synthesize() throws Exception {
        deleteRecursively(OUT);
        Transcript t = new Transcript(new PrintWriter(new StringWriter()), false);
        Deployment d = new Deployment(new Effects(t, ROOT, null), t,
                new Deployment.Target("shop", "skewless", ROOT, List.of(), false), Clock.systemUTC());
        // Exactly the command infra:synth --offline --controller-tag latest runs (the tag the
        // in-process templates get by default), with its output kept out of the test log.
        LocalCommand synth = d.cdk(List.of("synth", "--quiet", "-c", "skewless:offline=true", "-o", OUT.toString()), "latest");
        Path log = CdkJson.MODULE.resolve("target/test-logs/cdk-synth.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(synth.argv()).directory(synth.directory().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The CLI must not find credentials or a region here, and must not need them.
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
        // This build compiled the classes bin/cdk-app runs: it must not rebuild (and so rewrite
        // the controller's jars under this JVM) when a stale marker from an earlier build says so.
        pb.environment().put("SKEWLESS_INFRA_CLASSES_CURRENT", "1");
        Process p = pb.start();
        if (!p.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("cdk synth did not finish in 5 minutes; see " + log);
        }
        exitCode = p.exitValue();
        output = Files.readString(log);
    }

    @Test
    void synthesizesBothStacksOfflineWithoutErrors() throws IOException {
        assertThat(exitCode).as(output).isZero();
        assertThat(output).doesNotContain("ERROR");
        Map<String, Object> manifest = json(OUT.resolve("manifest.json"));
        assertThat(manifest).doesNotContainKey("missing");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> artifacts = (Map<String, Map<String, Object>>) manifest.get("artifacts");
        assertThat(artifacts).containsKeys("skewless-shop-backend", "skewless-shop-frontend");
        assertThat(artifacts.get("skewless-shop-backend").get("environment")).isEqualTo("aws://123456789012/eu-west-1");
        @SuppressWarnings("unchecked")
        List<String> deps = (List<String>) artifacts.get("skewless-shop-frontend").get("dependencies");
        assertThat(deps).contains("skewless-shop-backend");
    }

    @Test
    void theCliTemplatesAreTheOnesTheAssertionTestsCheck() throws IOException {
        Synthesized inProcess = Synthesized.defaults();
        assertThat(comparable(json(OUT.resolve("skewless-shop-backend.template.json"))))
                .isEqualTo(comparable(inProcess.backend.toJSON()));
        assertThat(comparable(json(OUT.resolve("skewless-shop-frontend.template.json"))))
                .isEqualTo(comparable(inProcess.frontend.toJSON()));
    }

    /** Resources without CDK bookkeeping (construct paths, version reporting), which the CLI adds. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparable(Map<String, Object> template) {
        Map<String, Object> resources = new HashMap<>((Map<String, Object>) template.get("Resources"));
        resources.remove("CDKMetadata");
        resources.replaceAll((id, r) -> {
            Map<String, Object> copy = new HashMap<>((Map<String, Object>) r);
            copy.remove("Metadata");
            return copy;
        });
        return resources;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), Map.class);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
