package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./skewless} launcher as a real process. It runs in the test phase, before the shaded
 * jar exists, so it uses the launcher's {@code SKEWLESS_CLASSPATH} (this test's classpath: run
 * from classes, build nothing); what it proves is the part a unit test cannot: the script picks a
 * JDK >= 21 however JAVA_HOME and PATH point at an older one, passes the arguments through and
 * returns the command's exit code. The jar build is exercised by running {@code ./skewless} on a
 * fresh checkout (docs/cli.md), not here, to keep the test phase from packaging.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../skewless").normalize();
    private static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    record Result(int exit, String out, String err) {}

    private static Result launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SKEWLESS_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpRunsOnAJdkOf21OrNewerEvenWhenJavaHomeIsOlder() throws Exception {
        String oldJdk = Files.isExecutable(JDK_17.resolve("bin/javac")) ? JDK_17.toString() : "/nonexistent";
        String path = oldJdk + "/bin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");

        Result r = launch(Map.of("JAVA_HOME", oldJdk, "PATH", path, "SKEWLESS_JAVA_OPTS", "-XshowSettings:properties"), "--help");

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("Usage: skewless").contains("promote").contains("Exit codes:");
        String spec = r.err().lines().filter(l -> l.strip().startsWith("java.specification.version = ")).findFirst().orElseThrow();
        assertThat(Integer.parseInt(spec.substring(spec.indexOf('=') + 1).strip())).isGreaterThanOrEqualTo(21);
    }

    @Test
    void passesArgumentsThroughAndReturnsTheExitCode() throws Exception {
        Result usage = launch(Map.of(), "frobnicate");
        Result version = launch(Map.of(), "--version");

        assertThat(usage.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(usage.err()).contains("Unmatched argument at index 0: 'frobnicate'");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("skewless ");
    }
}
