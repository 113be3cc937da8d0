package dev.skewless.store.dynamodb;

import dev.skewless.store.VersionStore;
import dev.skewless.store.VersionStoreContract;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store contract against moto with the polling change feed (tables without a stream). */
class DynamoVersionStorePollingTest extends VersionStoreContract {
    private final DynamoDbClient ddb = MotoDynamo.dynamoDb();

    @Override
    protected VersionStore newStore(InstantSource clock) {
        MotoDynamo.freshTable(ddb);
        return new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(MotoDynamo.TABLE)
                .withFeed(DynamoStoreConfig.FeedMode.POLLING, Duration.ofMillis(50)), clock);
    }

    @AfterEach
    void closeClient() {
        ddb.close();
    }
}
