package dev.skewless.store.dynamodb;

import dev.skewless.store.VersionStore;
import dev.skewless.store.VersionStoreContract;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The store contract against a real moto_server, watching through DynamoDB Streams. */
class DynamoVersionStoreTest extends VersionStoreContract {
    private final DynamoDbClient ddb = MotoDynamo.dynamoDb();
    private final DynamoDbStreamsClient streams = MotoDynamo.streams();

    @Override
    protected VersionStore newStore(InstantSource clock) {
        MotoDynamo.freshTable(ddb);
        return new DynamoVersionStore(ddb, streams, DynamoStoreConfig.of(MotoDynamo.TABLE)
                .withFeed(DynamoStoreConfig.FeedMode.STREAMS, Duration.ofMillis(50)), clock);
    }

    @AfterEach
    void closeClients() {
        ddb.close();
        streams.close();
    }
}
