/**
 * AWS plumbing shared by the AWS providers ({@code platform.ecs}, {@code router.alb}, and the
 * DynamoDB store): building SDK clients from the default credential and region chains (honouring
 * {@code AWS_ENDPOINT_URL}), a token bucket per API operation, the {@code skewless.aws.calls}
 * counter, and turning SDK failures into {@link dev.skewless.plan.action.ActionException}s.
 *
 * <p>May use {@code model} and {@code plan} only; every provider package may use it.
 */
package dev.skewless.aws;
