/**
 * What the providers saw in the cloud, in the shape the planner needs: listeners with all their
 * rules (foreign ones included, so the planner can avoid them), and the target groups, services
 * and task definitions carrying skewless ownership tags.
 */
package dev.skewless.plan.observed;
