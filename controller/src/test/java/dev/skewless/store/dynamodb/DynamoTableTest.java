package dev.skewless.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.SampleRecords;
import dev.skewless.testing.TestingClock;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Table setup, item layout, TTL and the polling feed, against moto. */
class DynamoTableTest {
    private final DynamoDbClient ddb = MotoDynamo.dynamoDb();
    private final TestingClock clock = new TestingClock();

    @BeforeEach
    void emptyAccount() {
        MotoServer.shared().reset();
    }

    @AfterEach
    void closeClient() {
        ddb.close();
    }

    @Test
    void tableSetupCreatesStreamsAndTtlAndIsIdempotent() {
        TableSetup.Result first = TableSetup.create(ddb, "skewless");
        TableSetup.Result second = TableSetup.create(ddb, "skewless");
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.streamArn()).isEqualTo(first.streamArn()).isNotBlank();

        TableDescription table = ddb.describeTable(b -> b.tableName("skewless")).table();
        assertThat(table.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.streamSpecification().streamEnabled()).isTrue();
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(table.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "sk");
        var ttl = ddb.describeTimeToLive(b -> b.tableName("skewless")).timeToLiveDescription();
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(ttl.attributeName()).isEqualTo("expiresAtEpoch");
    }

    @Test
    void tableSetupCompletesATableWithoutStreamOrTtl() {
        ddb.createTable(b -> b.tableName("skewless").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
        TableSetup.Result result = TableSetup.create(ddb, "skewless");
        assertThat(result.created()).isFalse();
        assertThat(result.streamArn()).isNotBlank();
        assertThat(ddb.describeTimeToLive(b -> b.tableName("skewless")).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.ENABLED);
    }

    @Test
    void specAndStatusAreSeparateAttributesOfOneItem() {
        DynamoVersionStore store = store(DynamoStoreConfig.of("skewless"));
        store.applyApp(SampleRecords.app("shop"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        store.writeVersionStatus(new VersionKey("shop", "v1"), AppVersionStatus.PENDING.toBuilder().phase(Phase.Ready).build());

        Map<String, AttributeValue> app = item("APPS", "APP#shop");
        Map<String, AttributeValue> version = item("APP#shop", "VERSION#v1");
        assertThat(app).containsKeys("spec", "labels", "generation", "createdAt", "rev").doesNotContainKey("status");
        assertThat(version.get("spec").s()).contains("\"image\":\"repo/api:1\"").doesNotContain("phase");
        assertThat(version.get("status").s()).contains("\"phase\":\"Ready\"").doesNotContain("image");
        assertThat(version.get("generation").n()).isEqualTo("1");
        assertThat(version.get("rev").n()).isEqualTo("2"); // created, then one status write
    }

    @Test
    void retiredVersionsGetATtlOnceAndOthersNone() {
        DynamoVersionStore store = store(DynamoStoreConfig.of("skewless").withRetiredTtl(Duration.ofDays(3)));
        store.applyApp(SampleRecords.app("shop"));
        store.applyVersion(SampleRecords.version("shop", "v1"));
        VersionKey v1 = new VersionKey("shop", "v1");

        store.writeVersionStatus(v1, AppVersionStatus.PENDING.toBuilder().phase(Phase.Draining).build());
        assertThat(item("APP#shop", "VERSION#v1")).doesNotContainKey("expiresAtEpoch");

        store.writeVersionStatus(v1, AppVersionStatus.PENDING.toBuilder().phase(Phase.Retired).build());
        long expected = clock.instant().plus(Duration.ofDays(3)).getEpochSecond();
        assertThat(item("APP#shop", "VERSION#v1").get("expiresAtEpoch").n()).isEqualTo(Long.toString(expected));

        // A later Retired write (e.g. a new reconcile time) does not push the deletion back.
        clock.advance(Duration.ofHours(5));
        store.writeVersionStatus(v1, AppVersionStatus.PENDING.toBuilder().phase(Phase.Retired).message("gone").build());
        assertThat(item("APP#shop", "VERSION#v1").get("expiresAtEpoch").n()).isEqualTo(Long.toString(expected));
        assertThat(store.getVersion(v1).orElseThrow().status().message()).isEqualTo("gone");
    }

    @Test
    void pollingFeedDeliversChangesWithoutStreams() throws Exception {
        DynamoVersionStore store = store(DynamoStoreConfig.of("skewless").withFeed(DynamoStoreConfig.FeedMode.POLLING,
                Duration.ofMillis(50)));
        store.applyApp(SampleRecords.app("quiet"));
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        try (AutoCloseable watch = store.watch(seen::add)) {
            store.applyApp(SampleRecords.app("shop"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("shop"));
            store.applyVersion(SampleRecords.version("shop", "v1"));
            store.writeVersionStatus(new VersionKey("shop", "v1"), AppVersionStatus.PENDING.toBuilder().phase(Phase.Ready).build());
            ddb.deleteItem(b -> b.tableName("skewless").key(Map.of("pk", AttributeValue.fromS("APPS"),
                    "sk", AttributeValue.fromS("APP#quiet"))));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("quiet"));
            assertThat(seen).containsOnly("shop", "quiet");
        }
    }

    @Test
    void autoFeedFallsBackToPollingWhenTheTableHasNoStream() throws Exception {
        ddb.createTable(b -> b.tableName("plain").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
        try (var streams = MotoDynamo.streams()) {
            DynamoVersionStore store = new DynamoVersionStore(ddb, streams,
                    DynamoStoreConfig.of("plain").withFeed(DynamoStoreConfig.FeedMode.AUTO, Duration.ofMillis(50)), clock);
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            try (AutoCloseable watch = store.watch(seen::add)) {
                assertThat(watch).isInstanceOf(PollingChangeFeed.class);
                store.applyApp(SampleRecords.app("shop"));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("shop"));
            }
        }
    }

    @Test
    void aWriterWithASlowClockStillCreatesTheNewestVersion() {
        DynamoVersionStore accurate = store(DynamoStoreConfig.of("skewless"));
        TestingClock slowLaptop = new TestingClock(clock.instant().minus(Duration.ofMinutes(5)));
        DynamoVersionStore skewed = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of("skewless"), slowLaptop);
        accurate.applyApp(SampleRecords.app("shop"));
        accurate.applyVersion(SampleRecords.version("shop", "v1"));
        skewed.applyVersion(SampleRecords.version("shop", "v2"));
        assertThat(accurate.listVersions("shop")).extracting(v -> v.id()).containsExactly("v1", "v2");
        assertThat(skewed.getVersion(new VersionKey("shop", "v2")).orElseThrow().metadata().creationTimestamp())
                .isEqualTo(clock.instant().plusNanos(1));
        // The App's own spec and status are untouched by version bookkeeping.
        assertThat(accurate.getApp("shop").orElseThrow().metadata().generation()).isEqualTo(1);
    }

    @Test
    void autoFeedFallsBackToPollingWhenTheStreamCannotBeRead() throws Exception {
        TableSetup.create(ddb, "skewless");
        try (var deadStreams = DynamoDbStreamsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:1")).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build()) {
            DynamoVersionStore store = new DynamoVersionStore(ddb, deadStreams,
                    DynamoStoreConfig.of("skewless").withFeed(DynamoStoreConfig.FeedMode.AUTO, Duration.ofMillis(50)), clock);
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            try (AutoCloseable watch = store.watch(seen::add)) {
                assertThat(watch).isInstanceOf(PollingChangeFeed.class);
                store.applyApp(SampleRecords.app("shop"));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("shop"));
            }
        }
    }

    @Test
    void configReadsTheTableNameFromTheEnvironment() {
        assertThat(DynamoStoreConfig.fromEnvironment(Map.of()).tableName()).isEqualTo("skewless");
        assertThat(DynamoStoreConfig.fromEnvironment(Map.of("SKEWLESS_TABLE", "prod-skewless")).tableName()).isEqualTo("prod-skewless");
        assertThat(DynamoStoreConfig.fromEnvironment(Map.of("SKEWLESS_TABLE", " ")).tableName()).isEqualTo("skewless");
        assertThat(DynamoStoreConfig.of("t").retiredTtl()).isEqualTo(Duration.ofDays(7));
    }

    private DynamoVersionStore store(DynamoStoreConfig config) {
        TableSetup.create(ddb, config.tableName());
        return new DynamoVersionStore(ddb, null, config, clock);
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        return ddb.getItem(b -> b.tableName("skewless").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }
}
