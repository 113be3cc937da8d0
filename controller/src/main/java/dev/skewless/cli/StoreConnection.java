package dev.skewless.cli;

import dev.skewless.store.VersionStore;
import java.util.List;
import java.util.Objects;

/**
 * An open store for one command: the records, a description for messages ("DynamoDB table
 * skewless at http://127.0.0.1:5000"), what {@code skewless init} does for it, and what to close.
 *
 * @param store       the records, with failures already explained for people
 * @param description where the records live, for messages
 * @param initialiser creates or completes the store; returns one line per thing it did or found
 * @param resources   closed after the command
 */
public record StoreConnection(VersionStore store, String description, Initialiser initialiser, AutoCloseable resources)
        implements AutoCloseable {

    /** Sets a store up (idempotent). */
    @FunctionalInterface
    public interface Initialiser {
        /** Creates what is missing and says what it did, one line each. */
        List<String> initialise();
    }

    public StoreConnection {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(initialiser, "initialiser");
        Objects.requireNonNull(resources, "resources");
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            // Closing HTTP clients after the command's work is done: nothing useful to report.
        }
    }
}
