package dev.skewless.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the flow of the code one-directional: {@code model → plan → engine → providers (store,
 * platform, router) → service, operator (composition roots) → api / cli}; {@code aws} is shared AWS plumbing below every provider. Nothing reaches backwards, providers do not know each other, and
 * the planner stays pure (no clock, no I/O, no randomness).
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/dev/skewless");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?dev\\.skewless\\.(\\w+)", Pattern.MULTILINE);

    /** For each top-level package, the skewless packages it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("model", Set.of("model")),
            Map.entry("plan", Set.of("model", "plan")),
            Map.entry("aws", Set.of("model", "plan", "aws")),
            Map.entry("engine", Set.of("model", "plan", "aws", "engine", "store", "platform", "router")),
            Map.entry("store", Set.of("model", "plan", "aws", "store")),
            Map.entry("platform", Set.of("model", "plan", "aws", "platform")),
            Map.entry("router", Set.of("model", "plan", "aws", "router")),
            Map.entry("service", Set.of("model", "plan", "aws", "engine", "store", "platform", "router", "service")),
            // The Kubernetes operator is a second composition root beside service, which it reuses.
            Map.entry("operator", Set.of("model", "plan", "aws", "engine", "store", "platform", "router", "service", "operator")),
            Map.entry("api", Set.of("model", "plan", "aws", "engine", "store", "platform", "router", "service", "api")),
            Map.entry("cli", Set.of("model", "plan", "aws", "engine", "store", "platform", "router", "service", "operator", "api",
                    "cli")));

    @Test
    void packagesOnlyImportWhatComesBeforeThem() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(MAIN)) {
            String pkg = MAIN.relativize(file).getName(0).toString();
            Set<String> allowed = ALLOWED.get(pkg);
            assertThat(allowed).as("package %s of %s has no layering rule; add one", pkg, file).isNotNull();
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                if (!allowed.contains(m.group(1))) {
                    violations.add(file + " imports dev.skewless." + m.group(1));
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void thePlannerDoesNoIoAndReadsNoClock() throws IOException {
        List<String> banned = List.of("java.io.", "java.net.", "java.nio.file", "Instant.now(", "Clock.", "System.currentTimeMillis",
                "System.nanoTime", "new Random", "ThreadLocalRandom", "software.amazon", "Thread.sleep");
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(MAIN.resolve("plan"))) {
            String src = Files.readString(file);
            for (String b : banned) {
                if (src.contains(b)) {
                    violations.add(file + " uses " + b);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
