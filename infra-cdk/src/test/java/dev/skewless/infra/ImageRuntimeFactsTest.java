package dev.skewless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.engine.EngineConfig;
import dev.skewless.infra.deploy.InfraCli;
import dev.skewless.infra.deploy.RecordDrafts;
import dev.skewless.infra.image.Dockerfile;
import dev.skewless.infra.image.ImageConfig;
import dev.skewless.infra.image.RepositoryDockerfiles;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.validation.Subject;
import dev.skewless.plan.DesiredResources;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.platform.ecs.EcsComputePlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The images' runtime facts (port, health check, entrypoint and command, user, stop signal, JVM
 * memory flags) agree with the task definitions that run them: the controller image with the
 * backend stack's controller task definition, the api image with the task definition the
 * controller registers for an AppVersion as {@code deploy:api} writes it (its defaults).
 *
 * <p>ECS ignores an image's HEALTHCHECK and runs the task definition's instead; the two cannot be
 * compared by running them, so the test asserts they are the same command with the same timings
 * (and that the tool the command runs is installed in the image), which is what keeps
 * {@code docker run} and ECS judging a container the same way.
 */
class ImageRuntimeFactsTest {
    private static final Path ROOT = RepositoryDockerfiles.root();
    /** When a task definition sets no stopTimeout, ECS waits this long after SIGTERM before SIGKILL. */
    private static final Duration ECS_DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    /** ECS's stop signal: it stops a container as {@code docker stop} does, with SIGTERM. */
    private static final String ECS_STOP_SIGNAL = "SIGTERM";
    /**
     * Bounds of -XX:MaxRAMPercentage for these task sizes (0.5 to 1 GiB): below half the heap is
     * starved and the task's memory wasted; above three quarters, metaspace, code cache, thread
     * stacks and Netty's direct buffers no longer fit beside the heap and the kernel kills the
     * task instead of the JVM reporting an OutOfMemoryError.
     */
    private static final double MIN_RAM_PERCENTAGE = 50;
    private static final double MAX_RAM_PERCENTAGE = 75;

    private final CommandLine cli = new CommandLine(new InfraCli());

    // ---- the controller image and the backend stack's controller task definition ----

    @Test
    void controllerImageRunsAsTheBackendStacksTaskDefinitionExpects() {
        ImageConfig image = ImageConfig.of(Dockerfile.read(ROOT.resolve(option("deploy:backend", "--controller-dockerfile"))));
        Map<String, Object> task = controllerTaskDefinition();
        Map<String, Object> container = onlyContainer(task);

        assertThat(image.exposed()).as("EXPOSE vs. the container's port mappings")
                .containsExactlyElementsOf(portMappings(container)).containsExactly(InfraSettings.CONTAINER_PORT);
        assertThat(container).as("the task keeps the image's entrypoint").doesNotContainKey("EntryPoint");
        assertThat(container.get("Command")).as("the task's command (the image's CMD is its default)")
                .isEqualTo(List.of(BackendStack.CONTROLLER_COMMAND)).isEqualTo(image.cmd());
        assertRunsItsJarAsPid1(image);
        assertNonRootUnlessTheTaskSaysOtherwise(image, container);
        assertSameHealthCheck(image, healthCheckOf(container));
        assertStopsOnEcsSignal(image, container);
        // The controller lets in-flight passes finish for shutdownGrace, then releases its lease
        // (ControllerRuntime waits shutdownGrace + 2 s): all of it before ECS's SIGKILL.
        assertThat(EngineConfig.DEFAULT.shutdownGrace().plusSeconds(2)).as("controller shutdown vs. the task's stop timeout")
                .isLessThan(stopTimeout(container));
        assertMemoryFlagsFit(image, Integer.parseInt(String.valueOf(task.get("Memory"))), environment(container));
    }

    // ---- the api image and the task definition the controller registers for deploy:api's AppVersion ----

    @Test
    void apiImageRunsAsTheTaskDefinitionTheControllerRegistersForDeployApi() {
        ImageConfig image = ImageConfig.of(Dockerfile.read(ROOT.resolve(option("deploy:api", "--api-dockerfile"))));
        TaskDefinitionSpec spec = deployApiTaskDefinition();

        assertThat(image.exposed()).as("EXPOSE vs. the AppVersion's containerPort").containsExactly(spec.containerPort());
        // The service listens on PORT (default 8080); the AppVersion does not set it, so the image's value is the one that runs.
        assertThat(spec.env()).as("environment deploy:api gives the version").doesNotContainKeys("PORT", "JAVA_TOOL_OPTIONS");
        assertThat(image.env().get("PORT")).as("the port the service listens on").isEqualTo(String.valueOf(spec.containerPort()));
        assertRunsItsJarAsPid1(image);
        // The controller's task definitions set no user: the image's is the one that runs.
        assertThat(image.user()).as("USER").isNotNull();
        assertThat(uid(image.user())).as("uid of USER %s", image.user()).isPositive();

        var ecs = EcsComputePlatform.healthCheck(spec.healthCheck(), spec.containerPort());
        assertSameHealthCheck(image, new ImageConfig.HealthCheck(ecs.command(), Duration.ofSeconds(ecs.interval()),
                Duration.ofSeconds(ecs.timeout()), Duration.ofSeconds(ecs.startPeriod()), ecs.retries()));
        // The controller's task definitions set no stopTimeout: ECS's default applies.
        assertThat(image.stopSignal() == null ? ECS_STOP_SIGNAL : image.stopSignal()).as("STOPSIGNAL").isEqualTo(ECS_STOP_SIGNAL);
        assertMemoryFlagsFit(image, spec.memory(), spec.env());
    }

    private static void assertRunsItsJarAsPid1(ImageConfig image) {
        // Exec form: java is PID 1 and receives ECS's SIGTERM itself (a shell would not pass it on).
        assertThat(image.shellEntrypoint()).as("ENTRYPOINT in shell form").isFalse();
        assertThat(image.entrypoint()).as("ENTRYPOINT").isNotNull();
        assertThat(image.entrypoint().getFirst()).as("ENTRYPOINT's program").isEqualTo("java");
        int jar = image.entrypoint().indexOf("-jar");
        assertThat(jar).as("ENTRYPOINT runs java -jar").isPositive();
        assertThat(image.copiedJars()).as("jars the image copies from its build stage")
                .contains(image.entrypoint().get(jar + 1));
    }

    private static void assertNonRootUnlessTheTaskSaysOtherwise(ImageConfig image, Map<String, Object> container) {
        Object taskUser = container.get("User");
        String user = taskUser != null ? String.valueOf(taskUser) : image.user();
        assertThat(user).as("user the container runs as (task: %s, image: %s)", taskUser, image.user()).isNotNull();
        assertThat(uid(user)).as("uid of %s", user).isPositive();
    }

    private static void assertSameHealthCheck(ImageConfig image, ImageConfig.HealthCheck ecs) {
        ImageConfig.HealthCheck docker = image.healthCheck();
        assertThat(docker).as("the image's HEALTHCHECK").isNotNull();
        assertThat(docker).as("the image's HEALTHCHECK (docker run) vs. the task definition's healthCheck (ECS)").isEqualTo(ecs);
        // The command runs inside the container: its program must be there.
        List<String> programs = Stream.of(ecs.command().getLast().split("\\|\\|"))
                .map(alternative -> alternative.strip().split("\\s+")[0]).filter(p -> !p.equals("exit")).toList();
        assertThat(programs).as("programs of the health check %s; installed by the image: %s", ecs.command(), image.installed())
                .anyMatch(image.installed()::contains);
    }

    private static void assertStopsOnEcsSignal(ImageConfig image, Map<String, Object> container) {
        assertThat(image.stopSignal() == null ? ECS_STOP_SIGNAL : image.stopSignal()).as("STOPSIGNAL").isEqualTo(ECS_STOP_SIGNAL);
        assertThat(stopTimeout(container)).as("the task's stop timeout").isGreaterThanOrEqualTo(ECS_DEFAULT_STOP_TIMEOUT);
    }

    /**
     * The heap follows the task's memory (a percentage, never a fixed -Xmx, which would not move
     * with the task size), leaves room for the JVM's other memory, and an OutOfMemoryError ends
     * the task so ECS replaces it. The task's environment must not replace the image's options.
     */
    private static void assertMemoryFlagsFit(ImageConfig image, int taskMemoryMiB, Map<String, String> taskEnv) {
        assertThat(taskEnv).as("task environment").doesNotContainKeys("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
        assertThat(image.jvmOptions()).as("JVM options").contains("-XX:+ExitOnOutOfMemoryError")
                .noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize"));
        double percentage = Double.parseDouble(image.xxValue("MaxRAMPercentage")
                .orElseThrow(() -> new AssertionError("no -XX:MaxRAMPercentage in " + image.jvmOptions())));
        assertThat(percentage).as("MaxRAMPercentage: a %d MiB task gets a %d MiB heap", taskMemoryMiB,
                (long) (taskMemoryMiB * percentage / 100)).isBetween(MIN_RAM_PERCENTAGE, MAX_RAM_PERCENTAGE);
    }

    // ---- what the CDK and the deploy commands produce ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> controllerTaskDefinition() {
        Map<String, Object> resources = (Map<String, Object>) Synthesized.defaults().backend.toJSON().get("Resources");
        List<Map<String, Object>> found = resources.values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> "AWS::ECS::TaskDefinition".equals(r.get("Type")))
                .map(r -> (Map<String, Object>) r.get("Properties"))
                .filter(p -> "skewless-shop-controller".equals(p.get("Family"))).toList();
        assertThat(found).as("the controller's task definition").hasSize(1);
        return found.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyContainer(Map<String, Object> task) {
        List<Map<String, Object>> containers = (List<Map<String, Object>>) task.get("ContainerDefinitions");
        assertThat(containers).hasSize(1);
        return containers.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> portMappings(Map<String, Object> container) {
        return ((List<Map<String, Object>>) container.get("PortMappings")).stream()
                .map(m -> ((Number) m.get("ContainerPort")).intValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static ImageConfig.HealthCheck healthCheckOf(Map<String, Object> container) {
        Map<String, Object> hc = (Map<String, Object>) container.get("HealthCheck");
        assertThat(hc).as("the task definition's container health check").isNotNull();
        return new ImageConfig.HealthCheck((List<String>) hc.get("Command"), seconds(hc.get("Interval")), seconds(hc.get("Timeout")),
                seconds(hc.get("StartPeriod")), ((Number) hc.get("Retries")).intValue());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> container) {
        List<Map<String, Object>> env = (List<Map<String, Object>>) container.getOrDefault("Environment", List.of());
        return env.stream().collect(java.util.stream.Collectors.toMap(e -> (String) e.get("Name"), e -> String.valueOf(e.get("Value"))));
    }

    private static Duration stopTimeout(Map<String, Object> container) {
        Object t = container.get("StopTimeout");
        return t == null ? ECS_DEFAULT_STOP_TIMEOUT : seconds(t);
    }

    private static Duration seconds(Object n) {
        return Duration.ofSeconds(((Number) n).longValue());
    }

    /**
     * The task definition the controller registers for the AppVersion {@code deploy:api} writes
     * with its default options, in the App the backend stack describes.
     */
    private TaskDefinitionSpec deployApiTaskDefinition() {
        String app = "shop";
        String owner = option("deploy:api", "--owner");
        String versionEnv = option("deploy:api", "--version-env");
        String json = RecordDrafts.appVersion(new RecordDrafts.VersionDraft(app, "v1", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/skewless/shop-api:v1",
                Integer.parseInt(option("deploy:api", "--cpu")), Integer.parseInt(option("deploy:api", "--memory")),
                Integer.parseInt(option("deploy:api", "--desired-count")), Map.of(versionEnv, "v1"), option("deploy:api", "--health-path")));
        AppVersion version = ((Subject.OfVersion) RecordDrafts.read(json, "deploy:api").subjects().getFirst()).version();
        App stackApp = RecordDrafts.onlyApp(RecordDrafts.read(AppManifestTest.manifest(Synthesized.defaults().backend, app), "app-manifest"));
        return DesiredResources.taskDefinition(owner, stackApp, version);
    }

    /** A deploy command's option default, as picocli gives it to the command. */
    private String option(String command, String name) {
        CommandSpec spec = cli.getSubcommands().get(command).getCommandSpec();
        CommandLine.Model.OptionSpec o = spec.findOption(name);
        assertThat(o).as("%s %s", command, name).isNotNull();
        return o.defaultValue();
    }

    /** The numeric uid of a USER value ({@code 10001} or {@code 10001:10001}). */
    private static int uid(String user) {
        String u = user.split(":")[0];
        // A name could only be checked against the image's /etc/passwd, which needs the image.
        assertThat(u).as("USER %s is a numeric uid", user).matches("\\d+");
        return Integer.parseInt(u);
    }
}
