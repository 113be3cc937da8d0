package dev.skewless.cli.dev;

import dev.skewless.engine.PassResult;
import dev.skewless.engine.ReconcileObserver;
import dev.skewless.plan.Plan;
import dev.skewless.router.local.LocalTrafficRouter;
import java.time.Duration;
import java.util.Objects;

/**
 * Feeds the local router the routing table of each App's last pass that carried out every action:
 * the table the rules now in place implement. A failed pass may have left the rules unchanged, so
 * its table is not installed (decision 019); an App that is gone is forgotten.
 */
public final class RoutingTableInstaller implements ReconcileObserver {
    private final LocalTrafficRouter router;

    public RoutingTableInstaller(LocalTrafficRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    public void passFinished(String app, Duration took, PassResult result, Plan plan) {
        switch (result.outcome()) {
            case SUCCEEDED -> {
                if (plan != null && plan.routing() != null) {
                    router.install(app, plan.routing());
                }
            }
            case GONE -> router.forget(app);
            case FAILED, INVALID -> { }
        }
    }
}
