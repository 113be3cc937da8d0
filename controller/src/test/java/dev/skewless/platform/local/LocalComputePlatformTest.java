package dev.skewless.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.App;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.AppSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.ScalingPolicySpec;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedService.Rollout;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.platform.local.LocalComputePlatform.EventKind;
import dev.skewless.platform.local.LocalComputePlatform.TaskEvent;
import dev.skewless.platform.local.LocalComputePlatform.TaskView;
import dev.skewless.testing.LocalProcesses;
import dev.skewless.testing.SampleRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local platform against real processes: the version server of {@link LocalProcesses}. */
class LocalComputePlatformTest {
    private static final HealthCheckSpec HEALTH = new HealthCheckSpec("/health", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 2, "200");
    private static final String GROUP = "arn:test:targetgroup/shop-v1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private final Map<String, Map<URI, Boolean>> targets = new ConcurrentHashMap<>();
    private final List<LocalComputePlatform> platforms = new ArrayList<>();
    private final List<ProcessHandle> seen = new ArrayList<>();
    private LocalComputePlatform platform;

    @BeforeEach
    void start() {
        platform = newPlatform(config());
    }

    private LocalPlatformConfig config() {
        return LocalPlatformConfig.defaults(tmp, tmp.resolve("logs"))
                .withProbeInterval(Duration.ofMillis(100))
                .withRestartBackoff(Duration.ofMillis(200), Duration.ofMillis(800))
                .withMaxFailedLaunches(4)
                .withShutdownHook(false);
    }

    private LocalComputePlatform newPlatform(LocalPlatformConfig config) {
        LocalComputePlatform p = new LocalComputePlatform(config, (group, t) -> targets.put(group, t));
        platforms.add(p);
        return p;
    }

    @AfterEach
    void stopEverything() {
        for (LocalComputePlatform p : platforms) {
            seen.addAll(p.processes());
            p.close();
        }
        assertThat(seen).as("processes left alive").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void runsTheDesiredTasksHealthyAndReportsThemLikeEcs() throws Exception {
        String service = serve("v1", Map.of(), 2);

        await().until(() -> running(service) == 2 && rollout(service) == Rollout.COMPLETED);
        ObservedService observed = observedService(service).orElseThrow();
        assertThat(observed.desiredCount()).isEqualTo(2);
        assertThat(observed.status()).isEqualTo(ObservedService.Status.ACTIVE);
        assertThat(observed.targetGroupArn()).isEqualTo(GROUP);
        assertThat(observed.tags()).containsEntry(OwnershipTags.VERSION, "v1");
        await().until(() -> targets.getOrDefault(GROUP, Map.of()).size() == 2
                && targets.get(GROUP).values().stream().allMatch(Boolean::booleanValue));

        List<TaskView> tasks = platform.tasks();
        assertThat(tasks).hasSize(2).allMatch(TaskView::healthy);
        assertThat(targets.get(GROUP).keySet()).containsExactlyInAnyOrderElementsOf(tasks.stream().map(TaskView::uri).toList());
        for (TaskView t : tasks) {
            // ${VERSION} and ${PORT} were substituted: it answers as v1 on the port it was given.
            HttpResponse<String> r = get(t.uri().resolve("/anything"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-deployment-id")).contains("v1");
            assertThat(r.body()).contains("\"pid\": " + t.pid());
            // Logs: our header line, then what the process printed.
            assertThat(t.stdout()).startsWith(tmp.resolve("logs/shop/v1"));
            await().until(() -> Files.readString(t.stdout()).contains("version v1 listening on " + t.uri().getPort()));
            assertThat(Files.readString(t.stdout())).startsWith("--- skewless: " + t.taskId());
            assertThat(t.stderr()).exists();
        }
        assertThat(platform.observe(app()).taskDefinitions()).hasSize(1);
    }

    @Test
    void aTaskThatExitsIsRelaunched() throws Exception {
        String service = serve("v1", Map.of(), 1);
        await().until(() -> running(service) == 1);
        TaskView first = platform.tasks().getFirst();

        assertThat(get(first.uri().resolve("/exit")).body()).isEqualTo("bye");

        await().until(() -> platform.tasks().size() == 1 && platform.tasks().getFirst().pid() != first.pid()
                && platform.tasks().getFirst().healthy());
        assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(events(EventKind.EXITED)).singleElement().satisfies(e -> {
            assertThat(e.exitCode()).isEqualTo(7);
            assertThat(e.pid()).isEqualTo(first.pid());
        });
        // A healthy task's crash is not a failed launch: the rollout stays good.
        assertThat(rollout(service)).isEqualTo(Rollout.COMPLETED);
        assertThat(Files.readString(first.stdout())).contains("--- skewless: " + platform.tasks().getFirst().taskId());
    }

    @Test
    void aCrashLoopBacksOffExponentiallyThenFailsTheRollout() {
        String service = serve("v1", Map.of("MODE", "crash"), 1);

        await().until(() -> rollout(service) == Rollout.FAILED);
        List<TaskEvent> exits = events(EventKind.EXITED);
        List<TaskEvent> starts = events(EventKind.STARTED);
        assertThat(exits).hasSize(4).allSatisfy(e -> assertThat(e.exitCode()).isEqualTo(3));
        assertThat(starts).hasSize(4);
        // Each relaunch waited at least the announced backoff, which doubled up to the cap.
        assertThat(exits.subList(0, 3)).extracting(TaskEvent::nextLaunchIn)
                .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
        for (int i = 0; i < 3; i++) {
            assertThat(starts.get(i + 1).at()).isAfterOrEqualTo(exits.get(i).at().plus(exits.get(i).nextLaunchIn()));
        }
        assertThat(exits.get(3).nextLaunchIn()).as("no relaunch after the rollout failed").isNull();
        assertThat(running(service)).isZero();
        assertThat(platform.tasks()).isEmpty();
        assertThat(Files.exists(tmp.resolve("logs/shop/v1/task-1.stderr.log"))).isTrue();
    }

    @Test
    void tasksGetTrafficOnlyWhileHealthy() throws Exception {
        Path sick = Files.createFile(tmp.resolve("sick"));
        String service = serve("v1", Map.of("HEALTH_FILE", sick.toString()), 1);

        await().until(() -> platform.tasks().size() == 1 && targets.containsKey(GROUP));
        // Alive but failing its check: registered, not healthy, not running, rollout in progress,
        // after several failed probes (the server logs each one), not merely before the first.
        Path stdout = platform.tasks().getFirst().stdout();
        await().until(() -> Files.readString(stdout).lines().filter(l -> l.contains("/health") && l.contains(" 500 ")).count() >= 3);
        assertThat(running(service)).isZero();
        assertThat(rollout(service)).isEqualTo(Rollout.IN_PROGRESS);
        assertThat(targets.get(GROUP)).containsValue(false).doesNotContainValue(true);

        Files.delete(sick);
        await().until(() -> running(service) == 1 && rollout(service) == Rollout.COMPLETED);
        assertThat(targets.get(GROUP)).containsOnly(Map.entry(platform.tasks().getFirst().uri(), true));

        // Failing again after being healthy: deregistered and replaced.
        long pid = platform.tasks().getFirst().pid();
        Files.createFile(sick);
        await().until(() -> events(EventKind.UNHEALTHY).size() == 1);
        await().until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE);
        await().until(() -> platform.tasks().size() == 1 && platform.tasks().getFirst().pid() != pid);
    }

    @Test
    void aNewTaskDefinitionRollsOutBeforeTheOldTasksStop() {
        String service = serve("v1", Map.of("FLAVOUR", "a"), 1);
        await().until(() -> rollout(service) == Rollout.COMPLETED && running(service) == 1);
        long oldPid = platform.tasks().getFirst().pid();

        String td2 = platform.registerTaskDefinition(taskDefinition("v1", Map.of("FLAVOUR", "b")));
        platform.updateService(service, serviceSpec("v1", td2, 1));

        await().until(() -> rollout(service) == Rollout.COMPLETED && observedService(service).orElseThrow().taskDefinitionArn().equals(td2));
        assertThat(platform.tasks()).singleElement().satisfies(t -> {
            assertThat(t.taskDefinitionArn()).isEqualTo(td2);
            assertThat(t.pid()).isNotEqualTo(oldPid);
        });
        // The old task stopped only after the new one was healthy.
        TaskEvent newHealthy = events(EventKind.HEALTHY).getLast();
        TaskEvent oldStopping = events(EventKind.STOPPING).getFirst();
        assertThat(oldStopping.pid()).isEqualTo(oldPid);
        assertThat(oldStopping.at()).isAfterOrEqualTo(newHealthy.at());
        await().until(() -> ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE);
    }

    @Test
    void scaleToZeroThenDeleteDrainsThenForgetsTheService() {
        String service = serve("v1", Map.of(), 2);
        await().until(() -> running(service) == 2);
        List<Long> pids = platform.tasks().stream().map(TaskView::pid).toList();

        platform.scaleService("demo", service, 0);
        await().until(() -> running(service) == 0 && platform.tasks().isEmpty());
        assertThat(rollout(service)).isEqualTo(Rollout.COMPLETED);
        await().until(() -> targets.get(GROUP).isEmpty());

        platform.deleteService("demo", service);
        await().until(() -> observedService(service).isEmpty());
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
        // Deleting again, or something that never existed, is not an error; the name is free again.
        platform.deleteService("demo", service);
        platform.deleteService("demo", "arn:nothing");
        String again = platform.createService(serviceSpec("v1", platform.observe(app()).taskDefinitions().getFirst().arn(), 1));
        assertThat(again).isEqualTo(service);
        await().until(() -> running(service) == 1);
    }

    @Test
    void refusesWhatEcsRefuses() {
        String service = serve("v1", Map.of(), 1);
        String td = observedService(service).orElseThrow().taskDefinitionArn();
        assertThatThrownBy(() -> platform.createService(serviceSpec("v1", td, 1)))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.CONFLICT));
        assertThatThrownBy(() -> platform.deleteService("demo", service))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.INVALID));
        assertThatThrownBy(() -> platform.scaleService("demo", "arn:nothing", 1))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.NOT_FOUND));
        platform.deregisterTaskDefinition(td);
        assertThat(platform.observe(app()).taskDefinitions()).isEmpty();
        assertThatThrownBy(() -> platform.createService(serviceSpec("v2", td, 1)))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.INVALID));
        assertThatThrownBy(() -> platform.deregisterTaskDefinition("arn:nothing"))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.NOT_FOUND));
    }

    @Test
    void anAppWithoutALocalCommandCannotRegister() {
        App noLocal = new App(ObjectMeta.ofApp("shop"), new AppSpec(SampleRecords.platform(), SampleRecords.router(100, 199),
                null, null, null, null), null);
        platform.observe(noLocal);
        assertThatThrownBy(() -> platform.registerTaskDefinition(taskDefinition("v1", Map.of())))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ActionException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("spec.local.command");
                });
    }

    @Test
    void aCommandThatCannotStartIsAFailedLaunch() {
        platform.observe(appWith(List.of(tmp.resolve("no-such-program").toString())));
        String td = platform.registerTaskDefinition(taskDefinition("v1", Map.of()));
        String service = platform.createService(serviceSpec("v1", td, 1));
        await().until(() -> rollout(service) == Rollout.FAILED);
        assertThat(events(EventKind.FAILED_TO_START)).hasSize(4);
    }

    @Test
    void closingStopsEveryProcessIncludingChildren() throws Exception {
        String service = serve("v1", Map.of("MODE", "child"), 2);
        await().until(() -> running(service) == 2);
        await().until(() -> platform.processes().size() == 4); // two servers, a sleep each
        List<ProcessHandle> all = platform.processes();
        assertThat(all).allMatch(ProcessHandle::isAlive);

        platform.close();

        assertThat(all).noneMatch(ProcessHandle::isAlive);
        assertThatThrownBy(() -> platform.createService(serviceSpec("v2", "x", 1))).isInstanceOf(ActionException.class);
    }

    @Test
    void theChildOfACrashedTaskIsStoppedToo() throws Exception {
        String service = serve("v1", Map.of("MODE", "child"), 1);
        await().until(() -> running(service) == 1 && platform.processes().size() == 2);
        TaskView task = platform.tasks().getFirst();
        ProcessHandle child = platform.processes().stream().filter(p -> p.pid() != task.pid()).findFirst().orElseThrow();

        get(task.uri().resolve("/exit"));

        // The parent is gone and the orphaned sleep was reparented: only the platform's memory finds it.
        await().until(() -> !child.isAlive());
        await().until(() -> running(service) == 1);
    }

    @Test
    void theNextRunKillsWhatARunKilledWithoutItsShutdownHookLeftBehind() {
        String service = serve("v1", Map.of(), 1);
        await().until(() -> running(service) == 1);
        await().until(() -> Files.exists(tmp.resolve("logs/processes.pid")));
        long pid = platform.tasks().getFirst().pid();

        // A second run on the same log directory, while the first one's processes still run (as
        // after kill -9 of the first JVM, whose shutdown hook never ran).
        newPlatform(config());

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void healthMatchersAndSubstitution() {
        assertThat(LocalComputePlatform.HealthMatcher.matches("200", 200)).isTrue();
        assertThat(LocalComputePlatform.HealthMatcher.matches("200", 204)).isFalse();
        assertThat(LocalComputePlatform.HealthMatcher.matches("200-299", 204)).isTrue();
        assertThat(LocalComputePlatform.HealthMatcher.matches("200,302, 400-404", 403)).isTrue();
        assertThat(LocalComputePlatform.HealthMatcher.matches("200,302", 500)).isFalse();
        assertThat(LocalComputePlatform.HealthMatcher.matches("x-y", 200)).isFalse();
        assertThat(LocalComputePlatform.substitute("--port=${PORT} ${VERSION}/${PORT} ${OTHER}", Map.of("PORT", "81", "VERSION", "v1")))
                .isEqualTo("--port=81 v1/81 ${OTHER}");
        // "java" is the JDK running skewless, not whatever is first on PATH.
        assertThat(LocalComputePlatform.withThisJava(List.of("java", "-jar", "x.jar")).getFirst())
                .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(LocalComputePlatform.withThisJava(List.of("python3", "java"))).containsExactly("python3", "java");
        LocalPlatformConfig c = config();
        assertThat(List.of(c.backoff(1), c.backoff(2), c.backoff(3), c.backoff(4), c.backoff(40)))
                .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(800),
                        Duration.ofMillis(800));
    }

    // ---- helpers ----

    @Test
    void keepsScalableTargetsAndPoliciesAsRecordsWithoutScaling() {
        String service = serve("v1", Map.of(), 1);
        ObservedService observed = observedService(service).orElseThrow();
        String resourceId = ScalableTargetSpec.resourceId(observed.cluster(), observed.name());
        ScalingPolicySpec policy = new ScalingPolicySpec(resourceId, "skewless-" + observed.name(), AutoscalingSpec.Metric.CPU, 60,
                null, 300, 300);
        assertThatThrownBy(() -> platform.putScalingPolicy(policy)).isInstanceOfSatisfying(ActionException.class,
                e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> platform.registerScalableTarget(new ScalableTargetSpec(observed.cluster(), "no-such-service", 1, 3,
                Map.of()))).isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.kind()).isEqualTo(ActionException.Kind.INVALID));

        platform.registerScalableTarget(new ScalableTargetSpec(observed.cluster(), observed.name(), 1, 3, Map.of()));
        platform.putScalingPolicy(policy);
        ComputePlatform.Observation o = platform.observe(app());
        assertThat(o.scalableTargets()).singleElement().satisfies(t -> {
            assertThat(t.resourceId()).isEqualTo(resourceId);
            assertThat(t.minCapacity()).isEqualTo(1);
            assertThat(t.maxCapacity()).isEqualTo(3);
        });
        assertThat(o.scalingPolicies()).extracting(p -> p.spec()).containsExactly(policy);
        // Nothing scales locally: the service keeps the count the planner gave it.
        assertThat(observedService(service).orElseThrow().desiredCount()).isEqualTo(1);

        platform.deregisterScalableTarget(resourceId);
        platform.deleteScalingPolicy(resourceId, policy.name());
        o = platform.observe(app());
        assertThat(o.scalableTargets()).isEmpty();
        assertThat(o.scalingPolicies()).isEmpty();
    }

    private String serve(String version, Map<String, String> env, int desired) {
        platform.observe(app());
        String td = platform.registerTaskDefinition(taskDefinition(version, env));
        return platform.createService(serviceSpec(version, td, desired));
    }

    private App app() {
        return appWith(LocalProcesses.versionServerCommand());
    }

    private static App appWith(List<String> command) {
        return new App(ObjectMeta.ofApp("shop"), new AppSpec(SampleRecords.platform(), SampleRecords.router(100, 199), null, null, null,
                new LocalSpec(command, Map.of("PORT", "${PORT}", "VERSION", "${VERSION}"))), null);
    }

    private static TaskDefinitionSpec taskDefinition(String version, Map<String, String> env) {
        VersionKey key = new VersionKey("shop", version);
        return new TaskDefinitionSpec(ResourceNames.taskFamily(key), ResourceNames.container(key), "repo/api:" + version, 256, 512, 8080,
                env, Map.of(), "arn:aws:iam::123456789012:role/exec", null, "/skewless/shop", HEALTH, "hash-" + env.hashCode(),
                OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, key));
    }

    private static ServiceSpec serviceSpec(String version, String td, int desired) {
        VersionKey key = new VersionKey("shop", version);
        return new ServiceSpec("demo", ResourceNames.service(key), td, desired, List.of(), List.of("sg-1"), false, GROUP,
                ResourceNames.container(key), 8080, OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, key));
    }

    private Optional<ObservedService> observedService(String arn) {
        ComputePlatform.Observation o = platform.observe(app());
        return o.services().stream().filter(s -> s.arn().equals(arn)).findFirst();
    }

    private int running(String service) {
        return observedService(service).map(ObservedService::runningCount).orElse(-1);
    }

    private Rollout rollout(String service) {
        return observedService(service).map(ObservedService::rollout).orElse(null);
    }

    private List<TaskEvent> events(EventKind kind) {
        return platform.events().stream().filter(e -> e.kind() == kind).toList();
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions();
    }
}
