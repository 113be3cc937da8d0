package dev.skewless.cli;

import java.util.function.Supplier;

/** Turns a store's failures (SDK or API exceptions) into {@link CliFailure}s a person can act on. */
interface StoreFailures {
    /** Runs {@code call}, explaining the store's failures. */
    <T> T explained(Supplier<T> call);

    /** Runs {@code call}, explaining the store's failures. */
    default void run(Runnable call) {
        explained(() -> {
            call.run();
            return null;
        });
    }
}
