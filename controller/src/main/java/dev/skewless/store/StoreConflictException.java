package dev.skewless.store;

/** A write lost a race (generation mismatch) or addressed a record that does not exist. */
public class StoreConflictException extends RuntimeException {
    public StoreConflictException(String message) {
        super(message);
    }
}
