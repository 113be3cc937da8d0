/**
 * The planner: a pure function from desired records, observed cloud state and the clock to an
 * ordered list of {@link dev.skewless.plan.action.Action}s plus the statuses to write back. It
 * never does I/O; the engine executes what it returns and providers carry it out.
 */
package dev.skewless.plan;
