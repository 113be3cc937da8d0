package dev.skewless.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.testing.LocalProcesses;
import dev.skewless.testing.SampleRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller JVM running the local platform is killed, as a developer kills {@code ./skewless
 * dev}: with SIGTERM its shutdown hook stops every task and their children; with SIGKILL nothing
 * runs in it, and the next run on the same directory kills what was left.
 */
class KilledControllerTest {
    @TempDir
    Path dir;

    private final List<ProcessHandle> started = new ArrayList<>();
    private Process controller;

    @AfterEach
    void cleanUp() {
        if (controller != null) {
            controller.destroyForcibly();
        }
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void sigtermLeavesNoChildProcessBehind() throws Exception {
        List<ProcessHandle> tasks = startController();
        assertThat(tasks).hasSize(4).allMatch(ProcessHandle::isAlive); // two servers, a child each

        controller.destroy(); // SIGTERM
        assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(tasks).noneMatch(ProcessHandle::isAlive);
        assertThat(dir.resolve("logs/processes.pid")).doesNotExist();
    }

    @Test
    void afterSigkillTheNextRunKillsTheLeftovers() throws Exception {
        List<ProcessHandle> tasks = startController();

        controller.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tasks).anyMatch(ProcessHandle::isAlive);

        try (LocalComputePlatform next = new LocalComputePlatform(config(dir), (group, targets) -> { })) {
            assertThat(tasks).noneMatch(ProcessHandle::isAlive);
            assertThat(next.processes()).isEmpty();
        }
    }

    /** Starts {@link Controller} in its own JVM and returns its task processes once it has them. */
    private List<ProcessHandle> startController() throws IOException {
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, "<configuration><statusListener class=\"ch.qos.logback.core.status.NopStatusListener\"/>"
                + "<appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"OUT\"/></root></configuration>");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        controller = new ProcessBuilder(java, "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
                Controller.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(controller.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("ready ")) {
                List<ProcessHandle> tasks = Arrays.stream(line.substring(6).split(" "))
                        .map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow()).toList();
                started.addAll(tasks);
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining
                return tasks;
            }
        }
        throw new AssertionError("the controller JVM ended before it was ready: " + String.join("\n", lines));
    }

    static LocalPlatformConfig config(Path dir) {
        return LocalPlatformConfig.defaults(dir, dir.resolve("logs")).withProbeInterval(Duration.ofMillis(100));
    }

    /** The controller JVM: a platform (shutdown hook on) running two tasks that each have a child. */
    public static final class Controller {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            LocalComputePlatform platform = new LocalComputePlatform(config(dir), (group, targets) -> { });
            App app = new App(ObjectMeta.ofApp("shop"), new AppSpec(SampleRecords.platform(), SampleRecords.router(100, 199), null, null,
                    null, new LocalSpec(LocalProcesses.versionServerCommand(),
                            Map.of("PORT", "${PORT}", "VERSION", "${VERSION}", "MODE", "child"))), null);
            platform.observe(app);
            VersionKey key = new VersionKey("shop", "v1");
            String td = platform.registerTaskDefinition(new TaskDefinitionSpec(ResourceNames.taskFamily(key), ResourceNames.container(key),
                    "repo/api:v1", 256, 512, 8080, Map.of(), Map.of(), "arn:aws:iam::123456789012:role/exec", null, "/skewless/shop",
                    new HealthCheckSpec("/health", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 2, "200"), "hash",
                    OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, key)));
            platform.createService(new ServiceSpec("demo", ResourceNames.service(key), td, 2, List.of(), List.of("sg-1"), false,
                    "arn:test:targetgroup/shop-v1", ResourceNames.container(key), 8080,
                    OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, key)));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> platform.tasks().stream().filter(LocalComputePlatform.TaskView::healthy).count() == 2
                            && platform.processes().size() == 4
                            && Files.exists(dir.resolve("logs/processes.pid"))
                            && Files.readAllLines(dir.resolve("logs/processes.pid")).size() == 4);
            StringBuilder ready = new StringBuilder("ready");
            platform.processes().forEach(p -> ready.append(' ').append(p.pid()));
            System.out.println(ready);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
