/**
 * The reconcile engine: a de-duplicating, rate-limited {@link dev.skewless.engine.WorkQueue} of
 * App names, a bounded pool of virtual-thread workers ({@link dev.skewless.engine.ReconcileEngine})
 * that run one level-triggered pass per App ({@link dev.skewless.engine.AppReconciler}), and the
 * {@link dev.skewless.engine.ActionExecutor} that carries a plan's actions out through the ports.
 *
 * <p>Every pass re-reads the store and the cloud, so a pass that was abandoned half-way (crash,
 * shutdown, lost lease) is repaired by the next one.
 */
package dev.skewless.engine;
