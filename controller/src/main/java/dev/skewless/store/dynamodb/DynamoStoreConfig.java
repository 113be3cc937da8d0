package dev.skewless.store.dynamodb;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the DynamoDB store and lease.
 *
 * @param tableName       the single table holding Apps, AppVersions and the leader lease
 * @param retiredTtl      how long a Retired version's record is kept before DynamoDB's TTL
 *                        deletes it (its status stays readable for dashboards that long)
 * @param feed            how {@link DynamoVersionStore#watch} learns about changes
 * @param feedPollPeriod  how often the change feed asks DynamoDB (stream GetRecords per shard, or
 *                        the polling fallback's scan)
 */
public record DynamoStoreConfig(String tableName, Duration retiredTtl, FeedMode feed, Duration feedPollPeriod) {
    /** Environment variable naming the table. */
    public static final String TABLE_ENV = "SKEWLESS_TABLE";
    /** Table name when {@link #TABLE_ENV} is not set. */
    public static final String DEFAULT_TABLE = "skewless";
    /** Default time a Retired version stays in the table. */
    public static final Duration DEFAULT_RETIRED_TTL = Duration.ofDays(7);
    /** Default change-feed period: well inside the 5 GetRecords per shard per second DynamoDB allows. */
    public static final Duration DEFAULT_FEED_POLL = Duration.ofSeconds(1);

    /** Where changes come from. */
    public enum FeedMode {
        /** DynamoDB Streams when the table has a stream, else polling. */
        AUTO,
        /** DynamoDB Streams only (watch fails when the table has no stream). */
        STREAMS,
        /** A periodic scan of item revisions; for tables or emulators without streams. */
        POLLING
    }

    public DynamoStoreConfig {
        Objects.requireNonNull(tableName, "tableName");
        if (tableName.isBlank()) {
            throw new IllegalArgumentException("table name is blank");
        }
        retiredTtl = retiredTtl == null ? DEFAULT_RETIRED_TTL : retiredTtl;
        feed = feed == null ? FeedMode.AUTO : feed;
        feedPollPeriod = feedPollPeriod == null ? DEFAULT_FEED_POLL : feedPollPeriod;
        if (retiredTtl.isNegative() || feedPollPeriod.isNegative() || feedPollPeriod.isZero()) {
            throw new IllegalArgumentException("retiredTtl must be >= 0 and feedPollPeriod > 0");
        }
    }

    /** Defaults with the given table name. */
    public static DynamoStoreConfig of(String tableName) {
        return new DynamoStoreConfig(tableName, null, null, null);
    }

    /** Defaults, with the table name from {@code SKEWLESS_TABLE} (or {@code skewless}). */
    public static DynamoStoreConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Like {@link #fromEnvironment()}, reading the given variables (for tests). */
    public static DynamoStoreConfig fromEnvironment(Map<String, String> env) {
        String table = env.get(TABLE_ENV);
        return of(table == null || table.isBlank() ? DEFAULT_TABLE : table.strip());
    }

    /** Copy with another change-feed mode and period. */
    public DynamoStoreConfig withFeed(FeedMode mode, Duration period) {
        return new DynamoStoreConfig(tableName, retiredTtl, mode, period);
    }

    /** Copy with another retired-record TTL. */
    public DynamoStoreConfig withRetiredTtl(Duration ttl) {
        return new DynamoStoreConfig(tableName, ttl, feed, feedPollPeriod);
    }
}
