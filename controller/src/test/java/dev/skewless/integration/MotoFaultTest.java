package dev.skewless.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.skewless.engine.PassResult;
import dev.skewless.integration.MotoWorld.Res;
import dev.skewless.model.Phase;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.SkewlessSimulation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Faults on moto. (a) A proxy in front of moto answers a share of the controller's ECS, ELB and
 * DynamoDB calls (20% of mutating calls, 5% of reads) with throttling (400 ThrottlingException /
 * Throttling, 429) or server errors (503 before moto saw the request, 500 after moto applied it:
 * the answer is lost, not the change; the first create and delete of each kind always loses its
 * answer); clients do not retry, so every fault reaches the engine. (b) The controller process crashes (an {@link Error} thrown
 * by the providers) right after a mutating call, and is restarted with fresh providers. In both,
 * once the faults stop, the passes converge to exactly one target group, service and ACTIVE task
 * definition per retained version, one rule per role, and nothing else.
 */
class MotoFaultTest {
    private final MotoWorld world = new MotoWorld();

    @AfterEach
    void close() {
        world.close();
    }

    // ---------------------------------------------------------------- (a) throttling and 5xx

    @Test
    void throttlingAndServerErrorsForAShareOfCallsThenConvergesWithNoOrphanAndNoDuplicate() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(MotoServer.shared().endpoint(), 42)) {
            // The controller's store goes through the proxy too: its reads and status writes fail as well.
            DynamoDbClient proxiedDdb = DynamoDbClient.builder().endpointOverride(proxy.endpoint()).region(Region.of(MotoServer.REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY,
                            MotoServer.SECRET_KEY)))
                    .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
            DynamoVersionStore records = new DynamoVersionStore(proxiedDdb, null, DynamoStoreConfig.of(MotoWorld.TABLE), world.clock);
            MotoWorld.Controller controller = world.new Controller(proxy.endpoint(), records, () -> true, c -> c, r -> r);
            proxy.mutationShare = 0.20;
            proxy.readShare = 0.05;
            // The creations a lost answer could duplicate, each at least once.
            proxy.loseFirstAnswerOf.addAll(Set.of("CreateTargetGroup", "CreateRule", "RegisterTaskDefinition", "CreateService",
                    "DeleteRule", "DeleteService", "DeleteTargetGroup", "SetRulePriorities"));
            world.applyApp("latest");
            world.applyVersion("v1");
            int failedPasses = 0;
            for (int pass = 1; pass <= 40; pass++) {
                if (pass == 10) {
                    world.applyVersion("v2");
                }
                if (pass == 25) {
                    world.revoke("v1");
                    world.applyVersion("v3");
                }
                world.clock.advance(MotoWorld.STEP);
                PassResult r = controller.pass();
                if (r.outcome() != PassResult.Outcome.SUCCEEDED) {
                    failedPasses++;
                }
                world.registerTargets();
            }
            assertThat(proxy.faults).as("faults injected").containsKeys("throttle400", "throttle429", "unavailable503",
                    "lost500");
            assertThat(failedPasses).as("passes failed by the faults").isPositive();
            assertThat(proxy.lostMutations).as("changes applied whose answer was lost").contains("CreateTargetGroup", "CreateRule",
                    "RegisterTaskDefinition", "CreateService", "DeleteRule", "DeleteService");
            assertThat(controller.metrics.count("ECS", "CreateService", "ok") + controller.metrics.count("ELBv2", "CreateRule", "ok"))
                    .isPositive();
            assertThat(controller.registry.find(dev.skewless.aws.AwsCallMetrics.CALLS).tag("outcome", "throttled").counters())
                    .isNotEmpty();
            assertThat(controller.registry.find(dev.skewless.aws.AwsCallMetrics.CALLS).tag("outcome", "error").counters())
                    .isNotEmpty();

            proxy.mutationShare = 0;
            proxy.readShare = 0;
            world.converge(controller, w -> w.phase("v3") == Phase.Live && w.phase("v2") == Phase.Superseded
                    && w.phase("v1") == Phase.Retired, 40);
            assertThat(proxy.lostMutations).as("status writes applied whose answer was lost").contains("UpdateItem");
            proxiedDdb.close();
        }
        assertConverged(Set.of("v2", "v3"), "v3");
    }

    /**
     * A loopback HTTP proxy in front of moto that fails a share of ECS and ELB calls: throttling
     * and 503 without forwarding, 500 after forwarding (moto applied the call, its answer is lost).
     */
    static final class FaultyProxy implements AutoCloseable {
        private static final String ECS_JSON = "application/x-amz-json-1.1";
        private final HttpServer server;
        private final URI target;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final Random random;
        volatile double mutationShare;
        volatile double readShare;
        final Map<String, Integer> faults = new TreeMap<>();
        /** Operations whose first call moto applies but whose answer is replaced by a 500. */
        final Set<String> loseFirstAnswerOf = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Mutating calls moto applied whose answer was replaced by a 500. */
        final List<String> lostMutations = new java.util.concurrent.CopyOnWriteArrayList<>();

        FaultyProxy(URI target, long seed) throws IOException {
            this.target = target;
            this.random = new Random(seed);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                boolean ecs = auth != null && auth.contains("/ecs/aws4_request");
                boolean elb = auth != null && auth.contains("/elasticloadbalancing/aws4_request");
                boolean dynamo = auth != null && auth.contains("/dynamodb/aws4_request");
                String fault = null;
                String operation = "";
                boolean mutation = false;
                if (ecs || elb || dynamo) {
                    operation = ecs || dynamo ? String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Target"))
                            .replaceFirst(".*\\.", "") : action(new String(body, StandardCharsets.UTF_8));
                    mutation = dynamo ? Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems").contains(operation)
                            : !dev.skewless.aws.CallRates.isRead(operation);
                    fault = mutation && loseFirstAnswerOf.remove(operation) ? "lost500" : pick(mutation ? mutationShare : readShare);
                }
                if (fault != null && !fault.equals("lost500")) {
                    count(fault);
                    respond(ex, fault, ecs, dynamo);
                    return;
                }
                HttpResponse<byte[]> answer = forward(ex, body);
                if (fault != null) {
                    count(fault);
                    if (mutation) {
                        lostMutations.add(operation);
                    }
                    respond(ex, fault, ecs, dynamo);
                    return;
                }
                answer.headers().map().forEach((k, v) -> {
                    String key = k.toLowerCase(java.util.Locale.ROOT);
                    if (!key.equals("content-length") && !key.equals("transfer-encoding") && !key.equals("connection")
                            && !key.equals(":status") && !key.equals("date") && !key.equals("server")) {
                        ex.getResponseHeaders().put(k, v);
                    }
                });
                byte[] out = answer.body();
                ex.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private synchronized String pick(double share) {
            if (share <= 0 || random.nextDouble() >= share) {
                return null;
            }
            double kind = random.nextDouble();
            return kind < 0.4 ? "throttle400" : kind < 0.6 ? "throttle429" : kind < 0.8 ? "unavailable503" : "lost500";
        }

        private synchronized void count(String fault) {
            faults.merge(fault, 1, Integer::sum);
        }

        private static String action(String form) {
            for (String kv : form.split("&")) {
                if (kv.startsWith("Action=")) {
                    return kv.substring("Action=".length());
                }
            }
            return "";
        }

        private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((k, values) -> {
                String key = k.toLowerCase(java.util.Locale.ROOT);
                if (!Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding").contains(key)) {
                    values.forEach(v -> b.header(k, v));
                }
            });
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        private static void respond(HttpExchange ex, String fault, boolean ecs, boolean dynamo) throws IOException {
            int status = switch (fault) {
                case "throttle400" -> 400;
                case "throttle429" -> 429;
                case "unavailable503" -> 503;
                default -> 500;
            };
            String code = switch (fault) {
                case "throttle400", "throttle429" -> ecs ? "ThrottlingException" : "Throttling";
                case "unavailable503" -> "ServiceUnavailable";
                default -> "InternalFailure";
            };
            String body;
            if (dynamo) {
                ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                String type = switch (fault) {
                    case "throttle400", "throttle429" -> "ThrottlingException";
                    case "unavailable503" -> "ServiceUnavailable";
                    default -> "InternalServerError";
                };
                body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"injected " + fault + "\"}";
            } else if (ecs) {
                ex.getResponseHeaders().set("Content-Type", ECS_JSON);
                body = "{\"__type\":\"" + code + "\",\"message\":\"injected " + fault + "\"}";
            } else {
                ex.getResponseHeaders().set("Content-Type", "text/xml");
                body = "<ErrorResponse><Error><Type>" + (status < 500 ? "Sender" : "Receiver") + "</Type><Code>" + code
                        + "</Code><Message>injected " + fault + "</Message></Error><RequestId>fault</RequestId></ErrorResponse>";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            http.close();
        }
    }

    // ---------------------------------------------------------------- (b) crashes between mutating calls

    @Test
    void aCrashAfterEveryMutatingCallIsRepairedByTheNextPassesWithNoOrphanAndNoDuplicate() {
        // Every pass dies right after its first mutating call: across the lifecycle, each action of
        // each plan is followed by a crash before the next one.
        crashingLifecycle(callInPass -> callInPass == 1);
    }

    @Test
    void crashesAtRandomPointsOfPassesAreRepairedWithNoOrphanAndNoDuplicate() {
        Random random = new Random(7);
        crashingLifecycle(callInPass -> random.nextInt(3) == 0);
    }

    /** Thrown by the crashing providers: a process dying, never caught by the engine. */
    static final class Crash extends Error {
        Crash(String message) {
            super(message);
        }
    }

    /**
     * v1 live, v2 promoted, v1 revoked and removed, while a controller that crashes after a
     * mutating call whenever {@code crashAfter(n)} says so for the n-th mutating call of a pass is
     * restarted with fresh providers (no cache survives). Then one without crashes must find
     * nothing to repair.
     */
    private void crashingLifecycle(IntPredicate crashAfter) {
        AtomicInteger inPass = new AtomicInteger();
        Restarting restarting = new Restarting(crashAfter, inPass);
        world.applyApp("latest");
        world.applyVersion("v1");
        restarting.until(w -> w.phase("v1") == Phase.Live, 80);
        world.applyVersion("v2");
        restarting.until(w -> w.phase("v2") == Phase.Live && w.phase("v1") == Phase.Superseded, 80);
        world.revoke("v1");
        restarting.until(w -> w.phase("v1") == Phase.Retired, 80);
        assertThat(restarting.crashes).as("crashes").isGreaterThan(10);

        MotoWorld.Controller clean = world.controller();
        world.clock.advance(MotoWorld.STEP);
        PassResult after = clean.pass();
        assertThat(after.outcome()).isEqualTo(PassResult.Outcome.SUCCEEDED);
        assertThat(after.actionsExecuted()).as("nothing left to repair").isZero();
        assertThat(clean.mutations()).isZero();
        assertConverged(Set.of("v2"), "v2");
    }

    /** A controller process that is restarted after each crash. */
    private final class Restarting {
        private final IntPredicate crashAfter;
        private final AtomicInteger inPass;
        int crashes;
        private MotoWorld.Controller current;

        Restarting(IntPredicate crashAfter, AtomicInteger inPass) {
            this.crashAfter = crashAfter;
            this.inPass = inPass;
            current = start();
        }

        private MotoWorld.Controller start() {
            return world.new Controller(MotoServer.shared().endpoint(), world.store, () -> true,
                    c -> crashing(ComputePlatform.class, c), r -> crashing(TrafficRouter.class, r));
        }

        @SuppressWarnings("unchecked")
        private <T> T crashing(Class<T> port, T delegate) {
            InvocationHandler h = (proxy, method, args) -> {
                Object result;
                try {
                    result = method.invoke(delegate, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (!method.getName().equals("observe") && method.getDeclaringClass() == port) {
                    int n = inPass.incrementAndGet();
                    if (crashAfter.test(n)) {
                        throw new Crash("crash after " + method.getName() + " (mutating call " + n + " of the pass)");
                    }
                }
                return result;
            };
            return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, h);
        }

        void until(java.util.function.Predicate<MotoWorld> done, int maxPasses) {
            for (int pass = 1; pass <= maxPasses; pass++) {
                world.clock.advance(MotoWorld.STEP);
                inPass.set(0);
                try {
                    PassResult r = current.pass();
                    if (r.outcome() == PassResult.Outcome.SUCCEEDED && r.actionsExecuted() == 0 && done.test(world)) {
                        return;
                    }
                } catch (Crash crash) {
                    crashes++;
                    current.close();
                    current = start();
                }
                world.registerTargets();
            }
            throw new AssertionError("no convergence in " + maxPasses + " passes with " + crashes + " crashes; " + world.phases()
                    + world.inventory());
        }
    }

    // ---------------------------------------------------------------- the end state

    /** Exactly one of each resource per retained version, one rule per role, nothing foreign, nothing else. */
    private void assertConverged(Set<String> retained, String live) {
        MotoWorld.Inventory inv = world.inventory();
        assertThat(inv.foreign()).as("every resource in the account is ours and tagged: %s", inv).isEmpty();
        inv.all().forEach(MotoLifecycleTest::assertOwnershipTags);
        Map<String, Long> one = retained.stream().collect(Collectors.toMap(v -> v, v -> 1L));
        assertThat(MotoWorld.countBy(inv.targetGroups(), Res::version)).as("target groups %s", inv).isEqualTo(one);
        assertThat(MotoWorld.countBy(inv.services(), Res::version)).as("services %s", inv).isEqualTo(one);
        assertThat(MotoWorld.countBy(inv.taskDefinitions(), Res::version)).as("ACTIVE task definitions %s", inv).isEqualTo(one);
        List<String> roles = inv.rules().stream().map(Res::role).toList();
        assertThat(roles).as("one rule per role").doesNotHaveDuplicates();
        List<String> expected = new java.util.ArrayList<>(List.of("navigate", "expired.header", "expired.query", "unpinned"));
        retained.forEach(v -> {
            expected.add("pin.header." + v);
            expected.add("pin.query." + v);
        });
        assertThat(roles).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(world.target(SkewlessSimulation.unpinned())).isEqualTo(live);
        retained.forEach(v -> assertThat(world.target(SkewlessSimulation.pinned(v))).isEqualTo(v));
    }
}
