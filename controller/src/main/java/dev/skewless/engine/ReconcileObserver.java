package dev.skewless.engine;

import dev.skewless.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Who else hears about the engine's work: the status API's event history and stream, the
 * metrics, and in {@code ./skewless dev} the local router, which routes with the table of the
 * last pass. Called on the worker thread that did the work, so implementations must be quick,
 * thread-safe, and must not throw (an exception is logged and ignored).
 */
public interface ReconcileObserver {

    /** Hears nothing. */
    ReconcileObserver NONE = new ReconcileObserver() {};

    /** Tells each of {@code observers} everything, in order; one that throws does not stop the others. */
    static ReconcileObserver all(List<ReconcileObserver> observers) {
        return new FanOut(List.copyOf(observers));
    }

    /**
     * One decision the engine made or carried out, the same as its INFO/WARN/ERROR log line:
     * a cloud action done or failed, a status written, a pass stopped.
     */
    default void decided(Decision decision) {}

    /**
     * A pass over one App ended.
     *
     * @param plan null when the pass ended before planning (records unreadable, cloud not
     *             observed, not the leader, app gone)
     */
    default void passFinished(String app, Duration took, PassResult result, Plan plan) {}

    /**
     * One decision, as logged.
     *
     * @param time    when it was made
     * @param app     the App
     * @param version the version it concerns, or null for app-wide
     * @param action  what was done (an action's type, {@code WriteVersionStatus}, {@code Observe}...)
     * @param outcome {@code ok}, {@code failed}, {@code notLeader}...
     * @param message why, for a person
     * @param driftKind what drifted when the action repaired drift ({@code DriftRepair#kind()}), else null
     */
    record Decision(Instant time, String app, String version, String action, String outcome, String message, String driftKind) {
        /** A decision that repairs no drift. */
        public Decision(Instant time, String app, String version, String action, String outcome, String message) {
            this(time, app, version, action, outcome, message, null);
        }
    }

    /** Fans every callback out to each observer; a failure is logged and the next one still hears it. */
    record FanOut(List<ReconcileObserver> observers) implements ReconcileObserver {
        @Override
        public void decided(Decision decision) {
            for (ReconcileObserver o : observers) {
                try {
                    o.decided(decision);
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(ReconcileObserver.class).atWarn().setCause(e).log("a reconcile observer failed; ignored");
                }
            }
        }

        @Override
        public void passFinished(String app, Duration took, PassResult result, Plan plan) {
            for (ReconcileObserver o : observers) {
                try {
                    o.passFinished(app, took, result, plan);
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(ReconcileObserver.class).atWarn().setCause(e).log("a reconcile observer failed; ignored");
                }
            }
        }
    }
}
