package dev.skewless.platform.local;

import dev.skewless.model.App;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.LocalSpec;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.ScalingPolicySpec;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.observed.ObservedScalableTarget;
import dev.skewless.plan.observed.ObservedScalingPolicy;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedService.Rollout;
import dev.skewless.plan.observed.ObservedService.Status;
import dev.skewless.plan.observed.ObservedTaskDefinition;
import dev.skewless.platform.ComputePlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECS of {@code ./skewless dev}: every version's service runs as local processes.
 *
 * <p><b>Task definitions</b> are immutable snapshots, as on ECS: registering one captures the
 * version's environment, health check and the App's {@code spec.local} (command and extra
 * environment, seen in the App's last {@link #observe}). A task is one process started from it on
 * a free loopback port, with {@code ${VERSION}}, {@code ${PORT}} and the version's own {@code spec.env}
 * variables substituted in the command and
 * in the environment, the working directory {@link LocalPlatformConfig#workDir()}, and stdout and
 * stderr appended to files under {@link LocalPlatformConfig#logDir()}.
 *
 * <p><b>Services</b> keep {@code desiredCount} tasks of their task definition running: a task that
 * exits is relaunched after a backoff that doubles with every consecutive failure; a task that
 * fails its health checks after being healthy is replaced; one that is not healthy within
 * {@link LocalPlatformConfig#startGrace()} counts as a failed launch. A new task definition rolls
 * out like an ECS deployment with 100% minimum healthy: new tasks start beside the old ones, which
 * are stopped once the new ones are healthy. Too many failed launches of a new task definition
 * make its rollout FAILED and stop its launches (the deployment circuit breaker).
 *
 * <p><b>What the planner sees</b> ({@link #observe}) has ECS's shape: running = healthy tasks; a
 * rollout is COMPLETED when the desired number of tasks of the current task definition are
 * healthy and no other task is left; deleted services are DRAINING until their processes have
 * exited, then INACTIVE (and no longer listed).
 *
 * <p><b>Targets</b>: every change of a service's tasks or their health is reported to the
 * {@code targets} listener as the target group's full set of task URIs with their health; the
 * composer connects it to the local router ({@code router::updateTargets}), so neither package
 * knows the other.
 *
 * <p><b>Stopping</b> sends SIGTERM to the process and every descendant it has had (tracked while
 * it runs, so children of a crashed parent are found too), then SIGKILL after
 * {@link LocalPlatformConfig#stopGrace()}. {@link #close()} stops everything and returns when it
 * is gone; a JVM shutdown hook calls it; a ledger file lets the next run kill what a
 * {@code kill -9} left behind.
 *
 * <p>Thread-safe: port calls change the desired state and return; one platform thread launches,
 * probes, replaces and stops processes.
 */
public final class LocalComputePlatform implements ComputePlatform, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalComputePlatform.class);
    private static final String ARN_PREFIX = "arn:skewless:local:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final int EVENTS_KEPT = 2000;
    /** The bin directory of the JDK running this platform. */
    private static final String JAVA_BIN = Path.of(System.getProperty("java.home"), "bin").toString();

    /** What happened to a task, for tests, logs and the status page. */
    public enum EventKind { STARTED, FAILED_TO_START, HEALTHY, UNHEALTHY, EXITED, STOPPING, STOPPED }

    /**
     * One thing that happened to a task.
     *
     * @param at           when
     * @param app          the App
     * @param version      the version
     * @param taskId       {@code <service>/<n>}
     * @param kind         what
     * @param pid          the process, or -1 when it did not start
     * @param exitCode     for EXITED and STOPPED, else null
     * @param nextLaunchIn for EXITED and FAILED_TO_START of a task that will be relaunched: the
     *                     backoff before the next launch; else null
     * @param detail       for people
     */
    public record TaskEvent(Instant at, String app, String version, String taskId, EventKind kind, long pid, Integer exitCode,
            Duration nextLaunchIn, String detail) {}

    /**
     * A running task.
     *
     * @param serviceArn        its service
     * @param app               the App
     * @param version           the version
     * @param taskId            {@code <service>/<n>}
     * @param taskDefinitionArn what it runs
     * @param pid               its process
     * @param uri               its base URI ({@code http://127.0.0.1:<port>})
     * @param healthy           passing its health check
     * @param startedAt         launch time
     * @param stdout            its stdout log file
     * @param stderr            its stderr log file
     */
    public record TaskView(String serviceArn, String app, String version, String taskId, String taskDefinitionArn, long pid, URI uri,
            boolean healthy, Instant startedAt, Path stdout, Path stderr) {}

    private final LocalPlatformConfig config;
    private final BiConsumer<String, Map<URI, Boolean>> targetsListener;
    private final InstantSource clock;
    private final ScheduledExecutorService loop;
    private final HttpClient probes;
    private final ProcessLedger ledger;
    private final Thread shutdownHook;

    // Guarded by `this`.
    private final Map<String, LocalSpec> localSpecs = new HashMap<>();
    private final Map<String, TaskDefinition> taskDefinitions = new LinkedHashMap<>();
    private final Map<String, Integer> revisions = new HashMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    /** Scalable targets by resource id: bookkeeping only, nothing scales locally (decision 030). */
    private final Map<String, ObservedScalableTarget> scalableTargets = new LinkedHashMap<>();
    /** Scaling policies by resource id and name. */
    private final Map<String, ObservedScalingPolicy> scalingPolicies = new LinkedHashMap<>();
    private final List<Task> stopping = new ArrayList<>();
    private final Deque<TaskEvent> events = new ArrayDeque<>();
    private long taskSequence;
    private boolean closed;

    private record TaskDefinition(String arn, String family, TaskDefinitionSpec spec, LocalSpec local, String app, String version,
            boolean active) {
        TaskDefinition inactive() {
            return new TaskDefinition(arn, family, spec, local, app, version, false);
        }
    }

    private static final class Service {
        final String arn;
        final String name;
        final String cluster;
        final Map<String, String> tags;
        final String app;
        final String version;
        Status status = Status.ACTIVE;
        String taskDefinitionArn;
        String targetGroupArn;
        int desired;
        /** Failed launches of the current task definition, until its rollout first completes. */
        int failedLaunches;
        boolean completedOnce;
        boolean rolloutFailed;
        int consecutiveFailures;
        Instant nextLaunchAt = Instant.MIN;
        final List<Task> tasks = new ArrayList<>();
        String publishedGroup;
        Map<URI, Boolean> published = Map.of();

        Service(String arn, String name, String cluster, Map<String, String> tags) {
            this.arn = arn;
            this.name = name;
            this.cluster = cluster;
            this.tags = Map.copyOf(tags);
            this.app = tags.getOrDefault(OwnershipTags.APP, "");
            this.version = tags.getOrDefault(OwnershipTags.VERSION, "");
        }

        void newDeployment(String taskDefinition) {
            taskDefinitionArn = taskDefinition;
            failedLaunches = 0;
            completedOnce = false;
            rolloutFailed = false;
            consecutiveFailures = 0;
            nextLaunchAt = Instant.MIN;
        }
    }

    private static final class Task {
        final String id;
        final Service service;
        final TaskDefinition definition;
        final int slot;
        final URI uri;
        final Process process;
        final Instant startedAt;
        final Path stdout;
        final Path stderr;
        /** Every descendant seen while it ran: killed with it, even after the parent is gone. */
        final Set<ProcessHandle> descendants = new LinkedHashSet<>();
        int okStreak;
        int failStreak;
        boolean healthy;
        boolean everHealthy;
        boolean stoppedByUs;
        Instant killAt;

        Task(String id, Service service, TaskDefinition definition, int slot, URI uri, Process process, Instant startedAt,
                Path stdout, Path stderr) {
            this.id = id;
            this.service = service;
            this.definition = definition;
            this.slot = slot;
            this.uri = uri;
            this.process = process;
            this.startedAt = startedAt;
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    /**
     * @param config  settings
     * @param targets hears, per target group, every registered task's URI and health (see the
     *                class comment); must be quick and thread-safe
     */
    public LocalComputePlatform(LocalPlatformConfig config, BiConsumer<String, Map<URI, Boolean>> targets) {
        this(config, targets, InstantSource.system());
    }

    LocalComputePlatform(LocalPlatformConfig config, BiConsumer<String, Map<URI, Boolean>> targets, InstantSource clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.targetsListener = Objects.requireNonNull(targets, "targets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.probes = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.probeTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.ledger = config.processLedger() == null ? null : new ProcessLedger(config.processLedger());
        if (ledger != null) {
            ledger.killLeftovers();
        }
        try {
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory " + config.logDir(), e);
        }
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skewless-local-platform");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::tick, 0, config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (config.shutdownHook()) {
            shutdownHook = new Thread(this::close, "skewless-local-platform-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
        log.atInfo().addKeyValue("workDir", config.workDir()).addKeyValue("logDir", config.logDir()).log("local compute platform started");
    }

    // ================================================================ ComputePlatform

    @Override
    public synchronized Observation observe(App app) {
        if (app.spec().local() == null) {
            localSpecs.remove(app.name());
        } else {
            localSpecs.put(app.name(), app.spec().local());
        }
        List<ObservedService> listed = new ArrayList<>();
        for (Service s : services.values()) {
            if (s.status != Status.INACTIVE && app.name().equals(s.app)) {
                listed.add(observed(s));
            }
        }
        List<ObservedTaskDefinition> defs = taskDefinitions.values().stream()
                .filter(t -> t.active() && app.name().equals(t.app()))
                .map(t -> new ObservedTaskDefinition(t.arn(), t.family(), t.spec().tags())).toList();
        List<String> resourceIds = listed.stream().map(o -> ScalableTargetSpec.resourceId(o.cluster(), o.name())).toList();
        List<ObservedScalableTarget> targets = scalableTargets.values().stream().filter(t -> resourceIds.contains(t.resourceId())).toList();
        List<ObservedScalingPolicy> policies = scalingPolicies.values().stream()
                .filter(p -> scalableTargets.containsKey(p.spec().resourceId()) && resourceIds.contains(p.spec().resourceId())).toList();
        return new Observation(listed, defs, targets, policies);
    }

    private ObservedService observed(Service s) {
        int running = (int) s.tasks.stream().filter(t -> t.healthy).count();
        return new ObservedService(s.arn, s.name, s.cluster, s.status, s.desired, running, rollout(s), s.taskDefinitionArn,
                s.targetGroupArn, s.tags);
    }

    /** COMPLETED: the desired tasks of the current task definition are healthy and nothing else runs. */
    private static Rollout rollout(Service s) {
        if (s.rolloutFailed) {
            return Rollout.FAILED;
        }
        long current = s.tasks.stream().filter(t -> t.healthy && t.definition.arn().equals(s.taskDefinitionArn)).count();
        boolean othersLeft = s.tasks.stream().anyMatch(t -> !t.definition.arn().equals(s.taskDefinitionArn));
        return current >= s.desired && !othersLeft ? Rollout.COMPLETED : Rollout.IN_PROGRESS;
    }

    @Override
    public synchronized String registerTaskDefinition(TaskDefinitionSpec spec) {
        if (spec.family() == null || !NAME.matcher(spec.family()).matches()) {
            throw fail(Kind.INVALID, "ClientException", "family '" + spec.family() + "' must be 1-255 letters, digits, - or _");
        }
        String app = spec.tags().get(OwnershipTags.APP);
        String version = spec.tags().get(OwnershipTags.VERSION);
        if (app == null || version == null) {
            throw fail(Kind.INVALID, "ClientException", "task definition " + spec.family() + " lacks the app and version tags");
        }
        LocalSpec local = localSpecs.get(app);
        if (local == null || local.command().isEmpty()) {
            throw fail(Kind.INVALID, "NoLocalCommand", "App " + app + " has no spec.local.command: ./skewless dev does not know how to "
                    + "start its versions as local processes");
        }
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.putIfAbsent(OwnershipTags.SPEC_HASH, spec.specHash());
        TaskDefinitionSpec tagged = new TaskDefinitionSpec(spec.family(), spec.containerName(), spec.image(), spec.cpu(), spec.memory(),
                spec.containerPort(), spec.env(), spec.secrets(), spec.executionRoleArn(), spec.taskRoleArn(), spec.logGroup(),
                spec.healthCheck(), spec.specHash(), tags);
        int revision = revisions.merge(spec.family(), 1, Integer::sum);
        String arn = ARN_PREFIX + "task-definition/" + spec.family() + ":" + revision;
        taskDefinitions.put(arn, new TaskDefinition(arn, spec.family(), tagged, local, app, version, true));
        log.atInfo().addKeyValue("app", app).addKeyValue("version", version).addKeyValue("action", "RegisterTaskDefinition")
                .addKeyValue("outcome", "ok").addKeyValue("command", local.command()).log("registered task definition " + arn);
        return arn;
    }

    @Override
    public synchronized void deregisterTaskDefinition(String taskDefinitionArn) {
        TaskDefinition td = taskDefinitions.get(taskDefinitionArn);
        if (td == null) {
            throw fail(Kind.NOT_FOUND, "ClientException", "task definition " + taskDefinitionArn + " does not exist");
        }
        taskDefinitions.put(taskDefinitionArn, td.inactive());
    }

    @Override
    public String createService(ServiceSpec spec) {
        String arn;
        synchronized (this) {
            checkOpen();
            if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
                throw fail(Kind.INVALID, "InvalidParameterException", "service name '" + spec.name() + "' is invalid");
            }
            if (spec.desiredCount() < 0) {
                throw fail(Kind.INVALID, "InvalidParameterException", "desired count must be at least 0");
            }
            arn = ARN_PREFIX + "service/" + spec.cluster() + "/" + spec.name();
            Service existing = services.get(arn);
            if (existing != null && existing.status != Status.INACTIVE) {
                throw fail(Kind.CONFLICT, "ServiceAlreadyExists", "service " + spec.name() + " is " + existing.status + " in " + spec.cluster());
            }
            TaskDefinition td = activeTaskDefinition(spec.taskDefinitionArn());
            Service s = new Service(arn, spec.name(), spec.cluster(), spec.tags());
            s.newDeployment(td.arn());
            s.targetGroupArn = spec.targetGroupArn();
            s.desired = spec.desiredCount();
            services.put(arn, s);
            log.atInfo().addKeyValue("app", s.app).addKeyValue("version", s.version).addKeyValue("action", "CreateService")
                    .addKeyValue("outcome", "ok").addKeyValue("desired", s.desired).log("created service " + spec.name());
        }
        wake();
        return arn;
    }

    @Override
    public void updateService(String serviceArn, ServiceSpec spec) {
        synchronized (this) {
            checkOpen();
            Service s = activeService(serviceArn);
            if (spec.desiredCount() < 0) {
                throw fail(Kind.INVALID, "InvalidParameterException", "desired count must be at least 0");
            }
            TaskDefinition td = activeTaskDefinition(spec.taskDefinitionArn());
            if (!td.arn().equals(s.taskDefinitionArn)) {
                s.newDeployment(td.arn());
            }
            s.targetGroupArn = spec.targetGroupArn();
            s.desired = spec.desiredCount();
            log.atInfo().addKeyValue("app", s.app).addKeyValue("version", s.version).addKeyValue("action", "UpdateService")
                    .addKeyValue("outcome", "ok").addKeyValue("taskDefinition", td.arn()).addKeyValue("desired", s.desired)
                    .log("updated service " + s.name);
        }
        wake();
    }

    @Override
    public void scaleService(String cluster, String serviceArn, int desiredCount) {
        synchronized (this) {
            checkOpen();
            Service s = activeService(serviceArn);
            if (desiredCount < 0) {
                throw fail(Kind.INVALID, "InvalidParameterException", "desired count must be at least 0");
            }
            s.desired = desiredCount;
            log.atInfo().addKeyValue("app", s.app).addKeyValue("version", s.version).addKeyValue("action", "ScaleService")
                    .addKeyValue("outcome", "ok").addKeyValue("desired", desiredCount).log("scaled service " + s.name);
        }
        wake();
    }

    @Override
    public void deleteService(String cluster, String serviceArn) {
        synchronized (this) {
            Service s = services.get(serviceArn);
            if (s == null || s.status != Status.ACTIVE) {
                return; // gone is what was asked for
            }
            if (s.desired > 0) {
                throw fail(Kind.INVALID, "InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
            }
            s.status = Status.DRAINING;
            log.atInfo().addKeyValue("app", s.app).addKeyValue("version", s.version).addKeyValue("action", "DeleteService")
                    .addKeyValue("outcome", "ok").log("deleting service " + s.name);
        }
        wake();
    }

    // ---- Application Auto Scaling: kept as records so the planner converges; local tasks never autoscale ----

    @Override
    public synchronized void registerScalableTarget(ScalableTargetSpec spec) {
        checkOpen();
        boolean exists = services.values().stream().anyMatch(s -> s.status == Status.ACTIVE
                && ScalableTargetSpec.resourceId(s.cluster, s.name).equals(spec.resourceId()));
        if (!exists) {
            throw fail(Kind.INVALID, "ValidationException", "ECS service doesn't exist: " + spec.resourceId());
        }
        if (spec.minCount() < 0 || spec.maxCount() < spec.minCount()) {
            throw fail(Kind.INVALID, "ValidationException", "minimum capacity cannot be greater than maximum capacity");
        }
        scalableTargets.put(spec.resourceId(), new ObservedScalableTarget(spec.resourceId(), ARN_PREFIX + "scalable-target/"
                + spec.resourceId(), spec.minCount(), spec.maxCount()));
        log.atInfo().addKeyValue("resource", spec.resourceId()).addKeyValue("action", "RegisterScalableTarget")
                .addKeyValue("outcome", "ok").log("recorded scalable target; local services keep their desired count");
    }

    @Override
    public synchronized void putScalingPolicy(ScalingPolicySpec spec) {
        checkOpen();
        if (!scalableTargets.containsKey(spec.resourceId())) {
            throw fail(Kind.NOT_FOUND, "ObjectNotFoundException", "no scalable target for " + spec.resourceId());
        }
        scalingPolicies.put(spec.resourceId() + "|" + spec.name(), new ObservedScalingPolicy(ARN_PREFIX + "scaling-policy/"
                + spec.resourceId() + "/" + spec.name(), spec));
    }

    @Override
    public synchronized void deleteScalingPolicy(String resourceId, String policyName) {
        scalingPolicies.remove(resourceId + "|" + policyName);
    }

    @Override
    public synchronized void deregisterScalableTarget(String resourceId) {
        scalableTargets.remove(resourceId);
        scalingPolicies.keySet().removeIf(k -> k.startsWith(resourceId + "|"));
    }

    private Service activeService(String serviceArn) {
        Service s = services.get(serviceArn);
        if (s == null || s.status == Status.INACTIVE) {
            throw fail(Kind.NOT_FOUND, "ServiceNotFoundException", "service " + serviceArn + " not found");
        }
        if (s.status == Status.DRAINING) {
            throw fail(Kind.CONFLICT, "ServiceNotActiveException", "service " + s.name + " is DRAINING");
        }
        return s;
    }

    private TaskDefinition activeTaskDefinition(String arn) {
        TaskDefinition td = arn == null ? null : taskDefinitions.get(arn);
        if (td == null || !td.active()) {
            throw fail(Kind.INVALID, "ClientException", "task definition " + arn + (td == null ? " does not exist" : " is INACTIVE"));
        }
        return td;
    }

    private void checkOpen() {
        if (closed) {
            throw fail(Kind.TRANSIENT, "PlatformClosed", "the local platform is shutting down");
        }
    }

    private static ActionException fail(Kind kind, String code, String message) {
        return new ActionException(kind, code, message);
    }

    // ================================================================ views

    /** Every running task (stopping ones excluded), by service then launch order. */
    public synchronized List<TaskView> tasks() {
        List<TaskView> out = new ArrayList<>();
        for (Service s : services.values()) {
            for (Task t : s.tasks) {
                out.add(new TaskView(s.arn, s.app, s.version, t.id, t.definition.arn(), t.process.pid(), t.uri, t.healthy, t.startedAt,
                        t.stdout, t.stderr));
            }
        }
        return out;
    }

    /** The last events, oldest first. */
    public synchronized List<TaskEvent> events() {
        return List.copyOf(events);
    }

    /**
     * Every process the platform is responsible for right now: the tasks (stopping ones
     * included) and every descendant seen.
     */
    public synchronized List<ProcessHandle> processes() {
        Set<ProcessHandle> out = new LinkedHashSet<>();
        for (Service s : services.values()) {
            s.tasks.forEach(t -> addTree(t, out));
        }
        stopping.forEach(t -> addTree(t, out));
        return List.copyOf(out);
    }

    private static void addTree(Task t, Set<ProcessHandle> out) {
        out.add(t.process.toHandle());
        out.addAll(t.descendants);
    }

    // ================================================================ the loop

    /** Runs a pass of the loop soon (after a port call), instead of at the next probe interval. */
    private void wake() {
        try {
            loop.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void tick() {
        try {
            List<Task> probing;
            synchronized (this) {
                if (closed) {
                    return;
                }
                probing = new ArrayList<>();
                for (Service s : services.values()) {
                    for (Task t : s.tasks) {
                        if (t.process.isAlive()) {
                            probing.add(t);
                        }
                    }
                }
            }
            Map<Task, Boolean> results = probe(probing);
            List<Runnable> publications = new ArrayList<>();
            synchronized (this) {
                if (closed) {
                    return;
                }
                Instant now = clock.instant();
                for (Service s : services.values()) {
                    converge(s, results, now);
                    publication(s).ifPresent(publications::add);
                }
                reapStopping(now);
                recordLedger();
            }
            publications.forEach(Runnable::run);
        } catch (RuntimeException | Error e) {
            log.atError().setCause(e).log("local platform loop failed; it goes on at the next interval");
        }
    }

    /** Probes every task at once; true for a matching status, false for anything else. */
    private Map<Task, Boolean> probe(List<Task> tasks) {
        Map<Task, CompletableFuture<Boolean>> pending = new HashMap<>();
        for (Task t : tasks) {
            HealthCheckSpec hc = t.definition.spec().healthCheck() == null ? HealthCheckSpec.DEFAULT : t.definition.spec().healthCheck();
            Duration timeout = hc.timeout().compareTo(config.probeTimeout()) < 0 ? hc.timeout() : config.probeTimeout();
            HttpRequest request = HttpRequest.newBuilder(t.uri.resolve(hc.path())).timeout(timeout).GET().build();
            pending.put(t, probes.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> HealthMatcher.matches(hc.matcher(), r.statusCode()))
                    .exceptionally(e -> false));
        }
        Map<Task, Boolean> out = new HashMap<>();
        pending.forEach((t, f) -> out.put(t, f.join()));
        return out;
    }

    private void converge(Service s, Map<Task, Boolean> results, Instant now) {
        // 1. Exits.
        for (Task t : List.copyOf(s.tasks)) {
            t.descendants.addAll(t.process.descendants().toList());
            if (!t.process.isAlive()) {
                s.tasks.remove(t);
                int code = t.process.exitValue();
                killTree(t, false);
                stopping.add(t); // until its descendants are gone too
                t.killAt = now.plus(config.stopGrace());
                failure(s, t, now, EventKind.EXITED, code, "exited with code " + code);
            }
        }
        // 2. Health.
        HealthCheckSpec hc;
        for (Task t : List.copyOf(s.tasks)) {
            Boolean ok = results.get(t);
            if (ok == null) {
                continue;
            }
            hc = t.definition.spec().healthCheck() == null ? HealthCheckSpec.DEFAULT : t.definition.spec().healthCheck();
            if (ok) {
                t.okStreak++;
                t.failStreak = 0;
                if (!t.healthy && t.okStreak >= hc.healthyThreshold()) {
                    t.healthy = true;
                    t.everHealthy = true;
                    s.consecutiveFailures = 0;
                    event(now, s, t, EventKind.HEALTHY, null, null, "healthy on " + t.uri + hc.path());
                }
            } else {
                t.okStreak = 0;
                t.failStreak++;
                if (t.healthy && t.failStreak >= hc.unhealthyThreshold()) {
                    t.healthy = false;
                    event(now, s, t, EventKind.UNHEALTHY, null, null, "failed " + t.failStreak + " health checks; replacing it");
                    stop(s, t, now);
                    failure(s, t, now, null, null, null);
                } else if (!t.everHealthy && now.isAfter(t.startedAt.plus(config.startGrace()))) {
                    event(now, s, t, EventKind.UNHEALTHY, null, null, "not healthy within " + config.startGrace() + "; replacing it");
                    stop(s, t, now);
                    failure(s, t, now, null, null, null);
                }
            }
        }
        // 3. Circuit breaker tripped (in failure()): no half-started task of the failed definition stays.
        if (s.rolloutFailed) {
            for (Task t : List.copyOf(s.tasks)) {
                if (t.definition.arn().equals(s.taskDefinitionArn) && !t.healthy) {
                    stop(s, t, now);
                }
            }
        }
        // 4. Desired count, rolling replacement.
        List<Task> current = s.tasks.stream().filter(t -> t.definition.arn().equals(s.taskDefinitionArn)).toList();
        List<Task> old = s.tasks.stream().filter(t -> !t.definition.arn().equals(s.taskDefinitionArn)).toList();
        int wanted = s.status == Status.ACTIVE ? s.desired : 0;
        if (s.status != Status.ACTIVE) {
            List.copyOf(s.tasks).forEach(t -> stop(s, t, now));
        } else {
            if (current.size() < wanted && !s.rolloutFailed && !now.isBefore(s.nextLaunchAt)) {
                TaskDefinition td = taskDefinitions.get(s.taskDefinitionArn);
                for (int i = current.size(); i < wanted; i++) {
                    if (!launch(s, td, now)) {
                        break;
                    }
                }
            } else if (current.size() > wanted) {
                // Surplus: the unhealthy first, then the newest.
                current.stream().sorted(Comparator.comparing((Task t) -> t.healthy).thenComparing(t -> t.startedAt, Comparator.reverseOrder()))
                        .limit(current.size() - wanted).toList().forEach(t -> stop(s, t, now));
            }
            long healthyCurrent = s.tasks.stream().filter(t -> t.healthy && t.definition.arn().equals(s.taskDefinitionArn)).count();
            if (!old.isEmpty() && !s.rolloutFailed && healthyCurrent >= wanted) {
                old.forEach(t -> stop(s, t, now));
            }
        }
        if (!s.rolloutFailed && rollout(s) == Rollout.COMPLETED) {
            s.completedOnce = true;
        }
        // 5. A deleted service is gone once its processes are.
        if (s.status == Status.DRAINING && s.tasks.isEmpty() && stopping.stream().noneMatch(t -> t.service == s)) {
            s.status = Status.INACTIVE;
            log.atInfo().addKeyValue("app", s.app).addKeyValue("version", s.version).addKeyValue("action", "DeleteService")
                    .addKeyValue("outcome", "inactive").log("service " + s.name + " stopped");
        }
    }

    /** A task ended badly (exited, failed to start, replaced): back off before the next launch. */
    private void failure(Service s, Task t, Instant now, EventKind kind, Integer exitCode, String detail) {
        if (t == null || !t.everHealthy) {
            s.failedLaunches++;
        }
        s.consecutiveFailures++;
        Duration wait = config.backoff(s.consecutiveFailures);
        s.nextLaunchAt = now.plus(wait);
        if (!s.rolloutFailed && !s.completedOnce && s.failedLaunches >= config.maxFailedLaunches()) {
            s.rolloutFailed = true;
            log.atError().addKeyValue("app", s.app).addKeyValue("version", s.version).addKeyValue("action", "Rollout")
                    .addKeyValue("outcome", "failed").addKeyValue("failedLaunches", s.failedLaunches)
                    .log("rollout of " + s.taskDefinitionArn + " FAILED after " + s.failedLaunches + " failed launches; see the logs in "
                            + versionLogDir(s));
        }
        if (kind != null) {
            boolean relaunch = s.status == Status.ACTIVE && !s.rolloutFailed;
            event(now, s, t, kind, exitCode, relaunch ? wait : null, detail + (relaunch ? "; relaunching in " + wait.toMillis() + "ms" : ""));
        }
    }

    private boolean launch(Service s, TaskDefinition td, Instant now) {
        Set<Integer> slots = new HashSet<>();
        s.tasks.forEach(t -> slots.add(t.slot));
        int slot = 1;
        while (slots.contains(slot)) {
            slot++;
        }
        String id = s.name + "/" + (++taskSequence);
        Path dir = versionLogDir(s);
        Path stdout = dir.resolve("task-" + slot + ".stdout.log");
        Path stderr = dir.resolve("task-" + slot + ".stderr.log");
        int port;
        try {
            port = freePort();
        } catch (IOException e) {
            failure(s, null, now, EventKind.FAILED_TO_START, null, "no free port: " + e.getMessage());
            return false;
        }
        // The version's own variables may be used in the App's command line too (LocalSpec's contract).
        Map<String, String> vars = new HashMap<>(td.spec().env());
        vars.put("VERSION", s.version);
        vars.put("PORT", Integer.toString(port));
        List<String> command = withThisJava(td.local().command().stream().map(a -> substitute(a, vars)).toList());
        ProcessBuilder pb = new ProcessBuilder(command).directory(config.workDir().toFile());
        Map<String, String> env = pb.environment();
        env.put("PATH", JAVA_BIN + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        td.spec().env().forEach((k, v) -> env.put(k, substitute(v, vars)));
        td.local().env().forEach((k, v) -> env.put(k, substitute(v, vars)));
        String header = "--- skewless: " + id + " (" + td.arn() + ") starting at " + now + " on port " + port + ": " + command + "\n";
        Process process;
        try {
            Files.createDirectories(dir);
            Files.writeString(stdout, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(stderr, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
            pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            appendQuietly(stderr, "--- skewless: " + id + " could not start: " + e.getMessage() + "\n");
            failure(s, null, now, EventKind.FAILED_TO_START, null, "cannot start " + command + ": " + e.getMessage());
            return false;
        }
        URI uri = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port);
        Task t = new Task(id, s, td, slot, uri, process, now, stdout, stderr);
        s.tasks.add(t);
        process.onExit().thenRun(this::wake);
        event(now, s, t, EventKind.STARTED, null, null, "pid " + process.pid() + " on " + uri + ": " + command);
        return true;
    }

    /** SIGTERM now (deregistered at once), SIGKILL when the grace period is over. */
    private void stop(Service s, Task t, Instant now) {
        if (!s.tasks.remove(t)) {
            return;
        }
        t.descendants.addAll(t.process.descendants().toList());
        t.healthy = false;
        t.stoppedByUs = true;
        t.killAt = now.plus(config.stopGrace());
        stopping.add(t);
        killTree(t, false);
        event(now, s, t, EventKind.STOPPING, null, null, "stopping pid " + t.process.pid());
    }

    private void reapStopping(Instant now) {
        for (Task t : List.copyOf(stopping)) {
            t.descendants.addAll(t.process.descendants().toList());
            boolean anyAlive = t.process.isAlive() || t.descendants.stream().anyMatch(ProcessHandle::isAlive);
            if (!anyAlive) {
                stopping.remove(t);
                if (t.stoppedByUs) {
                    event(now, t.service, t, EventKind.STOPPED, t.process.exitValue(), null, "stopped");
                }
            } else if (!now.isBefore(t.killAt)) {
                killTree(t, true);
            }
        }
    }

    private static void killTree(Task t, boolean force) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(t.process.toHandle());
        all.addAll(t.descendants);
        for (ProcessHandle p : all) {
            if (p.isAlive()) {
                if (force) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
            }
        }
    }

    /** The target group's new view, when it changed (published outside the lock, in loop order). */
    private java.util.Optional<Runnable> publication(Service s) {
        Map<URI, Boolean> now = new TreeMap<>();
        if (s.status == Status.ACTIVE) {
            s.tasks.forEach(t -> now.put(t.uri, t.healthy));
        }
        String group = s.targetGroupArn;
        List<Runnable> out = new ArrayList<>();
        if (s.publishedGroup != null && !s.publishedGroup.equals(group)) {
            String old = s.publishedGroup;
            out.add(() -> targetsListener.accept(old, Map.of()));
            s.published = Map.of();
        }
        if (group != null && (!now.equals(s.published) || !group.equals(s.publishedGroup))) {
            Map<URI, Boolean> snapshot = Map.copyOf(now);
            out.add(() -> targetsListener.accept(group, snapshot));
            s.published = snapshot;
        }
        s.publishedGroup = group;
        return out.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(() -> out.forEach(r -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("the targets listener failed; ignored");
            }
        }));
    }

    private void recordLedger() {
        if (ledger == null) {
            return;
        }
        try {
            ledger.record(processes());
        } catch (UncheckedIOException e) {
            log.atWarn().setCause(e).log("cannot update the process ledger");
        }
    }

    private void event(Instant at, Service s, Task t, EventKind kind, Integer exitCode, Duration next, String detail) {
        TaskEvent e = new TaskEvent(at, s.app, s.version, t == null ? s.name + "/-" : t.id, kind,
                t == null ? -1 : t.process.pid(), exitCode, next, detail);
        events.addLast(e);
        while (events.size() > EVENTS_KEPT) {
            events.removeFirst();
        }
        var line = (kind == EventKind.EXITED || kind == EventKind.FAILED_TO_START || kind == EventKind.UNHEALTHY ? log.atWarn() : log.atInfo())
                .addKeyValue("app", s.app).addKeyValue("version", s.version).addKeyValue("action", "Task" + kind)
                .addKeyValue("outcome", kind.name().toLowerCase(java.util.Locale.ROOT)).addKeyValue("task", e.taskId());
        if (t != null) {
            line = line.addKeyValue("pid", t.process.pid());
        }
        line.log(detail);
    }

    private Path versionLogDir(Service s) {
        return config.logDir().resolve(safe(s.app)).resolve(safe(s.version));
    }

    /** Version ids may be {@code .} or {@code ..}: not as directory names. */
    private static String safe(String name) {
        return name.equals(".") || name.equals("..") ? name.replace(".", "%2E") : name;
    }

    /**
     * {@code java} as the command means the JDK running skewless: the machine's default {@code java}
     * may be older than the one {@code ./skewless} picked, and an App built for it would crash-loop.
     * (The executable is looked up on this process's PATH, not the child's, hence the rewrite; the
     * child's PATH starts with this JDK too, for scripts that call {@code java}.)
     */
    static List<String> withThisJava(List<String> command) {
        if (command.isEmpty() || !command.getFirst().equals("java")) {
            return command;
        }
        List<String> out = new ArrayList<>(command);
        out.set(0, JAVA_BIN + java.io.File.separator + "java");
        return out;
    }

    static String substitute(String text, Map<String, String> vars) {
        String out = text;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            out = out.replace("${" + v.getKey() + "}", v.getValue());
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void appendQuietly(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the WARN line says the same
        }
    }

    // ================================================================ close

    /**
     * Stops every process (SIGTERM, then SIGKILL after the grace period) and returns when they are
     * gone. Idempotent; also run by the JVM shutdown hook.
     */
    @Override
    public void close() {
        List<ProcessHandle> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Service s : services.values()) {
                for (Task t : List.copyOf(s.tasks)) {
                    t.descendants.addAll(t.process.descendants().toList());
                    s.tasks.remove(t);
                    stopping.add(t);
                }
            }
            all = processes();
            stopping.forEach(t -> killTree(t, false));
        }
        loop.shutdownNow();
        long deadline = System.nanoTime() + config.stopGrace().toNanos();
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // still alive: killed below
                }
            }
        }
        int forced = 0;
        for (ProcessHandle p : all) {
            if (p.isAlive()) {
                p.destroyForcibly();
                forced++;
            }
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.atWarn().addKeyValue("pid", p.pid()).log("a process did not exit after SIGKILL");
            }
        }
        synchronized (this) {
            stopping.clear();
            if (ledger != null) {
                try {
                    ledger.record(List.of());
                } catch (UncheckedIOException e) {
                    log.atWarn().setCause(e).log("cannot clear the process ledger");
                }
            }
        }
        probes.close();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
        log.atInfo().addKeyValue("processes", all.size()).addKeyValue("killed", forced).log("local compute platform stopped");
    }

    /** Target group health matchers: {@code 200}, {@code 200-299}, {@code 200,202,204-206}. */
    static final class HealthMatcher {
        private HealthMatcher() {}

        static boolean matches(String matcher, int status) {
            for (String part : (matcher == null || matcher.isBlank() ? "200" : matcher).split(",")) {
                String p = part.strip();
                int dash = p.indexOf('-');
                try {
                    if (dash < 0 ? Integer.parseInt(p) == status
                            : status >= Integer.parseInt(p.substring(0, dash).strip()) && status <= Integer.parseInt(p.substring(dash + 1).strip())) {
                        return true;
                    }
                } catch (NumberFormatException e) {
                    // a malformed matcher part matches nothing
                }
            }
            return false;
        }
    }
}
