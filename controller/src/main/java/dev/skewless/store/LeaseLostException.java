package dev.skewless.store;

/**
 * A fenced write was refused because the writer no longer holds the leader lease (another replica
 * took it over, or it expired). The writer must stop acting until it acquires the lease again.
 */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String message) {
        super(message);
    }
}
