package dev.skewless.store.dynamodb;

import static dev.skewless.store.dynamodb.TableLayout.*;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The fallback change feed: every period, one paginated Scan projecting only the keys and
 * {@code rev} (bumped by every write), compared with the previous scan; the Apps of items that
 * appeared, disappeared or changed revision are delivered. Its cost grows with the table (a scan
 * reads every item), which is why streams are preferred; a table of a few hundred small records
 * costs a few read units per poll.
 */
final class PollingChangeFeed implements ChangeFeed {
    private final DynamoDbClient ddb;
    private final String table;
    private final Duration period;
    private final Consumer<String> listener;
    private final Thread thread;
    private Map<String, Long> revisions;
    private volatile boolean closed;

    private PollingChangeFeed(DynamoDbClient ddb, String table, Duration period, Consumer<String> listener) {
        this.ddb = ddb;
        this.table = table;
        this.period = period;
        this.listener = listener;
        this.revisions = snapshot(); // the baseline: later changes are relative to it
        this.thread = Thread.ofVirtual().name("skewless-poll-feed-" + table).unstarted(this::run);
    }

    static PollingChangeFeed start(DynamoDbClient ddb, String table, Duration period, Consumer<String> listener) {
        PollingChangeFeed feed = new PollingChangeFeed(ddb, table, period, listener);
        feed.thread.start();
        return feed;
    }

    private void run() {
        while (!closed && ChangeFeed.pause(period)) {
            try {
                Map<String, Long> next = snapshot();
                Set<String> changed = new LinkedHashSet<>();
                next.forEach((item, rev) -> {
                    if (!rev.equals(revisions.get(item))) {
                        changed.add(appOfItem(item));
                    }
                });
                revisions.keySet().stream().filter(item -> !next.containsKey(item)).forEach(item -> changed.add(appOfItem(item)));
                revisions = next;
                ChangeFeed.deliver(changed, listener);
            } catch (RuntimeException e) { // SDK failures mostly; the feed thread must never die quietly
                if (closed) {
                    return;
                }
                ChangeFeed.log.atWarn().addKeyValue("table", table).addKeyValue("error", e.toString())
                        .log("polling for changes failed; retrying next period");
            }
        }
    }

    /** item key ("pk\u0000sk") → revision, for App and version items only. */
    private Map<String, Long> snapshot() {
        Map<String, Long> out = new HashMap<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)
                        .projectionExpression("#pk, #sk, #rev")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#rev", REVISION)))
                .items().forEach(item -> {
                    if (appOf(item).isPresent()) {
                        AttributeValue rev = item.get(REVISION);
                        out.put(item.get(PK).s() + '\u0000' + item.get(SK).s(), rev == null ? 0L : Long.parseLong(rev.n()));
                    }
                });
        return out;
    }

    private static String appOfItem(String item) {
        int cut = item.indexOf('\u0000');
        return appOf(Map.of(PK, s(item.substring(0, cut)), SK, s(item.substring(cut + 1)))).orElseThrow();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
