package dev.skewless.bench;

import dev.skewless.cli.ManifestApplier;
import dev.skewless.cli.dev.DevRuntime;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.platform.local.LocalComputePlatform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What skew protection buys, measured: N simulated clients built against v1 keep calling the API
 * while v2, whose order API breaks v1 clients, is applied and promoted. Run twice on the real dev
 * runtime (embedded store, the production planner and engine, local api-service processes, the
 * local router):
 * <ul>
 *   <li><b>pinned</b>: clients send {@code x-deployment-id: v1}, as the web client does;</li>
 *   <li><b>unpinned</b>: clients send no pin and v1 is revoked once v2 is live, which is what a
 *       plain rolling replacement does (the original demo: one ECS service, old tasks replaced).</li>
 * </ul>
 * Each client alternates reading the catalogue and placing an order in v1's shape. A response
 * counts as <i>failed</i> when its status is not 2xx, as <i>mismatched</i> when it came from
 * another version than v1 (header) or is not in v1's shape. Then the router's added latency: the
 * same backend task called through the router and directly, interleaved, p50/p99.
 *
 * <p>Needs {@code api-service/target/api-service.jar}. Run from the repository:
 * {@code ./mvnw -q -pl api-service,controller -am package -DskipTests && ./mvnw -q -pl controller
 * test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.skewless.bench.SkewBenchmark
 * -Dexec.args="20 40"} (clients, seconds per run).
 */
public final class SkewBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SkewBenchmark() {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path repo = repoRoot();
        if (!Files.isRegularFile(repo.resolve("api-service/target/api-service.jar"))) {
            throw new IllegalStateException("build api-service/target/api-service.jar first: ./mvnw -pl api-service package -DskipTests");
        }
        System.out.printf("skew benchmark: %d clients, %d s per run, machine: %d cores, %s %s%n", clients, seconds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
        List<Result> results = new ArrayList<>();
        for (boolean pinned : new boolean[] {true, false}) {
            results.add(run(repo, pinned, clients, seconds));
        }
        System.out.println();
        System.out.println("| run | requests | failed | mismatched | served by v1 | served by v2 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            System.out.printf("| %s | %d | %d (%.1f %%) | %d (%.1f %%) | %d | %d |%n", r.name, r.requests, r.failed,
                    100.0 * r.failed / Math.max(1, r.requests), r.mismatched, 100.0 * r.mismatched / Math.max(1, r.requests),
                    r.byV1, r.byV2);
        }
    }

    record Result(String name, long requests, long failed, long mismatched, long byV1, long byV2) {}

    private static Result run(Path repo, boolean pinned, int clients, int seconds) throws Exception {
        String name = pinned ? "pinned (skewless)" : "unpinned (rolling replacement)";
        Path state = Files.createTempDirectory("skewless-skew-bench-");
        try (DevRuntime dev = DevRuntime.start(new DevRuntime.Options(repo, state, 0, 0, List.of(), "none", Duration.ofMillis(500)))) {
            ManifestApplier apply = new ManifestApplier(dev.store());
            String app = Files.readString(repo.resolve("manifests/dev/shop-app.yaml"))
                    .replaceAll("default: \\S+", "default: 10m");
            String v1 = Files.readString(repo.resolve("manifests/dev/shop-v1.yaml"));
            String v2 = Files.readString(repo.resolve("manifests/dev/shop-v2.yaml"));
            apply.apply(ManifestReader.read(app + "\n---\n" + v1, "bench"), false);
            awaitPhase(dev, "v1", Phase.Live, Duration.ofMinutes(3));
            URI base = dev.routerUri();

            Counters c = new Counters();
            Instant end = Instant.now().plusSeconds(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                threads.add(Thread.ofVirtual().start(() -> client(base, pinned, client, end, c)));
            }
            Thread.sleep(Duration.ofSeconds(Math.max(2, seconds / 5)));
            long t0 = System.nanoTime();
            apply.apply(ManifestReader.read(v2, "bench"), false);
            awaitPhase(dev, "v2", Phase.Ready, Duration.ofMinutes(3));
            apply.apply(ManifestReader.read(app.replace("live: v1", "live: v2"), "bench"), false);
            awaitPhase(dev, "v2", Phase.Live, Duration.ofMinutes(1));
            if (!pinned) {
                apply.apply(ManifestReader.read(v1.replace("  env:", "  revoked: true\n  env:"), "bench"), false);
            }
            System.out.printf("[%s] v2 applied and live after %d ms%s%n", name, (System.nanoTime() - t0) / 1_000_000,
                    pinned ? "" : "; v1 revoked");
            for (Thread t : threads) {
                t.join();
            }
            Result r = new Result(name, c.requests.get(), c.failed.get(), c.mismatched.get(), c.byV1.get(), c.byV2.get());
            System.out.printf("[%s] %d requests, %d failed, %d mismatched%n", name, r.requests, r.failed, r.mismatched);
            if (pinned) {
                latency(dev, base);
            }
            return r;
        } finally {
            deleteTree(state);
        }
    }

    private static final class Counters {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong mismatched = new AtomicLong();
        final AtomicLong byV1 = new AtomicLong();
        final AtomicLong byV2 = new AtomicLong();
    }

    /** One v1 client: catalogue, then an order, every 250 ms. */
    private static void client(URI base, boolean pinned, int client, Instant end, Counters c) {
        String[] items = {"espresso-beans", "pour-over-kettle", "burr-grinder", "paper-filters"};
        int n = 0;
        while (Instant.now().isBefore(end)) {
            boolean order = n++ % 2 == 1;
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(order ? "/api/orders" : "/api/items"))
                    .timeout(Duration.ofSeconds(10)).header("accept", "application/json");
            if (pinned) {
                b.header("x-deployment-id", "v1");
            }
            if (order) {
                b.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"itemId\":\"" + items[(client + n) % items.length] + "\",\"quantity\":1}"));
            }
            c.requests.incrementAndGet();
            try {
                HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                String from = res.headers().firstValue("x-deployment-id").orElse("");
                if ("v1".equals(from)) {
                    c.byV1.incrementAndGet();
                } else if ("v2".equals(from)) {
                    c.byV2.incrementAndGet();
                }
                if (res.statusCode() / 100 != 2) {
                    c.failed.incrementAndGet();
                }
                Predicate<String> v1Shape = order ? body -> body.contains("\"orderId\"") : body -> body.contains("\"name\"");
                if (!"v1".equals(from) || (res.statusCode() / 100 == 2 && !v1Shape.test(res.body()))) {
                    c.mismatched.incrementAndGet();
                }
            } catch (IOException e) {
                c.failed.incrementAndGet();
                c.mismatched.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The same v1 task, through the router and directly, interleaved. */
    private static void latency(DevRuntime dev, URI router) throws Exception {
        LocalComputePlatform.TaskView task = dev.tasks().stream().filter(t -> t.version().equals("v1") && t.healthy())
                .findFirst().orElseThrow(() -> new IllegalStateException("no healthy v1 task"));
        HttpRequest viaRouter = HttpRequest.newBuilder(router.resolve("/api/items")).header("x-deployment-id", "v1").build();
        HttpRequest direct = HttpRequest.newBuilder(task.uri().resolve("/api/items")).header("x-deployment-id", "v1").build();
        for (int i = 0; i < 500; i++) {
            HTTP.send(viaRouter, HttpResponse.BodyHandlers.discarding());
            HTTP.send(direct, HttpResponse.BodyHandlers.discarding());
        }
        int n = 3000;
        long[] routed = new long[n];
        long[] straight = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HTTP.send(viaRouter, HttpResponse.BodyHandlers.ofString());
            routed[i] = System.nanoTime() - t;
            t = System.nanoTime();
            HTTP.send(direct, HttpResponse.BodyHandlers.ofString());
            straight[i] = System.nanoTime() - t;
        }
        Arrays.sort(routed);
        Arrays.sort(straight);
        System.out.printf("%nrouter latency, GET /api/items, %d sequential requests each, same v1 task:%n", n);
        System.out.println("| path | p50 | p99 |");
        System.out.println("| --- | ---: | ---: |");
        System.out.printf("| direct to the task | %.2f ms | %.2f ms |%n", ms(straight, 0.50), ms(straight, 0.99));
        System.out.printf("| through the local router | %.2f ms | %.2f ms |%n", ms(routed, 0.50), ms(routed, 0.99));
        System.out.printf("| added by the router | %.2f ms | %.2f ms |%n", ms(routed, 0.50) - ms(straight, 0.50),
                ms(routed, 0.99) - ms(straight, 0.99));
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    private static void awaitPhase(DevRuntime dev, String version, Phase phase, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        VersionKey key = new VersionKey("shop", version);
        while (Instant.now().isBefore(deadline)) {
            Phase now = dev.store().getVersion(key).map(AppVersion::status).map(s -> s.phase()).orElse(null);
            if (now == phase || (phase == Phase.Ready && now == Phase.Live)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(version + " not " + phase + " after " + timeout);
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("skewless"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run from inside the skewless repository");
        }
        return p;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
