package dev.skewless.store.dynamodb;

import static dev.skewless.store.dynamodb.TableLayout.appOf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads the table's DynamoDB stream on one virtual thread: a shard iterator per open shard,
 * GetRecords on each every period, and the App of every record's key delivered. Shards found at
 * start are read from LATEST (history is the resync's job); shards that appear later (DynamoDB
 * splits and rotates shards about every four hours) are read from TRIM_HORIZON so nothing between
 * discovery rounds is lost. A closed shard is dropped once drained. An expired or trimmed
 * iterator is replaced by a LATEST one, with a warning: the periodic resync repairs the gap.
 */
final class StreamChangeFeed implements ChangeFeed {
    /** How often the shard list is re-read to find child shards. */
    private static final Duration DISCOVERY_PERIOD = Duration.ofSeconds(30);
    /** Wait after a failed round (throttling, network), on top of the period. */
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(2);

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final Duration period;
    private final Consumer<String> listener;
    /** shard id → next iterator; only the feed's thread touches it after start. */
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Set<String> known = new HashSet<>();
    private final Thread thread;
    private Instant lastDiscovery = Instant.now();
    private volatile boolean closed;

    private StreamChangeFeed(DynamoDbStreamsClient streams, String streamArn, Duration period, Consumer<String> listener) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.period = period;
        this.listener = listener;
        discover(ShardIteratorType.LATEST);
        this.thread = Thread.ofVirtual().name("skewless-stream-feed").unstarted(this::run);
    }

    static StreamChangeFeed start(DynamoDbStreamsClient streams, String streamArn, Duration period, Consumer<String> listener) {
        StreamChangeFeed feed = new StreamChangeFeed(streams, streamArn, period, listener);
        feed.thread.start();
        return feed;
    }

    private void run() {
        while (!closed) {
            try {
                if (Duration.between(lastDiscovery, Instant.now()).compareTo(DISCOVERY_PERIOD) >= 0 || iterators.isEmpty()) {
                    discover(ShardIteratorType.TRIM_HORIZON);
                }
                Set<String> changed = new LinkedHashSet<>();
                for (String shard : new ArrayList<>(iterators.keySet())) {
                    readShard(shard, changed);
                }
                ChangeFeed.deliver(changed, listener);
                if (!ChangeFeed.pause(period)) {
                    return;
                }
            } catch (RuntimeException e) { // SDK failures mostly; the feed thread must never die quietly
                if (closed) {
                    return;
                }
                ChangeFeed.log.atWarn().addKeyValue("stream", streamArn).addKeyValue("error", e.toString())
                        .log("reading the stream failed; retrying");
                if (!ChangeFeed.pause(FAILURE_PAUSE)) {
                    return;
                }
            }
        }
    }

    private void readShard(String shard, Set<String> changed) {
        GetRecordsResponse response;
        try {
            response = streams.getRecords(b -> b.shardIterator(iterators.get(shard)).limit(1000));
        } catch (ExpiredIteratorException | TrimmedDataAccessException e) {
            ChangeFeed.log.atWarn().addKeyValue("shard", shard).addKeyValue("error", e.getClass().getSimpleName())
                    .log("stream iterator lost; continuing from LATEST (the periodic resync covers the gap)");
            iterators.put(shard, iterator(shard, ShardIteratorType.LATEST));
            return;
        }
        for (Record record : response.records()) {
            if (record.dynamodb() != null && record.dynamodb().hasKeys()) {
                appOf(record.dynamodb().keys()).ifPresent(changed::add);
            }
        }
        if (response.nextShardIterator() == null) {
            iterators.remove(shard); // closed and drained: its children carry on
        } else {
            iterators.put(shard, response.nextShardIterator());
        }
    }

    /** Reads the shard list and opens iterators on shards not seen before. */
    private void discover(ShardIteratorType forNewShards) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from)).streamDescription();
            shards.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);
        for (Shard shard : shards) {
            if (known.add(shard.shardId())) {
                boolean open = shard.sequenceNumberRange() == null || shard.sequenceNumberRange().endingSequenceNumber() == null;
                // At start a closed shard holds only history; later, a new closed shard may still hold unread changes.
                if (open || forNewShards == ShardIteratorType.TRIM_HORIZON) {
                    iterators.put(shard.shardId(), iterator(shard.shardId(), forNewShards));
                }
            }
        }
        lastDiscovery = Instant.now();
    }

    private String iterator(String shard, ShardIteratorType type) {
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard).shardIteratorType(type)).shardIterator();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
