package dev.skewless.infra.bench;

import dev.skewless.infra.SkewlessInfraApp;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awscdk.App;

/**
 * How long synthesizing both stacks takes: in process (what a test or {@code bin/cdk-app}
 * spends: building the construct tree, then writing the cloud assembly), first in this JVM
 * (includes starting jsii's node process and loading the CDK) and warm; and end to end through the
 * cdk CLI ({@code infra:synth --offline}: node, a fresh JVM, jsii, synthesis), which is what a
 * release manager waits for.
 *
 * <pre>
 * ./mvnw -q -pl infra-cdk -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.skewless.infra.bench.SynthBenchmark -Dexec.args="10 3"
 * </pre>
 *
 * Arguments: warm in-process rounds (default 10), CLI runs (default 3). Figures go to
 * {@code docs/benchmarks.md}; this is a program, not a test.
 */
public final class SynthBenchmark {
    private SynthBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int cliRuns = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path module = findModule();
        Map<String, Object> flags = cdkJsonContext(module);
        Path scratch = Files.createTempDirectory("skewless-synth-bench");

        System.out.printf(Locale.ROOT, "synthesis benchmark: both stacks of App shop, offline fixture%n");
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));

        for (String shape : List.of("default", "variant")) {
            Map<String, Object> ctx = new HashMap<>(flags);
            ctx.put(SkewlessInfraApp.OFFLINE, "true");
            if (shape.equals("variant")) {
                ctx.putAll(Map.of("skewless:vpc", "new", "skewless:certificateArn",
                        "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                        "skewless:albDomainName", "api-origin.shop.example.com"));
            }
            List<long[]> samples = new ArrayList<>();
            for (int i = 0; i <= rounds; i++) {
                long t0 = System.nanoTime();
                App app = SkewlessInfraApp.newApp(new HashMap<>(ctx), scratch.resolve(shape + "-" + i).toString());
                SkewlessInfraApp.define(app);
                long t1 = System.nanoTime();
                app.synth();
                long t2 = System.nanoTime();
                samples.add(new long[] {t1 - t0, t2 - t1});
            }
            long[] first = samples.removeFirst();
            System.out.printf(Locale.ROOT, "%n[%s] first in this JVM: define %s, synth %s, total %s%n", shape, ms(first[0]), ms(first[1]),
                    ms(first[0] + first[1]));
            System.out.printf(Locale.ROOT, "[%s] warm (%d rounds): define median %s, synth median %s, total median %s, p90 %s, min %s%n",
                    shape, rounds, ms(median(samples, 0)), ms(median(samples, 1)), ms(medianTotal(samples)), ms(p90Total(samples)),
                    ms(minTotal(samples)));
        }

        List<Long> cli = new ArrayList<>();
        Path cdk = module.resolve("node_modules/.bin/cdk");
        for (int i = 0; i < cliRuns; i++) {
            Path out = scratch.resolve("cli-" + i);
            ProcessBuilder pb = new ProcessBuilder(cdk.toString(), "synth", "--quiet", "-c", "skewless:offline=true", "-c", "skewless:app=shop",
                    "-o", out.toString()).directory(module.toFile()).redirectErrorStream(true)
                    .redirectOutput(scratch.resolve("cli-" + i + ".log").toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("cdk synth failed; see " + scratch.resolve("cli-" + i + ".log"));
            }
            cli.add(System.nanoTime() - t0);
        }
        cli.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "%ninfra:synth --offline through the cdk CLI (%d runs): median %s, min %s, max %s%n", cliRuns,
                ms(cli.get(cli.size() / 2)), ms(cli.getFirst()), ms(cli.getLast()));
        deleteRecursively(scratch);
        System.exit(0);
    }

    private static long median(List<long[]> s, int i) {
        List<Long> v = s.stream().map(a -> a[i]).sorted().toList();
        return v.get(v.size() / 2);
    }

    private static long medianTotal(List<long[]> s) {
        List<Long> v = s.stream().map(a -> a[0] + a[1]).sorted().toList();
        return v.get(v.size() / 2);
    }

    private static long p90Total(List<long[]> s) {
        List<Long> v = s.stream().map(a -> a[0] + a[1]).sorted().toList();
        return v.get(Math.min(v.size() - 1, (int) Math.ceil(v.size() * 0.9) - 1));
    }

    private static long minTotal(List<long[]> s) {
        return s.stream().mapToLong(a -> a[0] + a[1]).min().orElseThrow();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    private static Path findModule() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("cdk.json")) ? here : here.resolve("infra-cdk");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cdkJsonContext(Path module) throws IOException {
        return (Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(module.resolve("cdk.json").toFile(), Map.class).get("context");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
