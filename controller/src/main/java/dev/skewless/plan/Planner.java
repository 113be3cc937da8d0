package dev.skewless.plan;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.plan.observed.ObservedState;
import java.time.Instant;
import java.util.List;

/** The pure planner. (Being written.) */
public final class Planner {
    private final PlannerConfig config;

    public Planner(PlannerConfig config) {
        this.config = config;
    }

    /** Plans one pass for {@code app}. Pure: same inputs, same plan. */
    public Plan plan(App app, List<AppVersion> versions, ObservedState observed, Instant now) {
        throw new UnsupportedOperationException("not yet written: " + config);
    }
}
