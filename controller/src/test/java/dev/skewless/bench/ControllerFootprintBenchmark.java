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
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import dev.skewless.testing.MotoServer;
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
 * Start-up time and resident memory of the real controller ({@code dev.skewless.api.ControllerServer},
 * the AWS composition) as its own JVM against moto_server: time from process start to
 * {@code /health/readiness} 200, VmRSS idle, VmRSS with {@code apps × versions} records loaded and
 * reconciled (each App 1 Live + the rest Superseded; one ALB per App so no quota is in the way),
 * and the time SIGTERM takes to a clean exit.
 *
 * <pre>
 * ./mvnw -q -pl controller test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.skewless.bench.ControllerFootprintBenchmark -Dexec.args="20 10"
 * </pre>
 *
 * Extra JVM options for the controller process: {@code -Dbench.jvmArgs="-Xmx256m -XX:+UseSerialGC"}.
 */
public final class ControllerFootprintBenchmark {
    private static final String TABLE = "skewless-footprint";
    private static final String CLUSTER = "apps";
    private static final Duration SETTLE = Duration.ofSeconds(15);

    public static void main(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int versions = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String jvmArgs = System.getProperty("bench.jvmArgs", "").strip();

        MotoAccount account = MotoAccount.fresh().withNetwork();
        URI moto = MotoServer.shared().endpoint();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(moto).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials).build();
        EcsClient ecs = EcsClient.builder().endpointOverride(moto).region(Region.of(MotoServer.REGION)).credentialsProvider(credentials)
                .build();
        ElasticLoadBalancingV2Client elb = account.setupElb();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        TableSetup.create(ddb, TABLE);
        DynamoVersionStore store = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(TABLE), InstantSource.system());
        List<String> listeners = new ArrayList<>();
        for (int a = 0; a < apps; a++) {
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
        command.addAll(List.of("-cp", classpath(), "dev.skewless.api.ControllerServer"));
        Path log = Path.of(Files.isDirectory(Path.of("controller", "target")) ? "controller/target" : "target", "bench-controller.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", moto.toString());
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        env.put("SKEWLESS_TABLE", TABLE);
        env.put("SKEWLESS_PORT", Integer.toString(port));
        env.put("SKEWLESS_LOG_FORMAT", "json");

        HttpClient http = HttpClient.newHttpClient();
        URI readiness = URI.create("http://127.0.0.1:" + port + "/health/readiness");
        long t0 = System.nanoTime();
        Process controller = pb.start();
        try {
            while (status(http, readiness) != 200) {
                if (!controller.isAlive()) {
                    throw new IllegalStateException("the controller exited with " + controller.exitValue() + "; see " + log);
                }
                Thread.sleep(10);
            }
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Thread.sleep(SETTLE.toMillis());
            long idleRss = rssKb(controller.pid(), "VmRSS");

            long t1 = System.nanoTime();
            for (int a = 0; a < apps; a++) {
                store.applyApp(app(a, listeners.get(a), account));
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
                if (!controller.isAlive()) {
                    throw new IllegalStateException("the controller exited; see " + log);
                }
                if (TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - t1) > 20) {
                    throw new IllegalStateException("not converged after 20 minutes: " + live + " live, " + superseded + " superseded");
                }
                // moto never registers ECS tasks in target groups; ECS would.
                for (TargetGroup tg : elb.describeTargetGroups().targetGroups()) {
                    if (registered.add(tg.targetGroupArn())) {
                        int n = registered.size() % 200 + 10;
                        elb.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                                .targets(t -> t.id("10.0.1." + n).port(tg.port()), t -> t.id("10.0.2." + n).port(tg.port())));
                    }
                }
                Thread.sleep(2000);
            }
            long convergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
            Thread.sleep(SETTLE.toMillis());
            long loadedRss = rssKb(controller.pid(), "VmRSS");
            long peakRss = rssKb(controller.pid(), "VmHWM");

            long t2 = System.nanoTime();
            controller.destroy(); // SIGTERM
            boolean exited = controller.waitFor(60, TimeUnit.SECONDS);
            long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t2);

            System.out.printf("Controller footprint: %d apps x %d versions on moto_server%n", apps, versions);
            System.out.printf("machine: %d cores, %s %s; controller JVM options: %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), jvmArgs.isEmpty() ? "(defaults)" : jvmArgs);
            System.out.printf("process start -> readiness 200:        %6d ms%n", readyMs);
            System.out.printf("VmRSS idle (%ds after ready):          %6d MiB%n", SETTLE.toSeconds(), idleRss / 1024);
            System.out.printf("apply -> all reconciled (%d Live, %d Superseded): %d ms%n", apps, apps * (versions - 1), convergedMs);
            System.out.printf("VmRSS loaded (%ds after converged):    %6d MiB%n", SETTLE.toSeconds(), loadedRss / 1024);
            System.out.printf("VmHWM (peak RSS over the run):         %6d MiB%n", peakRss / 1024);
            System.out.printf("SIGTERM -> exit:                       %6d ms (exit code %s)%n", stopMs,
                    exited ? Integer.toString(controller.exitValue()) : "none: still running");
        } finally {
            if (controller.isAlive()) {
                controller.destroyForcibly();
            }
            ecs.close();
            elb.close();
            ddb.close();
            account.close();
            http.close();
        }
        System.exit(0);
    }

    private static App app(int a, String listenerArn, MotoAccount account) {
        String name = "app" + a;
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

    private static int count(DynamoVersionStore store, int apps, Phase phase) {
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
