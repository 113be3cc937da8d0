package dev.skewless.cli;

import dev.skewless.aws.AwsReferenceCheck;
import dev.skewless.store.VersionStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An open store for one command: the records, a description for messages ("DynamoDB table
 * skewless at http://127.0.0.1:5000"), what {@code skewless init} does for it, and what to close.
 *
 * @param store       the records, with failures already explained for people
 * @param description where the records live, for messages
 * @param initialiser creates or completes the store; returns one line per thing it did or found
 * @param resources   closed after the command
 * @param references  makes the check of what an App names in AWS, in the account the store is in;
 *                    null when the store has no AWS account behind it (the dev store), whose
 *                    records name no real resource (decision 031)
 */
public record StoreConnection(VersionStore store, String description, Initialiser initialiser, AutoCloseable resources,
        Supplier<AwsReferenceCheck> references) implements AutoCloseable {

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

    /** A connection to a store with no AWS account behind it: nothing to check references against. */
    public StoreConnection(VersionStore store, String description, Initialiser initialiser, AutoCloseable resources) {
        this(store, description, initialiser, resources, null);
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
