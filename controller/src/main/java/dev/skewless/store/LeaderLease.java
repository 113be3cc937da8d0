package dev.skewless.store;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Leadership among controller replicas: at most one replica holds the lease at a time; every
 * acquisition gets a fencing token greater than any before it, and writes made on behalf of the
 * leader carry that token ({@link Fence}) so a replica that lost the lease cannot write.
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface LeaderLease extends AutoCloseable {

    /** Called when leadership changes; must return quickly. */
    interface Listener {
        /** This replica acquired the lease with {@code token}. */
        void acquired(long token);

        /** This replica no longer holds the lease: stop acting now. */
        void lost();
    }

    /** This replica's holder id (unique per process). */
    String holder();

    /**
     * Takes the lease if it is free, expired or already ours-but-expired (each such acquisition
     * increments the fencing token); renews it if we hold it.
     *
     * @return whether this replica holds the lease afterwards
     */
    boolean tryAcquire();

    /**
     * Extends the lease we hold.
     *
     * @return false when we do not hold it (any more); listeners are told
     */
    boolean renew();

    /**
     * Whether this replica may act as leader now. Turns false as soon as the local clock passes
     * the lease's expiry minus a safety margin, even before a renewal has failed, so a replica cut
     * off from the table stops acting before another one can take over.
     */
    boolean isHeld();

    /** The token of the current holding; empty while not held. */
    OptionalLong fencingToken();

    /** The fence to attach to writes made now; empty while not held. */
    Optional<Fence> fence();

    /** Registers a listener for acquisitions and losses. */
    void addListener(Listener listener);

    /** Gives the lease up if held (so a standby takes over without waiting for expiry). */
    @Override
    void close();
}
