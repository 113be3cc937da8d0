/**
 * The planner's output vocabulary: one record per mutation a provider can carry out, plus
 * {@link dev.skewless.plan.action.Action.Wait} and the status writes. A plan is an ordered list of
 * these; the engine executes them in order and stops at the first failure.
 */
package dev.skewless.plan.action;
