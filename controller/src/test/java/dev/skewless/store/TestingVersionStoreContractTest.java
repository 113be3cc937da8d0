package dev.skewless.store;

import dev.skewless.testing.TestingVersionStore;
import java.time.InstantSource;

/** The in-memory store the engine tests use keeps the same contract as the DynamoDB store. */
class TestingVersionStoreContractTest extends VersionStoreContract {
    @Override
    protected VersionStore newStore(InstantSource clock) {
        return new TestingVersionStore(clock);
    }
}
