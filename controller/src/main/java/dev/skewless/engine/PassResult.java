package dev.skewless.engine;

import dev.skewless.plan.Plan;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How one pass for one App went.
 *
 * @param outcome         succeeded, failed (retry with backoff), invalid (retry at the resync) or gone
 *                        (the App was deleted)
 * @param requeueAfter    on success, when to look again even if nothing changes; null for "at the
 *                        next resync"
 * @param error           on failure, a one-line summary; else null
 * @param actionsExecuted cloud actions carried out successfully in this pass
 * @param statusWrites    status records written in this pass (unchanged ones are skipped)
 * @param teardown        what the pass's plan says about records being deleted ({@link Plan.Teardown});
 *                        {@link Plan.Teardown#NONE} when the pass ended before planning or stopped
 *                        because this replica may no longer act, and always in controller mode
 */
public record PassResult(Outcome outcome, Duration requeueAfter, String error, int actionsExecuted, int statusWrites,
        Plan.Teardown teardown) {

    /** The three ways a pass ends. */
    public enum Outcome {
        /** Everything planned was done; requeue after {@link #requeueAfter()} if set. */
        SUCCEEDED,
        /** Something failed; the engine retries with per-key backoff. */
        FAILED,
        /**
         * A resource the App's spec names is missing or unusable ({@link InvalidReference}):
         * retrying will not help, so the engine looks again at the next resync or when a record
         * changes, never sooner.
         */
        INVALID,
        /** The App no longer exists; the engine forgets the key. */
        GONE
    }

    public PassResult {
        Objects.requireNonNull(outcome, "outcome");
        teardown = teardown == null ? Plan.Teardown.NONE : teardown;
    }

    /** A result with nothing to report about deleted records. */
    public PassResult(Outcome outcome, Duration requeueAfter, String error, int actionsExecuted, int statusWrites) {
        this(outcome, requeueAfter, error, actionsExecuted, statusWrites, Plan.Teardown.NONE);
    }

    /** Copy carrying {@code plan}'s teardown. */
    public PassResult withTeardown(Plan.Teardown newTeardown) {
        return new PassResult(outcome, requeueAfter, error, actionsExecuted, statusWrites, newTeardown);
    }

    /**
     * Whether the App is being deleted and none of its AWS resources is left, as this pass's plan
     * found ({@link Plan#teardownComplete()}): the operator may now remove the App's finalizer.
     */
    public boolean teardownComplete() {
        return teardown.appComplete();
    }

    /**
     * Ids of versions being deleted whose AWS resources are all gone ({@link Plan#versionsTornDown()}):
     * the operator may now remove their finalizers.
     */
    public Set<String> versionsTornDown() {
        return teardown.versionsTornDown();
    }

    /** A successful pass. */
    public static PassResult succeeded(Duration requeueAfter, int actionsExecuted, int statusWrites) {
        return new PassResult(Outcome.SUCCEEDED, requeueAfter, null, actionsExecuted, statusWrites);
    }

    /** A successful pass that did nothing and asks for no early requeue. */
    public static PassResult succeeded() {
        return succeeded(null, 0, 0);
    }

    /** A failed pass. */
    public static PassResult failed(String error, int actionsExecuted, int statusWrites) {
        return new PassResult(Outcome.FAILED, null, Objects.requireNonNull(error, "error"), actionsExecuted, statusWrites);
    }

    /** A pass that found a reference of the App's spec missing or unusable. */
    public static PassResult invalid(String error, int actionsExecuted, int statusWrites) {
        return new PassResult(Outcome.INVALID, null, Objects.requireNonNull(error, "error"), actionsExecuted, statusWrites);
    }

    /** The App is gone. */
    public static PassResult gone() {
        return new PassResult(Outcome.GONE, null, null, 0, 0);
    }
}
