package dev.skewless.store.dynamodb;

import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Where {@link DynamoVersionStore#watch} learns of changes: the table's DynamoDB stream, or, when
 * there is none, periodic polling of item revisions. Either way it delivers App names,
 * at-least-once, possibly coalesced; the engine's periodic full resync covers anything a feed
 * misses (a trimmed stream, a poll during an outage).
 */
sealed interface ChangeFeed extends AutoCloseable permits StreamChangeFeed, PollingChangeFeed {
    Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    /** Stops the feed's thread; idempotent. */
    @Override
    void close();

    /**
     * Starts the feed the config asks for. Returns once the feed has its starting point, so every
     * change after this call is delivered.
     */
    static ChangeFeed start(DynamoDbClient ddb, DynamoDbStreamsClient streams, DynamoStoreConfig config, Consumer<String> listener) {
        String streamArn = switch (config.feed()) {
            case POLLING -> null;
            case AUTO -> streams == null ? null : streamArn(ddb, config.tableName());
            case STREAMS -> {
                if (streams == null) {
                    throw new IllegalStateException("change feed STREAMS needs a DynamoDB Streams client");
                }
                String arn = streamArn(ddb, config.tableName());
                if (arn == null) {
                    throw new IllegalStateException("table " + config.tableName() + " has no stream; run skewless init");
                }
                yield arn;
            }
        };
        if (streamArn != null) {
            log.atInfo().addKeyValue("table", config.tableName()).addKeyValue("stream", streamArn).log("watching the table's stream");
            try {
                return StreamChangeFeed.start(streams, streamArn, config.feedPollPeriod(), safe(listener));
            } catch (RuntimeException e) {
                if (config.feed() == DynamoStoreConfig.FeedMode.STREAMS) {
                    throw e;
                }
                // AUTO: an endpoint that lists a stream but cannot serve it (some emulators) still gets a feed.
                log.atWarn().addKeyValue("table", config.tableName()).addKeyValue("error", e.toString())
                        .log("cannot read the table's stream; falling back to polling");
            }
        }
        log.atInfo().addKeyValue("table", config.tableName()).addKeyValue("period", config.feedPollPeriod())
                .log("table has no stream (or polling was asked for): polling for changes");
        return PollingChangeFeed.start(ddb, config.tableName(), config.feedPollPeriod(), safe(listener));
    }

    private static String streamArn(DynamoDbClient ddb, String table) {
        TableDescription description = ddb.describeTable(b -> b.tableName(table)).table();
        StreamSpecification spec = description.streamSpecification();
        return spec != null && Boolean.TRUE.equals(spec.streamEnabled()) ? description.latestStreamArn() : null;
    }

    /** A listener that cannot kill the feed's thread. */
    private static Consumer<String> safe(Consumer<String> listener) {
        return app -> {
            try {
                listener.accept(app);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).addKeyValue("app", app).log("change listener failed");
            }
        };
    }

    /** Delivers each name of a batch once. */
    static void deliver(Set<String> apps, Consumer<String> listener) {
        apps.forEach(listener);
    }

    /** Sleeps, returning false when interrupted (the feed is closing). */
    static boolean pause(java.time.Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
