/**
 * The planner's output vocabulary: one record per mutation a provider can carry out, plus
 * {@link dev.skewless.plan.action.Action.Wait} and the status writes. A plan is an ordered list of
 * these; the engine executes them in order; a failure skips the rest of that version's actions and
 * every app-wide action after it.
 */
package dev.skewless.plan.action;
