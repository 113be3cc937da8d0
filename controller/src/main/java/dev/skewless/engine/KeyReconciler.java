package dev.skewless.engine;

/**
 * One level-triggered pass for one key (an App name). Implementations re-read the world on every
 * call and never keep state between calls, so any pass may be abandoned and retried.
 */
@FunctionalInterface
public interface KeyReconciler {

    /** Reconciles {@code app} once and reports how it went. */
    PassResult reconcile(String app);
}
