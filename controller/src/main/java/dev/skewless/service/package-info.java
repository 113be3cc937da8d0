/**
 * The controller's composition root: {@link dev.skewless.service.ControllerRuntime} wires a store,
 * a leader lease, a compute platform and a traffic router (AWS ones built from the environment by
 * {@link dev.skewless.service.AwsProviders}, or local ones handed in by {@code skewless dev}) into
 * a running reconcile engine, and owns what the status API and the metrics read: the event
 * history, the status feed and the meter registry.
 *
 * <p>It sits after the providers and before {@code api} and {@code cli}, which may import it.
 */
package dev.skewless.service;
