package dev.skewless.bench;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.CallRates;
import dev.skewless.aws.MotoAccount;
import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.ResourceNames;
import dev.skewless.platform.ecs.EcsComputePlatform;
import dev.skewless.router.alb.AlbTrafficRouter;
import dev.skewless.testing.TestingClock;
import dev.skewless.testing.TestingVersionStore;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * How many AWS calls one full resync costs at steady state, against a real {@code moto_server},
 * compared with a naive per-version describe loop observing the same resources.
 *
 * <p>Sets up one ALB with one HTTP listener and one ECS cluster, applies {@code apps} Apps with
 * {@code versions} versions each (release {@code latest}), and runs the real planner,
 * {@link AppReconciler} and both AWS providers until every App has one Live and
 * {@code versions - 1} Superseded, routable versions and a pass changes nothing. Every odd App's
 * versions autoscale, so its live version also has a scalable target and a scaling policy. moto never
 * registers ECS tasks in target groups, so between rounds the program registers made-up task IPs
 * in every group that has none (what ECS would do), with a client that is not counted.
 *
 * <p>Then it measures, with the {@code skewless.aws.calls} counter every provider client reports
 * to: one full resync (one pass per App) 60 s later (the engine's default resync period; the
 * routers' five-minute caches are warm), the naive loop, and one more full resync after the
 * caches expired. A steady-state pass must issue zero mutating calls; the program fails if it
 * does not.
 *
 * <p>Quotas: {@code apps × versions} target groups on one load balancer and
 * {@code apps × (4 + 2 × versions)} rules are past ALB's quotas (100 target groups, hard; 100
 * rules, adjustable) for the default sizes. moto enforces neither, and the planner's quotas are
 * raised to 1000 here so it admits every version; a real account would spread these Apps over
 * several load balancers.
 *
 * <p>The store is the in-memory {@link TestingVersionStore}: DynamoDB calls are not part of these
 * figures.
 *
 * <p>Run: {@code ./mvnw -q -pl controller test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.skewless.bench.AwsCallsBenchmark -Dexec.args="20 10"}
 */
public final class AwsCallsBenchmark {
    private static final String CLUSTER = "apps";
    private static final int PRIORITIES_PER_APP = 50;
    private static final int MAX_ROUNDS = 80;

    private final int apps;
    private final int versions;
    private final MotoAccount account;
    private final EcsClient ecs;
    private final ElasticLoadBalancingV2Client elb;
    private final ElasticLoadBalancingV2Client uncounted;
    private final TestingClock clock = new TestingClock();
    private final TestingVersionStore store = new TestingVersionStore(clock);
    private final AppReconciler reconciler;
    private int nextIp = 0;

    private AwsCallsBenchmark(int apps, int versions) {
        this.apps = apps;
        this.versions = versions;
        if (4 + 2 * versions + 1 > PRIORITIES_PER_APP) {
            throw new IllegalArgumentException("at most " + (PRIORITIES_PER_APP - 5) / 2 + " versions per App");
        }
        account = MotoAccount.fresh().withNetwork();
        ecs = account.clients.ecs();
        elb = account.clients.elbv2();
        uncounted = account.setupElb();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        PlannerConfig config = new PlannerConfig(OwnershipTags.DEFAULT_OWNER, new PlannerConfig.AlbQuotas(1000, 1000, 5, 5),
                Duration.ofMinutes(15), Duration.ofSeconds(5));
        AlbTrafficRouter router = new AlbTrafficRouter(elb, null, OwnershipTags.DEFAULT_OWNER, clock, Duration.ofMinutes(5));
        reconciler = new AppReconciler(store, new EcsComputePlatform(ecs, account.clients.applicationAutoScaling(), null), router, new Planner(config)::plan, clock);
    }

    public static void main(String[] args) {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int versions = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        AwsCallsBenchmark bench = new AwsCallsBenchmark(apps, versions);
        int exit;
        try {
            exit = bench.run();
        } finally {
            bench.close();
        }
        System.exit(exit);
    }

    private int run() {
        long setupStart = System.nanoTime();
        for (int a = 0; a < apps; a++) {
            store.applyApp(app(a));
            for (int v = 1; v <= versions; v++) {
                store.applyVersion(version(name(a), "v" + v, a % 2 == 1));
            }
        }
        int rounds = converge();
        long setupMs = (System.nanoTime() - setupStart) / 1_000_000;
        System.out.printf("AWS calls benchmark: %d apps x %d versions on moto_server, converged in %d rounds (%d ms)%n", apps,
                versions, rounds, setupMs);
        System.out.printf("machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        System.out.printf("owned resources: %d services, %d target groups, %d rules on the listener%n", count(Phase.Live) + count(
                Phase.Superseded), uncounted.describeTargetGroups().targetGroups().size(), allRules().size() - 1);
        System.out.printf("autoscaled: every odd App (%d of %d), so %d scalable targets with a target tracking policy%n", apps / 2, apps,
                apps / 2);

        clock.advance(Duration.ofSeconds(60));
        Measured resync = measure(this::resync);
        Measured naive = measure(this::naiveLoop);
        clock.advance(Duration.ofMinutes(6));
        Measured expired = measure(this::resync);

        print(resync, naive, expired);
        boolean quiet = resync.mutations() == 0 && expired.mutations() == 0 && resync.result() == 0 && expired.result() == 0;
        System.out.println(quiet ? "steady state: ZERO mutating calls, zero actions executed (OK)"
                : "steady state NOT quiet: mutating calls or actions were issued (FAIL)");
        return quiet ? 0 : 1;
    }

    // ---- the world ----

    private static String name(int a) {
        return "app" + a;
    }

    private App app(int a) {
        int first = 1000 + a * PRIORITIES_PER_APP;
        return new App(ObjectMeta.ofApp(name(a)), new AppSpec(
                new PlatformSpec(CLUSTER, List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                        "arn:aws:iam::123456789012:role/exec", null, "/skewless/" + name(a), false, 1),
                new RouterSpec(account.listenerArn, new PriorityRange(first, first + PRIORITIES_PER_APP - 1), List.of("/" + name(a) + "/*"),
                        List.of(), Duration.ofSeconds(5), false, null),
                RoutingSpec.DEFAULT,
                // Long enough that nothing expires while the program runs; idle expiry off (no CloudWatch).
                new RetentionSpec(Duration.ofDays(2), Duration.ofMinutes(10), Duration.ofDays(7), null, versions),
                ReleaseSpec.LATEST, null), null);
    }

    /** Every odd App autoscales (2..4 tasks on 60% CPU): its live version has a scalable target and a policy. */
    private static AppVersion version(String app, String id, boolean autoscaled) {
        return new AppVersion(ObjectMeta.ofVersion(app, id), new AppVersionSpec("repo/" + app + ":" + id, 256, 512, 2, 8080,
                Map.of("VERSION", id), Map.of(), null, null, false,
                autoscaled ? new AutoscalingSpec(2, 4, 60, null, null, null) : null), null);
    }

    /** Passes over every App until a whole round changes nothing and every App is 1 Live + the rest Superseded. */
    private int converge() {
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            clock.advance(Duration.ofSeconds(10));
            int actions = 0;
            boolean allSucceeded = true;
            for (int a = 0; a < apps; a++) {
                PassResult r = reconciler.reconcile(name(a));
                actions += r.actionsExecuted();
                allSucceeded &= r.outcome() == PassResult.Outcome.SUCCEEDED;
            }
            if (allSucceeded && actions == 0 && count(Phase.Live) == apps && count(Phase.Superseded) == apps * (versions - 1)) {
                return round;
            }
            registerTargets();
        }
        throw new IllegalStateException("did not converge in " + MAX_ROUNDS + " rounds: " + count(Phase.Live) + " live, "
                + count(Phase.Superseded) + " superseded");
    }

    private int count(Phase phase) {
        int n = 0;
        for (int a = 0; a < apps; a++) {
            n += (int) store.listVersions(name(a)).stream().filter(v -> v.status().phase() == phase).count();
        }
        return n;
    }

    private void registerTargets() {
        for (TargetGroup tg : uncounted.describeTargetGroupsPaginator(b -> b.pageSize(400)).targetGroups()) {
            if (uncounted.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions().isEmpty()) {
                // As many as the version's desired count (2), as ECS would register.
                String a = ip();
                String b2 = ip();
                uncounted.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                        .targets(t -> t.id(a).port(tg.port()), t -> t.id(b2).port(tg.port())));
            }
        }
    }

    private String ip() {
        int n = nextIp++;
        return "10.0." + (1 + n / 250) + "." + (2 + n % 250);
    }

    private List<Rule> allRules() {
        List<Rule> out = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeRulesResponse r = uncounted.describeRules(b -> b.listenerArn(account.listenerArn).pageSize(400).marker(m));
            out.addAll(r.rules());
            marker = r.nextMarker();
        } while (marker != null);
        return out;
    }

    // ---- what is measured ----

    /** One pass per App, as the engine's periodic resync does. Returns the actions executed. */
    private int resync() {
        int actions = 0;
        for (int a = 0; a < apps; a++) {
            PassResult r = reconciler.reconcile(name(a));
            if (r.outcome() != PassResult.Outcome.SUCCEEDED) {
                throw new IllegalStateException(name(a) + ": " + r.error());
            }
            actions += r.actionsExecuted();
        }
        return actions;
    }

    /**
     * The straightforward way to observe the same versions: for each version, describe its
     * service by its deterministic name, find its target group by name, read its target health,
     * list the listener's rules to find the version's, and read the tags of each of its ELB
     * resources one call per resource. ECS tags come with DescribeServices ({@code include TAGS});
     * the task family's latest revision is described with its tags. Returns the number of versions observed.
     */
    private int naiveLoop() {
        int observed = 0;
        for (int a = 0; a < apps; a++) {
            for (AppVersion v : store.listVersions(name(a))) {
                VersionKey key = new VersionKey(name(a), v.metadata().name());
                ecs.describeServices(b -> b.cluster(CLUSTER).services(ResourceNames.service(key)).include(ServiceField.TAGS));
                TargetGroup tg = elb.describeTargetGroups(b -> b.names(ResourceNames.targetGroup(key))).targetGroups().getFirst();
                elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn()));
                List<String> versionRules = new ArrayList<>();
                String marker = null;
                do {
                    String m = marker;
                    DescribeRulesResponse r = elb.describeRules(b -> b.listenerArn(account.listenerArn).pageSize(400).marker(m));
                    r.rules().stream().filter(rule -> forwardsTo(rule, tg.targetGroupArn())).forEach(rule -> versionRules.add(rule.ruleArn()));
                    marker = r.nextMarker();
                } while (marker != null);
                elb.describeTags(b -> b.resourceArns(tg.targetGroupArn()));
                for (String rule : versionRules) {
                    elb.describeTags(b -> b.resourceArns(rule));
                }
                // The family's latest ACTIVE revision, with its tags.
                ecs.describeTaskDefinition(b -> b.taskDefinition(ResourceNames.taskFamily(key)).include(TaskDefinitionField.TAGS));
                observed++;
            }
        }
        return observed;
    }

    private static boolean forwardsTo(Rule rule, String targetGroupArn) {
        return rule.actions().stream().anyMatch(a -> targetGroupArn.equals(a.targetGroupArn())
                || a.forwardConfig() != null && a.forwardConfig().targetGroups().stream().anyMatch(t -> targetGroupArn.equals(t.targetGroupArn())));
    }

    private record Measured(Map<String, Double> calls, long nanos, int result) {
        double total() {
            return calls.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double reads() {
            return calls.entrySet().stream().filter(e -> CallRates.isRead(e.getKey().substring(e.getKey().lastIndexOf(' ') + 1)))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        double mutations() {
            return total() - reads();
        }
    }

    private interface Body {
        int run();
    }

    private Measured measure(Body body) {
        Map<String, Double> before = byOperation();
        long start = System.nanoTime();
        int result = body.run();
        long nanos = System.nanoTime() - start;
        Map<String, Double> delta = new TreeMap<>();
        byOperation().forEach((op, n) -> {
            double d = n - before.getOrDefault(op, 0.0);
            if (d != 0) {
                delta.put(op, d);
            }
        });
        return new Measured(delta, nanos, result);
    }

    /** "service operation" → calls so far (every outcome). */
    private Map<String, Double> byOperation() {
        Map<String, Double> out = new TreeMap<>();
        for (Counter c : account.registry.find(AwsCallMetrics.CALLS).counters()) {
            out.merge(c.getId().getTag("service") + " " + c.getId().getTag("operation"), c.count(), Double::sum);
        }
        return out;
    }

    private void print(Measured resync, Measured naive, Measured expired) {
        int n = apps * versions;
        TreeSet<String> ops = new TreeSet<>();
        ops.addAll(resync.calls().keySet());
        ops.addAll(naive.calls().keySet());
        ops.addAll(expired.calls().keySet());
        System.out.printf("%n%-58s %14s %14s %14s%n", "calls by service and operation", "resync", "naive loop", "resync, caches");
        System.out.printf("%-58s %14s %14s %14s%n", "", "(caches warm)", "per version", "expired");
        for (String op : ops) {
            System.out.printf("%-58s %14.0f %14.0f %14.0f%n", op + (CallRates.isRead(op.substring(op.lastIndexOf(' ') + 1)) ? "" : " (mutating)"),
                    resync.calls().getOrDefault(op, 0.0), naive.calls().getOrDefault(op, 0.0), expired.calls().getOrDefault(op, 0.0));
        }
        System.out.printf("%-58s %14.0f %14.0f %14.0f%n", "describe/read calls", resync.reads(), naive.reads(), expired.reads());
        System.out.printf("%-58s %14.0f %14.0f %14.0f%n", "mutating calls", resync.mutations(), naive.mutations(), expired.mutations());
        System.out.printf("%-58s %14.0f %14.0f %14.0f%n", "total calls", resync.total(), naive.total(), expired.total());
        System.out.printf("%-58s %14.2f %14.2f %14.2f%n", "calls per version (" + n + " versions)", resync.total() / n,
                naive.total() / n, expired.total() / n);
        System.out.printf("%-58s %14.0f %14.0f %14.0f%n", "wall time, ms", resync.nanos() / 1e6, naive.nanos() / 1e6,
                expired.nanos() / 1e6);
        System.out.printf("actions executed by the resyncs: %d (warm), %d (caches expired); versions observed by the naive loop: %d%n",
                resync.result(), expired.result(), naive.result());
    }

    private void close() {
        uncounted.close();
        elb.close();
        ecs.close();
        account.close();
    }
}
