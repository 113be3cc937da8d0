package dev.skewless.model;

import java.time.Instant;
import java.util.List;

/**
 * What the controller reports about an App as a whole.
 *
 * @param observedGeneration the App spec generation this status describes
 * @param liveVersion        the version serving unpinned traffic now; null when none is ready
 * @param canaryVersion      the canary actually receiving traffic; null when none
 * @param canaryWeight       its share of unpinned traffic in percent
 * @param conditions         ACK-style conditions (Synced, Capacity, ...)
 * @param lastReconcileTime  the pass that last changed this status (unchanged statuses are not
 *                           rewritten, so it can be days old on a healthy App)
 * @param message            a sentence for people
 */
public record AppStatus(
        long observedGeneration,
        String liveVersion,
        String canaryVersion,
        int canaryWeight,
        List<Condition> conditions,
        Instant lastReconcileTime,
        String message) {
    /** Before the controller has looked at the App. */
    public static final AppStatus EMPTY = new AppStatus(0, null, null, 0, List.of(), null, "");

    public AppStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        message = message == null ? "" : message;
    }
}
