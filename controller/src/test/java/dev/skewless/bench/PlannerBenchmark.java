package dev.skewless.bench;

import com.sun.management.ThreadMXBean;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.observed.ObservedState;
import dev.skewless.testing.SkewlessSimulation;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How long the planner takes, and how much it allocates, for a full resync of many Apps.
 *
 * <p>Builds {@code apps} Apps with {@code versions} versions each against in-memory AWS and lets
 * the real controller loop converge them (one live version, the rest superseded and routable),
 * then snapshots every App's records and observed state and times {@link Planner#plan} over all
 * of them, repeatedly. Also times the "cold" pass, where every version is new and nothing exists.
 * The planner is pure, so this measures planning alone: no I/O, no store, no AWS.
 *
 * <p>Run: {@code ./mvnw -q -pl controller test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.skewless.bench.PlannerBenchmark -Dexec.args="100 50"}
 */
public final class PlannerBenchmark {
    private static final int WARMUP = 20;
    private static final int ROUNDS = 40;

    private record Input(App app, List<AppVersion> versions, ObservedState observed) {}

    public static void main(String[] args) {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int versions = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        // 50 versions x 2 carriers is past ALB's default 100 rules per load balancer: raise the quotas
        // (the planner's cost does not depend on them) so every version is routable.
        PlannerConfig config = new PlannerConfig("skewless", new PlannerConfig.AlbQuotas(1000, 1000, 5, 5),
                Duration.ofMinutes(15), Duration.ofSeconds(5));
        Planner planner = new Planner(config);

        long setupStart = System.nanoTime();
        List<Input> steady = new ArrayList<>();
        List<Input> cold = new ArrayList<>();
        Instant now = null;
        for (int a = 0; a < apps; a++) {
            SkewlessSimulation sim = new SkewlessSimulation(a, config);
            sim.cloud.rulesPerLoadBalancer(1000).targetGroupsPerLoadBalancer(1000);
            String name = "app" + a;
            App app = SkewlessSimulation.app(name, 1000);
            app = new App(app.metadata(), new AppSpec(app.spec().platform(),
                    new RouterSpec(SkewlessSimulation.LISTENER, new PriorityRange(1000, 1499), List.of("/api/*"), List.of(),
                            Duration.ofSeconds(30), false, null),
                    app.spec().routing(), new RetentionSpec(Duration.ofDays(2), Duration.ofMinutes(10), Duration.ofDays(7), null,
                            versions), app.spec().release(), null), null);
            sim.apply(app);
            for (int v = 1; v <= versions; v++) {
                sim.apply(SkewlessSimulation.version(name, "v" + v));
            }
            cold.add(snapshot(sim, name));
            sim.converge(name, 200);
            steady.add(snapshot(sim, name));
            now = sim.clock.instant();
        }
        long setupMs = (System.nanoTime() - setupStart) / 1_000_000;
        int actionsAtSteadyState = 0;
        for (Input in : steady) {
            actionsAtSteadyState += planner.plan(in.app(), in.versions(), in.observed(), now).cloudActions().size();
        }
        int actionsCold = 0;
        for (Input in : cold) {
            actionsCold += planner.plan(in.app(), in.versions(), in.observed(), now).cloudActions().size();
        }

        System.out.printf("planner benchmark: %d apps x %d versions (setup %d ms), %d warm-up + %d measured rounds%n",
                apps, versions, setupMs, WARMUP, ROUNDS);
        System.out.printf("machine: %d cores, %s %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        measure("steady state (nothing to do)", planner, steady, now, actionsAtSteadyState);
        measure("cold (every version new)", planner, cold, now, actionsCold);
    }

    private static Input snapshot(SkewlessSimulation sim, String name) {
        App app = sim.store.getApp(name).orElseThrow();
        var c = sim.cloud.compute().observe(app);
        var r = sim.cloud.router().observe(app);
        return new Input(app, sim.store.listVersions(name),
                new ObservedState(r.listener(), r.targetGroups(), c.services(), c.taskDefinitions(), Map.of()));
    }

    private static void measure(String label, Planner planner, List<Input> inputs, Instant now, int actions) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long[] nanos = new long[ROUNDS];
        long[] bytes = new long[ROUNDS];
        long sink = 0;
        for (int round = -WARMUP; round < ROUNDS; round++) {
            long allocBefore = threads.getThreadAllocatedBytes(tid);
            long start = System.nanoTime();
            for (Input in : inputs) {
                sink += planner.plan(in.app(), in.versions(), in.observed(), now).actions().size();
            }
            long elapsed = System.nanoTime() - start;
            long allocated = threads.getThreadAllocatedBytes(tid) - allocBefore;
            if (round >= 0) {
                nanos[round] = elapsed;
                bytes[round] = allocated;
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(bytes);
        System.out.printf("%-30s full pass over %d apps: median %.1f ms, p90 %.1f ms, min %.1f ms; per app %.3f ms;"
                        + " allocated %.1f MiB per full pass (%.0f KiB per app); cloud actions planned: %d (checksum %d)%n",
                label, inputs.size(), nanos[ROUNDS / 2] / 1e6, nanos[ROUNDS * 9 / 10] / 1e6, nanos[0] / 1e6,
                nanos[ROUNDS / 2] / 1e6 / inputs.size(), bytes[ROUNDS / 2] / 1048576.0,
                bytes[ROUNDS / 2] / 1024.0 / inputs.size(), actions, sink);
    }
}
