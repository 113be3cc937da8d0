package dev.skewless.bench;

import dev.skewless.aws.MotoAccount;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import dev.skewless.store.kubernetes.KubernetesVersionStore;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Start-up time, resident memory and record write → Live of skewless as its own JVM against
 * moto_server, in either mode, measured the same way:
 * <ul>
 *   <li>{@code controller}: {@code dev.skewless.api.ControllerServer} (what {@code skewless controller}
 *       runs), records in a DynamoDB table on moto;</li>
 *   <li>{@code operator}: {@code skewless operator} ({@code dev.skewless.cli.SkewlessCommand operator}),
 *       records as custom resources on a real kube-apiserver (kube-api-test, CRDs installed).</li>
 * </ul>
 * It measures process start → first {@code /health/readiness} 200, VmRSS idle, then writes
 * {@code apps × versions} records (one ALB per App, {@code live: latest}), waits until every App
 * is 1 Live + the rest Superseded, reads VmRSS and VmHWM, then writes one more version of one App
 * and times record write → that version Live (median of {@code --live-runs} Apps), and sends
 * SIGTERM.
 *
 * <pre>
 * ./mvnw -q -pl controller test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.skewless.bench.FootprintBenchmark -Dexec.args="operator 20 10"
 * </pre>
 *
 * Extra JVM options for the measured process: {@code -Dbench.jvmArgs="-Xmx256m"}.
 */
public final class FootprintBenchmark {
    private static final String TABLE = "skewless-footprint";
    private static final String CLUSTER = "apps";
    private static final String NAMESPACE = "default";
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final int LIVE_RUNS = 5;

    /** The two ways skewless runs. */
    enum Mode { CONTROLLER, OPERATOR }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception | Error e) {
            // exec:java would otherwise wait forever for the API server's log threads.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        Mode mode = Mode.valueOf((args.length > 0 ? args[0] : "controller").toUpperCase(Locale.ROOT));
        int apps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int versions = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String jvmArgs = System.getProperty("bench.jvmArgs", "").strip();

        MotoAccount account = MotoAccount.fresh().withNetwork();
        URI moto = MotoServer.shared().endpoint();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        EcsClient ecs = EcsClient.builder().endpointOverride(moto).region(Region.of(MotoServer.REGION)).credentialsProvider(credentials)
                .build();
        ElasticLoadBalancingV2Client elb = account.setupElb();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        List<String> listeners = new ArrayList<>();
        for (int a = 0; a < apps + LIVE_RUNS; a++) {
            String lb = elb.createLoadBalancer(b -> b.name("lb-" + listeners.size()).subnets(account.subnetA, account.subnetB))
                    .loadBalancers().getFirst().loadBalancerArn();
            listeners.add(elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                    .defaultActions(x -> x.type(ActionTypeEnum.FIXED_RESPONSE)
                            .fixedResponseConfig(f -> f.statusCode("404").contentType("text/plain").messageBody("no route"))))
                    .listeners().getFirst().listenerArn());
        }

        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        // The test classpath carries logback-test.xml (logs to a file): use the shipped logback.xml.
        java.net.URL logback = Thread.currentThread().getContextClassLoader().getResource("logback.xml");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of("-cp", classpath()));
        Path dir = Path.of(Files.isDirectory(Path.of("controller", "target")) ? "controller/target" : "target");
        Path log = dir.resolve("bench-" + mode.name().toLowerCase(Locale.ROOT) + ".log");
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", moto.toString());
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        env.put("SKEWLESS_PORT", Integer.toString(port));
        env.put("SKEWLESS_LOG_FORMAT", "json");

        KubeApiServer kube = null;
        KubernetesClient kubeClient = null;
        DynamoDbClient ddb = null;
        VersionStore store;
        if (mode == Mode.CONTROLLER) {
            ddb = DynamoDbClient.builder().endpointOverride(moto).region(Region.of(MotoServer.REGION)).credentialsProvider(credentials).build();
            TableSetup.create(ddb, TABLE);
            store = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(TABLE), InstantSource.system());
            env.put("SKEWLESS_TABLE", TABLE);
            command.add("dev.skewless.api.ControllerServer");
        } else {
            kube = KubeApiServer.start();
            kubeClient = kube.client(NAMESPACE);
            SkewlessCrds.install(kubeClient);
            store = new KubernetesVersionStore(kubeClient, NAMESPACE, InstantSource.system());
            env.put("KUBECONFIG", kube.writeKubeconfig(dir.resolve("bench-kubeconfig.yaml")).toAbsolutePath().toString());
            command.addAll(List.of("dev.skewless.cli.SkewlessCommand", "operator", "--namespace", NAMESPACE));
        }

        HttpClient http = HttpClient.newHttpClient();
        URI readiness = URI.create("http://127.0.0.1:" + port + "/health/readiness");
        long t0 = System.nanoTime();
        Process process = pb.start();
        try {
            while (status(http, readiness) != 200) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("skewless exited with " + process.exitValue() + "; see " + log);
                }
                Thread.sleep(10);
            }
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Thread.sleep(SETTLE.toMillis());
            long idleRss = rssKb(process.pid(), "VmRSS");

            long t1 = System.nanoTime();
            for (int a = 0; a < apps; a++) {
                store.applyApp(app("app" + a, listeners.get(a), account));
                for (int v = 1; v <= versions; v++) {
                    store.applyVersion(version("app" + a, "v" + v));
                }
            }
            Set<String> registered = new HashSet<>();
            while (true) {
                int live = count(store, apps, Phase.Live);
                int superseded = count(store, apps, Phase.Superseded);
                if (live == apps && superseded == apps * (versions - 1)) {
                    break;
                }
                alive(process, log);
                if (TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - t1) > 20) {
                    throw new IllegalStateException("not converged after 20 minutes: " + live + " live, " + superseded + " superseded");
                }
                registerTargets(elb, registered);
                Thread.sleep(2000);
            }
            long convergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
            Thread.sleep(SETTLE.toMillis());
            long loadedRss = rssKb(process.pid(), "VmRSS");

            // Record write -> Live: a first version of a fresh App each time, so each run is one
            // version's whole way (target group, service, rollout, rules, live) and nothing else.
            List<Long> toLive = new ArrayList<>();
            for (int r = 0; r < LIVE_RUNS; r++) {
                String name = "fresh" + r;
                store.applyApp(app(name, listeners.get(apps + r), account));
                long t = System.nanoTime();
                store.applyVersion(version(name, "v1"));
                VersionKey key = new VersionKey(name, "v1");
                while (store.getVersion(key).map(v -> v.status().phase() != Phase.Live).orElse(true)) {
                    alive(process, log);
                    registerTargets(elb, registered);
                    Thread.sleep(50);
                }
                toLive.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
            }
            long peakRss = rssKb(process.pid(), "VmHWM");

            long t2 = System.nanoTime();
            process.destroy(); // SIGTERM
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t2);

            List<Long> sorted = toLive.stream().sorted().toList();
            System.out.printf("skewless %s footprint: %d apps x %d versions on moto_server%s%n", mode.name().toLowerCase(Locale.ROOT),
                    apps, versions, mode == Mode.OPERATOR ? ", records on kube-apiserver (kube-api-test)" : ", records in DynamoDB on moto");
            System.out.printf("machine: %d cores, %s %s; JVM options: %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), jvmArgs.isEmpty() ? "(defaults)" : jvmArgs);
            System.out.printf("process start -> readiness 200:        %6d ms%n", readyMs);
            System.out.printf("VmRSS idle (%ds after ready):          %6d MiB%n", SETTLE.toSeconds(), idleRss / 1024);
            System.out.printf("write -> all reconciled (%d Live, %d Superseded): %d ms%n", apps, apps * (versions - 1), convergedMs);
            System.out.printf("VmRSS loaded (%ds after converged):    %6d MiB%n", SETTLE.toSeconds(), loadedRss / 1024);
            System.out.printf("VmHWM (peak RSS over the run):         %6d MiB%n", peakRss / 1024);
            System.out.printf("record write -> Live, one new App's v1 (%d runs): median %d ms, min %d ms, max %d ms%n", LIVE_RUNS,
                    sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast());
            System.out.printf("SIGTERM -> exit:                       %6d ms (exit code %s)%n", stopMs,
                    exited ? Integer.toString(process.exitValue()) : "none: still running");
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            ecs.close();
            elb.close();
            if (ddb != null) {
                ddb.close();
            }
            if (kubeClient != null) {
                kubeClient.close();
            }
            if (kube != null) {
                kube.close();
            }
            account.close();
            http.close();
        }
    }

    private static void alive(Process process, Path log) {
        if (!process.isAlive()) {
            throw new IllegalStateException("skewless exited; see " + log);
        }
    }

    /** moto never registers ECS tasks in target groups; ECS would. */
    private static void registerTargets(ElasticLoadBalancingV2Client elb, Set<String> registered) {
        for (TargetGroup tg : elb.describeTargetGroups().targetGroups()) {
            if (registered.add(tg.targetGroupArn())) {
                int n = registered.size() % 200 + 10;
                elb.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                        .targets(t -> t.id("10.0.1." + n).port(tg.port()), t -> t.id("10.0.2." + n).port(tg.port())));
            }
        }
    }

    private static App app(String name, String listenerArn, MotoAccount account) {
        return new App(ObjectMeta.ofApp(name), new AppSpec(
                new PlatformSpec(CLUSTER, List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                        "arn:aws:iam::123456789012:role/exec", null, "/skewless/" + name, false, 1),
                new RouterSpec(listenerArn, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(5), false, null),
                RoutingSpec.DEFAULT,
                new RetentionSpec(Duration.ofDays(2), Duration.ofMinutes(10), Duration.ofDays(7), null, 10),
                ReleaseSpec.LATEST, null), null);
    }

    private static AppVersion version(String app, String id) {
        return new AppVersion(ObjectMeta.ofVersion(app, id), new AppVersionSpec("repo/" + app + ":" + id, 256, 512, 2, 8080,
                Map.of("VERSION", id), Map.of(), null, null, false), null);
    }

    private static int count(VersionStore store, int apps, Phase phase) {
        int n = 0;
        for (int a = 0; a < apps; a++) {
            n += (int) store.listVersions("app" + a).stream().filter(v -> v.status().phase() == phase).count();
        }
        return n;
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long rssKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    /**
     * The benchmark's own classpath: exec:java runs it in Maven's JVM with the project's test
     * classpath in a URLClassLoader ({@code java.class.path} is Maven's launcher there); run with
     * plain {@code java -cp}, it is {@code java.class.path}.
     */
    private static String classpath() {
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader urls && urls.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL url : urls.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
