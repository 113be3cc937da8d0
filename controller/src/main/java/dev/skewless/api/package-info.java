/**
 * The controller's HTTP side: {@link dev.skewless.api.ControllerServer} starts a Micronaut
 * (Netty) server around a {@link dev.skewless.service.Replica} (the controller or the operator), serving health
 * ({@code /health/liveness}, {@code /health/readiness}), Prometheus metrics ({@code /metrics})
 * and the read-only status API under {@code /api/v1} (documented by {@code /api/v1/openapi.yaml}).
 */
package dev.skewless.api;
