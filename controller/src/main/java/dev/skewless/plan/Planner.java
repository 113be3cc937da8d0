package dev.skewless.plan;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.plan.observed.ObservedState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The planner: {@code (App, its versions, observed cloud state, now) → Plan}. Pure and
 * deterministic; it never does I/O, so every lifecycle rule of the brief is testable without AWS.
 *
 * <p>Each call is a complete, level-triggered decision: it re-derives everything from the records
 * and what was observed, so a pass that crashed half-way is repaired by the next one. The rules it
 * keeps, in the order a pass applies them:
 * <ol>
 *   <li>classify every version (routable, provisioning, pending, failed, draining, retired);</li>
 *   <li>resolve live and canary ({@code release.live} may be {@code latest}); only healthy
 *       versions become routable or live;</li>
 *   <li>retention: {@code supersededAt + window} within [min, max], idle expiry, and
 *       {@code maxVersions} / ALB quotas as admission control with a Capacity condition;</li>
 *   <li>per version, target group → task definition → service → wait healthy; removal as rules →
 *       deregistration delay → scale to 0 → delete service → delete target group;</li>
 *   <li>rules rendered from the routing table, with stable priorities inside the App's range, new
 *       rules created before old ones are deleted, never touching a rule we do not own;</li>
 *   <li>status and conditions for every record.</li>
 * </ol>
 */
public final class Planner {
    private final PlannerConfig config;

    public Planner(PlannerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The settings this planner uses. */
    public PlannerConfig config() {
        return config;
    }

    /**
     * Plans one pass for {@code app}.
     *
     * @param app      the App record (with status)
     * @param versions all of its AppVersion records (with status), any order
     * @param observed what the providers saw this pass
     * @param now      the clock, read once by the caller
     */
    public Plan plan(App app, List<AppVersion> versions, ObservedState observed, Instant now) {
        List<AppVersion> ordered = versions.stream()
                .filter(v -> v.app().equals(app.name()))
                .sorted(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp(),
                                Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(AppVersion::id))
                .toList();
        return new PlannerPass(config, app, ordered, observed, now).run();
    }
}
