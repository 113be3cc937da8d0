package dev.skewless.testing;

import dev.skewless.cli.dev.RoutingTableInstaller;
import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.EngineConfig;
import dev.skewless.engine.ReconcileEngine;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.platform.local.LocalComputePlatform;
import dev.skewless.platform.local.LocalPlatformConfig;
import dev.skewless.router.local.LocalRouterConfig;
import dev.skewless.router.local.LocalTrafficRouter;
import dev.skewless.store.FencedVersionStore;
import dev.skewless.store.embedded.EmbeddedLeaderLease;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/**
 * {@code ./skewless dev} minus the CLI: the unchanged planner and engine on the embedded store, the
 * local platform and the local router, composed exactly as the launcher should compose them.
 *
 * @param store    the records ({@code <dir>/store})
 * @param lease    held for the runtime's lifetime: a second runtime on the same directory cannot act
 * @param router   the proxy (its URI is what the browser opens)
 * @param platform the processes ({@code <dir>/logs})
 * @param engine   the reconcile loop
 */
public record LocalRuntime(EmbeddedVersionStore store, EmbeddedLeaderLease lease, LocalTrafficRouter router,
        LocalComputePlatform platform, ReconcileEngine engine) implements AutoCloseable {

    /**
     * Starts everything.
     *
     * @param dir        state: {@code store/} and {@code logs/} under it
     * @param workDir    where version processes run (the repository root for {@code ./skewless dev})
     * @param routerPort 0 for a free port
     * @param poll       how soon the planner looks again while something is in flight (1s suits a laptop)
     */
    public static LocalRuntime start(Path dir, Path workDir, LocalRouterConfig routerConfig, Duration poll) {
        EmbeddedVersionStore store = EmbeddedVersionStore.open(dir.resolve("store"));
        EmbeddedLeaderLease lease = new EmbeddedLeaderLease(dir.resolve("store"));
        if (!lease.tryAcquire()) {
            store.close();
            throw new IllegalStateException("another skewless dev is running on " + dir.resolve("store"));
        }
        LocalTrafficRouter router = new LocalTrafficRouter(routerConfig, InstantSource.system()).start();
        LocalComputePlatform platform = new LocalComputePlatform(
                LocalPlatformConfig.defaults(workDir, dir.resolve("logs")).withProbeInterval(Duration.ofMillis(200)),
                router::updateTargets);
        Planner planner = new Planner(new PlannerConfig(OwnershipTags.DEFAULT_OWNER, PlannerConfig.AlbQuotas.DEFAULT,
                Duration.ofMinutes(5), poll));
        EngineConfig engineConfig = EngineConfig.DEFAULT.withResyncPeriod(Duration.ofSeconds(10)).withShutdownGrace(Duration.ofSeconds(5));
        AppReconciler reconciler = new AppReconciler(new FencedVersionStore(store, lease), platform, router, planner::plan,
                InstantSource.system(), lease::isHeld, new RoutingTableInstaller(router));
        ReconcileEngine engine = new ReconcileEngine(store, reconciler, engineConfig);
        engine.start();
        return new LocalRuntime(store, lease, router, platform, engine);
    }

    /** Stops the engine first (no pass may start a process after), then processes, proxy, lease, store. */
    @Override
    public void close() {
        engine.close();
        platform.close();
        router.close();
        lease.close();
        store.close();
    }
}
