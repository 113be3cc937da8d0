package dev.skewless.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The DynamoDB Streams change feed against moto. */
class StreamChangeFeedTest {
    private final DynamoDbClient ddb = MotoDynamo.dynamoDb();
    private final DynamoDbStreamsClient streams = MotoDynamo.streams();
    private final TestingClock clock = new TestingClock();
    private DynamoVersionStore store;

    @BeforeEach
    void freshTable() {
        MotoDynamo.freshTable(ddb);
        store = new DynamoVersionStore(ddb, streams, DynamoStoreConfig.of(MotoDynamo.TABLE)
                .withFeed(DynamoStoreConfig.FeedMode.STREAMS, Duration.ofMillis(50)), clock);
    }

    @AfterEach
    void closeClients() {
        ddb.close();
        streams.close();
    }

    @Test
    void deliversAppsOfRecordChangesButNotLeaseHeartbeats() throws Exception {
        store.applyApp(SampleRecords.app("old")); // before the watch: not delivered
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        try (AutoCloseable watch = store.watch(seen::add)) {
            assertThat(watch).isInstanceOf(StreamChangeFeed.class);
            store.applyApp(SampleRecords.app("shop"));
            store.applyVersion(SampleRecords.version("shop", "v1"));
            store.writeVersionStatus(new VersionKey("shop", "v1"), AppVersionStatus.PENDING.toBuilder().phase(Phase.Retired).build());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("shop"));
            assertThat(seen).containsOnly("shop"); // "old" changed before the watch started

            // A deletion (what TTL does to a Retired version) is a change too.
            seen.clear();
            ddb.deleteItem(b -> b.tableName(MotoDynamo.TABLE).key(TableLayout.versionKey(new VersionKey("shop", "v1"))));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("shop"));

            // Lease heartbeats write to the same table but concern no App.
            seen.clear();
            DynamoLeaderLease lease = new DynamoLeaderLease(ddb, MotoDynamo.TABLE, "a", LeaseConfig.DEFAULT, clock);
            assertThat(lease.tryAcquire()).isTrue();
            assertThat(lease.renew()).isTrue();
            Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(seen::isEmpty);
        }
    }

    @Test
    void streamsModeRefusesATableWithoutAStream() {
        MotoServer.shared().reset();
        ddb.createTable(b -> b.tableName("plain").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
        DynamoVersionStore plain = new DynamoVersionStore(ddb, streams, DynamoStoreConfig.of("plain")
                .withFeed(DynamoStoreConfig.FeedMode.STREAMS, Duration.ofMillis(50)), clock);
        assertThatThrownBy(() -> plain.watch(app -> {})).isInstanceOf(IllegalStateException.class).hasMessageContaining("no stream");
    }

    @Test
    void keysMapToTheirApp() {
        assertThat(TableLayout.appOf(TableLayout.appKey("shop"))).contains("shop");
        assertThat(TableLayout.appOf(TableLayout.versionKey(new VersionKey("shop", "1.10")))).contains("shop");
        assertThat(TableLayout.appOf(TableLayout.leaseKey("controller"))).isEmpty();
        assertThat(TableLayout.appOf(Map.of("pk", AttributeValue.fromS("OTHER")))).isEqualTo(Optional.empty());
    }
}
