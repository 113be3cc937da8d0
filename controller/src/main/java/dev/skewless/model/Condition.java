package dev.skewless.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One ACK-style condition on a record's status.
 *
 * <p>Types used by the controller: {@link #SYNCED} (the last pass made AWS match the record),
 * {@link #TERMINAL} (the problem will not go away without a spec change), {@link #CAPACITY}
 * (room on the listener, the load balancer and under {@code maxVersions}), {@link #READY} and, on
 * an App, {@link #RELEASED}, {@link #SHADOWED} and, while it is being deleted, {@link #TORN_DOWN}.
 *
 * @param type               condition type
 * @param status             True, False or Unknown
 * @param reason             a short CamelCase reason, machine-readable
 * @param message            a sentence for people
 * @param lastTransitionTime when {@code status} last changed
 */
public record Condition(String type, ConditionStatus status, String reason, String message, Instant lastTransitionTime) {
    /** The last reconcile pass made AWS match this record. */
    public static final String SYNCED = "Synced";
    /** The record cannot progress until its spec changes. */
    public static final String TERMINAL = "Terminal";
    /** There is room for this version (priorities, ALB quotas, maxVersions). */
    public static final String CAPACITY = "Capacity";
    /** The version is routable (healthy, pin rules in place); while False, since when it has been trying. */
    public static final String READY = "Ready";
    /** On an App: the requested live version is the one serving unpinned traffic. */
    public static final String RELEASED = "Released";
    /**
     * On an App, present only while True: another App on the listener, evaluated first, takes
     * some or all of its requests (decision 032). Its rules are still kept in place.
     */
    public static final String SHADOWED = "Shadowed";
    /**
     * On an App being deleted (a Kubernetes record held by the operator's finalizer), present only
     * then: False while some of its AWS resources remain, True once none is left; its transition
     * time says since when nothing has been seen (decision 039).
     */
    public static final String TORN_DOWN = "TornDown";
    /**
     * Reason of {@code Synced=False} and {@code Terminal=True} on an App and its versions when AWS
     * says a resource the App's spec names is missing or unusable (decision 031). Unlike other
     * terminal reasons it does not fail a version: it ends when the reference is right again.
     */
    public static final String REASON_INVALID_REFERENCE = "InvalidReference";

    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
    }

    /** Whether status is True. */
    public boolean isTrue() {
        return status == ConditionStatus.True;
    }
}
