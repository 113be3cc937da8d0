package dev.skewless.store.dynamodb;

import static dev.skewless.store.dynamodb.TableLayout.PK;
import static dev.skewless.store.dynamodb.TableLayout.SK;
import static dev.skewless.store.dynamodb.TableLayout.TTL;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the skewless table, or brings an existing one up to what the store needs: on-demand
 * billing, a stream with new and old images (the change feed), and TTL on
 * {@code expiresAtEpoch} (Retired versions expire). Idempotent: this is what {@code skewless init}
 * runs, and running it twice changes nothing.
 */
public final class TableSetup {
    private static final Logger log = LoggerFactory.getLogger(TableSetup.class);

    /**
     * What the table looks like after setup.
     *
     * @param created   whether this call created the table
     * @param streamArn the table's latest stream
     * @param ttlOn     whether TTL is enabled (or being enabled) on {@code expiresAtEpoch}
     */
    public record Result(boolean created, String streamArn, boolean ttlOn) {}

    private TableSetup() {}

    /** Creates or completes the table and waits until it is ACTIVE. */
    public static Result create(DynamoDbClient client, String tableName) {
        boolean created;
        try {
            client.createTable(b -> b.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName(PK).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName(SK).attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName(PK).keyType(KeyType.HASH),
                            k -> k.attributeName(SK).keyType(KeyType.RANGE))
                    .streamSpecification(streams()));
            created = true;
            log.atInfo().addKeyValue("table", tableName).log("table created");
        } catch (ResourceInUseException e) {
            created = false;
            log.atInfo().addKeyValue("table", tableName).log("table exists, checking streams and TTL");
        }
        client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        TableDescription table = client.describeTable(b -> b.tableName(tableName)).table();
        if (table.streamSpecification() == null || !Boolean.TRUE.equals(table.streamSpecification().streamEnabled())) {
            client.updateTable(b -> b.tableName(tableName).streamSpecification(streams()));
            client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
            table = client.describeTable(b -> b.tableName(tableName)).table();
            log.atInfo().addKeyValue("table", tableName).log("stream enabled");
        }
        TimeToLiveStatus ttl = client.describeTimeToLive(b -> b.tableName(tableName)).timeToLiveDescription().timeToLiveStatus();
        if (ttl != TimeToLiveStatus.ENABLED && ttl != TimeToLiveStatus.ENABLING) {
            client.updateTimeToLive(b -> b.tableName(tableName)
                    .timeToLiveSpecification(t -> t.attributeName(TTL).enabled(true)));
            log.atInfo().addKeyValue("table", tableName).addKeyValue("attribute", TTL).log("TTL enabled");
        }
        return new Result(created, table.latestStreamArn(), true);
    }

    private static StreamSpecification streams() {
        return StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build();
    }
}
