package dev.skewless.cli.dev;

import dev.skewless.api.ControllerServer;
import dev.skewless.api.ServerOptions;
import dev.skewless.cli.ManifestApplier;
import dev.skewless.engine.EngineConfig;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.platform.local.LocalComputePlatform;
import dev.skewless.platform.local.LocalPlatformConfig;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.router.local.LocalRouterConfig;
import dev.skewless.router.local.LocalTrafficRouter;
import dev.skewless.service.ControllerRuntime;
import dev.skewless.store.embedded.EmbeddedLeaderLease;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code ./skewless dev} runs, in one process: the production controller (same records,
 * planner, routing table and engine) on an embedded store, with local processes in place of ECS
 * tasks and an in-process router in place of the ALB, plus the status API behind the router at
 * {@code /_skewless/api/v1} and each version's web client built and served side by side.
 *
 * <p>State lives in one directory: {@code store/} (the records, and the lease that keeps a second
 * dev off them), {@code web/<version>/} (the web builds), {@code logs/} (each task's output, each
 * web build's output, and the pid file that lets the next run stop leftovers of a run killed -9).
 */
public final class DevRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DevRuntime.class);

    /**
     * How to run.
     *
     * @param repoRoot   where commands of {@code spec.local} run (the repository)
     * @param stateDir   the state directory (see the class comment)
     * @param port       the router's port (the URL people open); 0 picks a free one
     * @param apiPort    the status API's own port; 0 picks a free one
     * @param seedFiles  manifests applied when the store holds no App yet (the demo); empty for none
     * @param webApp     the App whose web client is served at {@code /}; null: the first App with a
     *                   {@code spec.local.webBuild}
     * @param poll       how often the controller looks again while something is in progress
     */
    public record Options(Path repoRoot, Path stateDir, int port, int apiPort, List<Path> seedFiles, String webApp,
            Duration poll) {
        public Options {
            Objects.requireNonNull(repoRoot, "repoRoot");
            Objects.requireNonNull(stateDir, "stateDir");
            seedFiles = List.copyOf(seedFiles);
            poll = poll == null ? Duration.ofSeconds(1) : poll;
        }
    }

    private final EmbeddedVersionStore store;
    private final LocalTrafficRouter router;
    private final LocalComputePlatform platform;
    private final ControllerServer.Running<ControllerRuntime> server;
    private final WebClientBuilds webBuilds;
    private final String webApp;
    private final List<String> seeded;
    private final Map<String, Set<String>> restoring;
    private volatile boolean closed;

    /** How long a restart holds application requests at most while restoring versions. */
    static final Duration RESTORE_LIMIT = Duration.ofMinutes(2);

    private DevRuntime(EmbeddedVersionStore store, LocalTrafficRouter router, LocalComputePlatform platform,
            ControllerServer.Running<ControllerRuntime> server, WebClientBuilds webBuilds, String webApp, List<String> seeded,
            Map<String, Set<String>> restoring) {
        this.store = store;
        this.router = router;
        this.platform = platform;
        this.server = server;
        this.webBuilds = webBuilds;
        this.webApp = webApp;
        this.seeded = seeded;
        this.restoring = restoring;
    }

    /**
     * Starts everything; returns once the router and the status API listen (versions come up in
     * the background: watch {@link #store()} or the API).
     *
     * @throws IllegalStateException when another dev runs on the same state directory
     */
    public static DevRuntime start(Options o) {
        Path storeDir = o.stateDir().resolve("store");
        Optional<ProcessHandle> other = EmbeddedLeaderLease.runningHolder(storeDir);
        if (other.isPresent() && other.get().pid() != ProcessHandle.current().pid()) {
            throw new IllegalStateException("another ./skewless dev (pid " + other.get().pid() + ") runs on " + o.stateDir()
                    + "; stop it first, or give this one its own --state-dir");
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(storeDir);
            EmbeddedVersionStore store = EmbeddedVersionStore.open(storeDir);
            opened.add(store);
            List<String> seeded = store.listApps().isEmpty() ? seed(store, o.seedFiles()) : List.of();
            String webApp = o.webApp() != null ? o.webApp() : store.listApps().stream()
                    .filter(a -> a.spec().local() != null && !a.spec().local().webBuild().isEmpty())
                    .map(App::name).findFirst().orElse(null);

            int apiPort = o.apiPort() != 0 ? o.apiPort() : freePort();
            Path webRoot = o.stateDir().resolve("web");
            Path logDir = o.stateDir().resolve("logs");
            Files.createDirectories(webRoot);
            LocalRouterConfig routerConfig = LocalRouterConfig.loopback().withPort(o.port())
                    .withStatusUpstream(URI.create("http://127.0.0.1:" + apiPort));
            if (webApp != null) {
                routerConfig = routerConfig.withWeb(webRoot, webApp);
            }
            Map<String, Set<String>> restoring = servingBefore(store);
            LocalTrafficRouter router = new LocalTrafficRouter(routerConfig, InstantSource.system());
            if (!restoring.isEmpty()) {
                router.holdTraffic("skewless dev restarted and is bringing back the versions that served before ("
                        + describe(restoring) + "); retry in a moment.");
            }
            router.start();
            opened.add(router);
            LocalComputePlatform platform = new LocalComputePlatform(LocalPlatformConfig.defaults(o.repoRoot(), logDir),
                    router::updateTargets);
            opened.add(platform);

            // The planner and engine of production; only the pace differs: a laptop has no API
            // rate limits, so look again every second while something is in progress.
            ControllerRuntime runtime = ControllerRuntime.builder()
                    .store(store)
                    .lease(new EmbeddedLeaderLease(storeDir), Duration.ofSeconds(1))
                    .compute(platform)
                    .router(router)
                    .plannerConfig(new PlannerConfig(OwnershipTags.DEFAULT_OWNER, PlannerConfig.DEFAULT.quotas(),
                            Duration.ofMinutes(5), o.poll()))
                    .engineConfig(EngineConfig.DEFAULT.withResyncPeriod(Duration.ofSeconds(10)))
                    .statusRefresh(Duration.ofSeconds(2))
                    .observer(new RoutingTableInstaller(router))
                    .version("dev")
                    // Closed in reverse: processes stop before the proxy, the proxy before the store.
                    .closing(store)
                    .closing(router)
                    .closing(platform)
                    .build();
            opened.clear(); // the runtime owns them now
            ControllerServer.Running<ControllerRuntime> server;
            try {
                server = ControllerServer.start(runtime, ServerOptions.DEFAULT.withPort(apiPort));
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
            WebClientBuilds builds = webApp == null ? null
                    : new WebClientBuilds(store, webApp, o.repoRoot(), webRoot, logDir).start();
            log.atInfo().addKeyValue("router", router.uri()).addKeyValue("api", server.uri()).addKeyValue("webApp", webApp)
                    .addKeyValue("stateDir", o.stateDir()).log("dev runtime started");
            DevRuntime dev = new DevRuntime(store, router, platform, server, builds, webApp, seeded, restoring);
            if (!restoring.isEmpty()) {
                Thread.ofVirtual().name("dev-restore").start(() -> dev.releaseWhenRestored(RESTORE_LIMIT));
            }
            return dev;
        } catch (IOException e) {
            closeAll(opened);
            throw new UncheckedIOException("cannot prepare " + o.stateDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * Versions whose records say they served (Ready, Live, Superseded) and are not being taken out:
     * a previous run routed to them, and this run's router and processes start empty.
     */
    private static Map<String, Set<String>> servingBefore(EmbeddedVersionStore store) {
        Map<String, Set<String>> serving = new TreeMap<>();
        for (App app : store.listApps()) {
            for (AppVersion v : store.listVersions(app.name())) {
                if (v.status().phase().routable() && !v.spec().revoked() && !v.metadata().deleting()) {
                    serving.computeIfAbsent(app.name(), a -> new TreeSet<>()).add(v.id());
                }
            }
        }
        return serving;
    }

    private static String describe(Map<String, Set<String>> versions) {
        StringJoiner all = new StringJoiner(", ");
        versions.forEach((app, ids) -> ids.forEach(id -> all.add(app + "/" + id)));
        return all.toString();
    }

    /**
     * Holds application requests until every version that served before the restart is routed
     * again (or is being taken out: it expired or was revoked meanwhile, or failed), at most
     * {@code limit}; then routes normally and names any version that did not come back.
     */
    private void releaseWhenRestored(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, Set<String>> waiting = new TreeMap<>();
        restoring.forEach((app, ids) -> waiting.put(app, new TreeSet<>(ids)));
        try {
            while (!closed && !waiting.isEmpty() && System.nanoTime() < deadline) {
                waiting.entrySet().removeIf(e -> {
                    String app = e.getKey();
                    List<String> routed = router.table(app).map(RoutingTable::routable).orElse(List.of());
                    e.getValue().removeIf(id -> routed.contains(id) || store.getVersion(new VersionKey(app, id))
                            .map(DevRuntime::takenOut).orElse(true));
                    return e.getValue().isEmpty();
                });
                if (!waiting.isEmpty()) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The store closed under us (shutdown) or failed: stop holding traffic either way.
            log.atDebug().log("restore watch ended: " + e);
        }
        if (!closed && !waiting.isEmpty()) {
            log.atWarn().addKeyValue("versions", describe(waiting)).addKeyValue("action", "ReleaseTraffic")
                    .log("versions that served before the restart are not routed after " + limit.toSeconds() + " s; routing anyway");
        }
        router.releaseTraffic();
    }

    /**
     * Whether a restored version is on its way out rather than back: its first pass after the
     * restart re-provisions it (Provisioning), but expiry or a revoke meanwhile drains it.
     */
    private static boolean takenOut(AppVersion v) {
        Phase phase = v.status().phase();
        return phase == Phase.Draining || phase == Phase.Retired || phase == Phase.Failed || v.spec().revoked();
    }

    /** Versions a restart is bringing back, by App (empty on a first start); requests wait for them. */
    public Map<String, Set<String>> restoring() {
        return restoring;
    }

    private static List<String> seed(EmbeddedVersionStore store, List<Path> files) throws IOException {
        if (files.isEmpty()) {
            return List.of();
        }
        Manifests all = Manifests.EMPTY;
        for (Path f : files) {
            all = all.plus(ManifestReader.read(f));
        }
        // The same validate-everything-then-write path as `skewless apply`.
        return new ManifestApplier(store).apply(all, false).lines();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                log.atDebug().log("closing after a failed start: " + e);
            }
        }
    }

    /** Where people point the browser. */
    public URI routerUri() {
        return router.uri();
    }

    /** The status API's own address (also reachable through the router at {@code /_skewless}). */
    public URI apiUri() {
        return server.uri();
    }

    /** The versions' processes now (for tools that call a backend directly, e.g. the skew benchmark). */
    public List<LocalComputePlatform.TaskView> tasks() {
        return platform.tasks();
    }

    /** The records. */
    public EmbeddedVersionStore store() {
        return store;
    }

    /** The App served at {@code /}, or null. */
    public String webApp() {
        return webApp;
    }

    /** What seeding applied (empty when the store already had records). */
    public List<String> seeded() {
        return seeded;
    }

    /** Whether a version's web client is built. */
    public boolean webBuilt(String version) {
        return webBuilds != null && webBuilds.built(version);
    }

    /** Blocks until the server is asked to stop. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Stops builds, the controller (releasing the lease), every version's processes, the router, the store. */
    @Override
    public void close() {
        closed = true;
        if (webBuilds != null) {
            webBuilds.close();
        }
        server.close();
    }

    /** For callers that need the socket address of the router. */
    public InetSocketAddress routerAddress() {
        return new InetSocketAddress(router.uri().getHost(), router.uri().getPort());
    }
}
