package dev.skewless.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle phase of an AppVersion:
 * {@code Pending → Provisioning → Ready → Live → Superseded → Draining → Retired}, plus
 * {@code Failed} (terminal until the spec changes). Revoked versions go straight to Draining.
 */
public enum Phase {
    /** Recorded; not yet admitted (waiting for capacity) or not yet acted on. */
    Pending,
    /** Target group, task definition and service being created; waiting for healthy tasks. */
    Provisioning,
    /** Healthy, pin rules in place, not live: pinned requests reach it. */
    Ready,
    /** Serves unpinned traffic (and its pins). */
    Live,
    /** Was live or ready; a newer version is live; pins still reach it until it expires. */
    Superseded,
    /** Rules removed; waiting the deregistration delay, then scaling to zero and deleting. */
    Draining,
    /** All resources deleted. */
    Retired,
    /** Could not be provisioned; terminal until the spec changes. */
    Failed;

    /** Phases whose pinned requests are routed to the version. */
    public static final Set<Phase> ROUTABLE = EnumSet.of(Ready, Live, Superseded);

    /** Whether pinned requests reach a version in this phase. */
    public boolean routable() {
        return ROUTABLE.contains(this);
    }

    /** Whether the version is gone for good. */
    public boolean terminal() {
        return this == Retired;
    }
}
