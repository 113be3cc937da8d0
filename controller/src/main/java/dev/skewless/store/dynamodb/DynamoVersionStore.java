package dev.skewless.store.dynamodb;

import static dev.skewless.store.dynamodb.TableLayout.*;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Phase;
import dev.skewless.model.VersionKey;
import dev.skewless.store.Fence;
import dev.skewless.store.FenceableVersionStore;
import dev.skewless.store.LeaseLostException;
import dev.skewless.store.StoreConflictException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * {@link dev.skewless.store.VersionStore} on one DynamoDB table (layout in {@code docs/store.md}
 * and {@link TableLayout}).
 *
 * <ul>
 *   <li>Spec and status are separate attributes. Apply updates {@code spec}, {@code labels} and
 *       {@code generation}; a status write updates {@code status} only. Neither is a
 *       read-modify-write of the whole item, so they never overwrite each other.</li>
 *   <li>Optimistic concurrency: apply reads the item, and writes with the condition
 *       {@code generation = <what it read>}. A caller's non-zero expected generation that does
 *       not match is a {@link StoreConflictException}; with expected generation 0 (no opinion) a
 *       lost race is retried from a fresh read, so concurrent identical applies both succeed.</li>
 *   <li>Reads are strongly consistent (GetItem, Query on the base table).</li>
 *   <li>A Retired version's status write sets {@code expiresAtEpoch} (once) so DynamoDB's TTL
 *       deletes the record after {@link DynamoStoreConfig#retiredTtl()}.</li>
 *   <li>{@link #watch} reads the table's stream, or polls when there is none.</li>
 * </ul>
 */
public final class DynamoVersionStore implements FenceableVersionStore {
    private static final Logger log = LoggerFactory.getLogger(DynamoVersionStore.class);
    /** Retries of a lost create/update race when the caller expressed no expected generation. */
    private static final int RACE_ATTEMPTS = 5;
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private final DynamoDbClient ddb;
    private final DynamoDbStreamsClient streams;
    private final DynamoStoreConfig config;
    private final InstantSource clock;

    /**
     * @param ddb     the table's client
     * @param streams the stream client for {@link #watch}; null to always poll
     * @param config  table name, TTL, change feed
     * @param clock   creation times and TTL
     */
    public DynamoVersionStore(DynamoDbClient ddb, DynamoDbStreamsClient streams, DynamoStoreConfig config, InstantSource clock) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.streams = streams;
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The store's settings. */
    public DynamoStoreConfig config() {
        return config;
    }

    @Override
    public List<App> listApps() {
        return ddb.queryPaginator(b -> b.tableName(config.tableName()).consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(APPS_PARTITION))))
                .items().stream()
                .map(RecordCodec::app)
                .sorted(Comparator.comparing(App::name))
                .toList();
    }

    @Override
    public Optional<App> getApp(String name) {
        return get(appKey(name)).map(RecordCodec::app);
    }

    @Override
    public List<AppVersion> listVersions(String app) {
        return ddb.queryPaginator(b -> b.tableName(config.tableName()).consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                        .expressionAttributeValues(Map.of(":pk", s(versionPartition(app)), ":prefix", s(VERSION_PREFIX))))
                .items().stream()
                .map(RecordCodec::version)
                .sorted(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp()).thenComparing(AppVersion::id))
                .toList();
    }

    @Override
    public Optional<AppVersion> getVersion(VersionKey key) {
        return get(versionKey(key)).map(RecordCodec::version);
    }

    @Override
    public App applyApp(App app) {
        for (int attempt = 1; ; attempt++) {
            Optional<App> stored = applyAppOnce(app);
            if (stored.isPresent()) {
                return stored.get();
            }
            if (attempt >= RACE_ATTEMPTS) {
                throw new StoreConflictException("app " + app.name() + " kept changing during apply; try again");
            }
        }
    }

    @Override
    public AppVersion applyVersion(AppVersion version) {
        for (int attempt = 1; ; attempt++) {
            Optional<AppVersion> stored = applyVersionOnce(version);
            if (stored.isPresent()) {
                return stored.get();
            }
            if (attempt >= RACE_ATTEMPTS) {
                throw new StoreConflictException("version " + version.key() + " kept changing during apply; try again");
            }
        }
    }

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        writeStatus(appKey(app), "app " + app, RecordCodec.status(Objects.requireNonNull(status)), null, null);
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        writeStatus(versionKey(key), "version " + key, RecordCodec.status(Objects.requireNonNull(status)), status.phase(), null);
    }

    @Override
    public void writeAppStatus(String app, AppStatus status, Fence fence) {
        writeStatus(appKey(app), "app " + app, RecordCodec.status(Objects.requireNonNull(status)), null, Objects.requireNonNull(fence));
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status, Fence fence) {
        writeStatus(versionKey(key), "version " + key, RecordCodec.status(Objects.requireNonNull(status)), status.phase(),
                Objects.requireNonNull(fence));
    }

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        return ChangeFeed.start(ddb, streams, config, listener);
    }

    // ---------------------------------------------------------------- apply

    /** One attempt; empty when a race was lost and the caller had no expected generation. */
    private Optional<App> applyAppOnce(App app) {
        long expected = app.metadata().generation();
        RecordCodec.SpecParts parts = RecordCodec.specParts(app);
        Optional<Map<String, AttributeValue>> current = get(appKey(app.name()));
        if (current.isEmpty()) {
            if (expected != 0) {
                throw new StoreConflictException("app " + app.name() + " does not exist (expected generation " + expected + ")");
            }
            Map<String, AttributeValue> item = newItem(appKey(app.name()), KIND_APP, app.name(), app.name(), parts, clock.instant());
            return create(item, "app " + app.name()) ? Optional.of(RecordCodec.app(item)) : Optional.empty();
        }
        Map<String, AttributeValue> item = current.get();
        boolean specChanged = !RecordCodec.sameSpec(item, app);
        return update(item, parts, specChanged, expected, "app " + app.name()).map(RecordCodec::app);
    }

    private Optional<AppVersion> applyVersionOnce(AppVersion version) {
        long expected = version.metadata().generation();
        String what = "version " + version.key();
        RecordCodec.SpecParts parts = RecordCodec.specParts(version);
        Optional<Map<String, AttributeValue>> current = get(versionKey(version.key()));
        if (current.isPresent()) {
            Map<String, AttributeValue> item = current.get();
            boolean specChanged = !RecordCodec.sameSpec(item, version);
            return update(item, parts, specChanged, expected, what).map(RecordCodec::version);
        }
        if (expected != 0) {
            throw new StoreConflictException(what + " does not exist (expected generation " + expected + ")");
        }
        Optional<Map<String, AttributeValue>> appItem = get(appKey(version.app()));
        if (appItem.isEmpty()) {
            throw new StoreConflictException("app " + version.app() + " does not exist; apply the App first");
        }
        // "Newest version" must not depend on which laptop ran apply: a creation time is never
        // earlier than the App's previous one, whatever this writer's clock says.
        AttributeValue last = appItem.get().get(LAST_VERSION_CREATED);
        Instant created = clock.instant();
        if (last != null && nanos(created) <= Long.parseLong(last.n())) {
            created = instant(Long.parseLong(last.n()) + 1);
        }
        Map<String, AttributeValue> item = newItem(versionKey(version.key()), KIND_VERSION, version.app(), version.id(), parts, created);
        Map<String, String> names = Map.of("#pk", PK, "#last", LAST_VERSION_CREATED);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":created", n(nanos(created))));
        String appCondition;
        if (last == null) {
            appCondition = "attribute_exists(#pk) AND attribute_not_exists(#last)";
        } else {
            appCondition = "attribute_exists(#pk) AND #last = :last";
            values.put(":last", last);
        }
        // One transaction: the App exists, its newest creation time is still what was read, and
        // the version does not exist yet.
        String condition = appCondition;
        try {
            ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(u -> u.tableName(config.tableName()).key(appKey(version.app()))
                            .updateExpression("SET #last = :created").conditionExpression(condition)
                            .expressionAttributeNames(names).expressionAttributeValues(values)).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(config.tableName()).item(item)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))).build()));
            log.atInfo().addKeyValue("app", version.app()).addKeyValue("version", version.id()).addKeyValue("created", created)
                    .log("version created");
            return Optional.of(RecordCodec.version(item));
        } catch (TransactionCanceledException e) {
            if (get(appKey(version.app())).isEmpty()) {
                throw new StoreConflictException("app " + version.app() + " does not exist; apply the App first");
            }
            log.atDebug().addKeyValue("version", version.key()).addKeyValue("reasons", reasons(e)).log("lost a create race, retrying");
            return Optional.empty();
        }
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private Map<String, AttributeValue> newItem(Map<String, AttributeValue> key, String kind, String app, String name,
            RecordCodec.SpecParts parts, Instant created) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(KIND, s(kind));
        item.put(APP, s(app));
        item.put(NAME, s(name));
        item.put(GENERATION, n(1));
        item.put(CREATED, s(created.toString()));
        item.put(LABELS, s(parts.labels()));
        item.put(SPEC, s(parts.spec()));
        item.put(REVISION, n(1));
        return Map.copyOf(item);
    }

    private boolean create(Map<String, AttributeValue> item, String what) {
        try {
            ddb.putItem(b -> b.tableName(config.tableName()).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            log.atInfo().addKeyValue("record", what).log("record created");
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Writes spec and labels over {@code item} as read, conditional on its generation and labels
     * being unchanged. Returns the stored item; empty when a race was lost with no expectation.
     */
    private Optional<Map<String, AttributeValue>> update(Map<String, AttributeValue> item, RecordCodec.SpecParts parts,
            boolean specChanged, long expected, String what) {
        long generation = Long.parseLong(item.get(GENERATION).n());
        if (expected != 0 && expected != generation) {
            throw new StoreConflictException(what + " is at generation " + generation + ", not " + expected);
        }
        AttributeValue oldLabels = item.getOrDefault(LABELS, s("{}"));
        boolean labelsChanged = !oldLabels.s().equals(parts.labels());
        if (!specChanged && !labelsChanged) {
            return Optional.of(item); // idempotent apply: no write at all
        }
        long next = specChanged ? generation + 1 : generation;
        try {
            Map<String, AttributeValue> stored = ddb.updateItem(b -> b.tableName(config.tableName()).key(Map.of(PK, item.get(PK), SK, item.get(SK)))
                    .updateExpression("SET #spec = :spec, #labels = :labels, #gen = :next ADD #rev :one")
                    .conditionExpression("#gen = :gen AND #labels = :oldLabels")
                    .expressionAttributeNames(Map.of("#spec", SPEC, "#labels", LABELS, "#gen", GENERATION, "#rev", REVISION))
                    .expressionAttributeValues(Map.of(":spec", s(parts.spec()), ":labels", s(parts.labels()), ":next", n(next),
                            ":one", n(1), ":gen", n(generation), ":oldLabels", oldLabels))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            log.atInfo().addKeyValue("record", what).addKeyValue("generation", next).addKeyValue("specChanged", specChanged)
                    .log("record updated");
            return Optional.of(stored);
        } catch (ConditionalCheckFailedException e) {
            if (expected != 0) {
                throw new StoreConflictException(what + " changed since generation " + expected + " was read");
            }
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- status

    /**
     * Updates only the status attribute (and the TTL that follows from it), conditional on the
     * item existing, and, with a fence, atomically on the lease.
     */
    private void writeStatus(Map<String, AttributeValue> key, String what, String statusJson, Phase phase, Fence fence) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#status", STATUS, "#rev", REVISION));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1)));
        StringBuilder set = new StringBuilder();
        StringBuilder remove = new StringBuilder();
        if (statusJson == null) {
            remove.append("#status");
        } else {
            set.append("#status = :status");
            values.put(":status", s(statusJson));
        }
        if (phase != null) {
            names.put("#ttl", TTL);
            if (phase == Phase.Retired) {
                // if_not_exists: rewriting a Retired status must not push the deletion back.
                set.append(set.isEmpty() ? "" : ", ").append("#ttl = if_not_exists(#ttl, :ttl)");
                values.put(":ttl", n(clock.instant().plus(config.retiredTtl()).getEpochSecond()));
            } else {
                remove.append(remove.isEmpty() ? "" : ", ").append("#ttl");
            }
        }
        String expression = (set.isEmpty() ? "" : "SET " + set + " ") + (remove.isEmpty() ? "" : "REMOVE " + remove + " ") + "ADD #rev :one";
        if (fence == null) {
            try {
                ddb.updateItem(b -> b.tableName(config.tableName()).key(key).updateExpression(expression)
                        .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(names).expressionAttributeValues(values));
                return;
            } catch (ConditionalCheckFailedException e) {
                throw new StoreConflictException(what + " does not exist");
            }
        }
        Update update = Update.builder().tableName(config.tableName()).key(key).updateExpression(expression)
                .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(names).expressionAttributeValues(values).build();
        TransactWriteItem leaseCheck = TransactWriteItem.builder().conditionCheck(c -> c.tableName(config.tableName())
                .key(leaseKey(fence.lease()))
                .conditionExpression("#holder = :holder AND #token = :token AND #expires > :now")
                .expressionAttributeNames(Map.of("#holder", HOLDER, "#token", TOKEN, "#expires", EXPIRES_MILLIS))
                .expressionAttributeValues(Map.of(":holder", s(fence.holder()), ":token", n(fence.token()),
                        ":now", n(clock.instant().toEpochMilli())))).build();
        try {
            ddb.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().update(update).build(), leaseCheck));
        } catch (TransactionCanceledException e) {
            if (failed(e, 1)) {
                log.atWarn().addKeyValue("record", what).addKeyValue("holder", fence.holder()).addKeyValue("token", fence.token())
                        .log("fenced status write refused: lease lost");
                throw new LeaseLostException("lease " + fence.lease() + " is no longer held by " + fence.holder() + " with token "
                        + fence.token() + "; status of " + what + " not written");
            }
            if (failed(e, 0)) {
                throw new StoreConflictException(what + " does not exist");
            }
            throw new StoreConflictException("status write of " + what + " was cancelled (" + reasons(e) + "); try again");
        }
    }

    // ---------------------------------------------------------------- helpers

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        var response = ddb.getItem(b -> b.tableName(config.tableName()).key(key).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    private static boolean hasReasons(TransactionCanceledException e) {
        return e.hasCancellationReasons() && !e.cancellationReasons().isEmpty();
    }

    /** Whether the transaction's item {@code index} failed its condition. */
    private static boolean failed(TransactionCanceledException e, int index) {
        return hasReasons(e) && e.cancellationReasons().size() > index
                && CONDITION_FAILED.equals(e.cancellationReasons().get(index).code());
    }

    private static String reasons(TransactionCanceledException e) {
        return hasReasons(e) ? e.cancellationReasons().stream().map(CancellationReason::code).toList().toString() : e.getMessage();
    }
}
