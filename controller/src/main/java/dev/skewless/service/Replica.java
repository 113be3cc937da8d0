package dev.skewless.service;

import dev.skewless.store.VersionStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One running replica of skewless as its HTTP server sees it: readiness, meters, the records it
 * serves read-only, its own decisions and the status feed. {@link ControllerRuntime} (the
 * DynamoDB-backed controller and {@code skewless dev}) and the Kubernetes operator are replicas,
 * so health, readiness, {@code /metrics} and the status API are the same in both modes.
 */
public interface Replica extends AutoCloseable {

    /** Starts the replica (idempotent). */
    void start();

    /** Whether this replica is ready; must answer at once, without calling the store or AWS. */
    Readiness readiness();

    /** Every meter of this replica (Prometheus text via {@code scrape()}). */
    PrometheusMeterRegistry registry();

    /** Records as stored, for readers. */
    VersionStore records();

    /** Decisions of this replica, newest first. */
    EventHistory events();

    /** The store's status as last read, and its changes. */
    StatusFeed feed();

    /** The replica's version, for logs and the API. */
    String version();

    /** Stops gracefully (readiness false first, then the work, then resources); idempotent. */
    @Override
    void close();
}
