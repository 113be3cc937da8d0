package dev.skewless.store.dynamodb;

import dev.skewless.testing.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** DynamoDB clients on the shared moto_server, and a fresh table per test. */
final class MotoDynamo {
    static final String TABLE = "skewless-test";

    private MotoDynamo() {}

    /**
     * One connection, so moto serves this client's requests one at a time. Real DynamoDB runs
     * concurrent transactions atomically; moto's server does not always (two concurrent
     * conditional creates were seen both succeeding). Threads in a test still race through
     * read-then-write, which is the store logic under test; they just cannot race inside moto.
     */
    static DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials())
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(1))
                .build();
    }

    static DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials()).build();
    }

    /** Empties moto and creates the table as {@code skewless init} would. */
    static void freshTable(DynamoDbClient ddb) {
        MotoServer.shared().reset();
        TableSetup.create(ddb, TABLE);
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
    }
}
