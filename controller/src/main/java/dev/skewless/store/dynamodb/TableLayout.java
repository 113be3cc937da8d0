package dev.skewless.store.dynamodb;

import dev.skewless.model.VersionKey;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single-table layout (see {@code docs/store.md}): key values and attribute names, in one
 * place so the store, the change feed, the lease and {@link TableSetup} agree.
 *
 * <pre>
 *   pk                 sk                  what
 *   APPS               APP#&lt;app&gt;           an App (all Apps in one partition: one strongly
 *                                          consistent Query lists them)
 *   APP#&lt;app&gt;          VERSION#&lt;id&gt;        an AppVersion (one Query per App lists its versions)
 *   LEASE              LEASE#&lt;name&gt;        a leader lease
 * </pre>
 */
final class TableLayout {
    static final String PK = "pk";
    static final String SK = "sk";

    static final String APPS_PARTITION = "APPS";
    static final String APP_PREFIX = "APP#";
    static final String VERSION_PREFIX = "VERSION#";
    static final String LEASE_PARTITION = "LEASE";
    static final String LEASE_PREFIX = "LEASE#";

    /** {@code App} or {@code AppVersion}. */
    static final String KIND = "kind";
    /** The App's name (on both kinds). */
    static final String APP = "app";
    /** The App name or the version id. */
    static final String NAME = "name";
    /** metadata.generation: bumped on every spec change, the optimistic-concurrency token. */
    static final String GENERATION = "generation";
    /** metadata.creationTimestamp, ISO-8601. */
    static final String CREATED = "createdAt";
    /** metadata.labels as a JSON object. */
    static final String LABELS = "labels";
    /** The spec as manifest JSON; written only by apply. */
    static final String SPEC = "spec";
    /** The status as manifest JSON; written only by status writes; absent until the first one. */
    static final String STATUS = "status";
    /** Bumped on every write of any kind; what the polling change feed compares. */
    static final String REVISION = "rev";
    /**
     * On App items: the creation time of the App's newest version, in epoch nanoseconds. Keeps
     * creation times strictly increasing within an App whatever the writers' clocks say.
     */
    static final String LAST_VERSION_CREATED = "lastVersionCreatedNanos";
    /** Epoch seconds at which DynamoDB's TTL deletes a Retired version. */
    static final String TTL = "expiresAtEpoch";

    /** Lease: who holds it. */
    static final String HOLDER = "holder";
    /** Lease: incremented on every acquisition. */
    static final String TOKEN = "fencingToken";
    /** Lease: epoch milliseconds after which it is free to take. */
    static final String EXPIRES_MILLIS = "expiresAtMillis";
    /** Lease: the holder's last renewal, ISO-8601 (for people). */
    static final String HEARTBEAT = "heartbeatAt";

    static final String KIND_APP = "App";
    static final String KIND_VERSION = "AppVersion";

    private TableLayout() {}

    static Map<String, AttributeValue> appKey(String app) {
        return Map.of(PK, s(APPS_PARTITION), SK, s(APP_PREFIX + app));
    }

    static String versionPartition(String app) {
        return APP_PREFIX + app;
    }

    static Map<String, AttributeValue> versionKey(VersionKey key) {
        return Map.of(PK, s(versionPartition(key.app())), SK, s(VERSION_PREFIX + key.version()));
    }

    static Map<String, AttributeValue> leaseKey(String name) {
        return Map.of(PK, s(LEASE_PARTITION), SK, s(LEASE_PREFIX + name));
    }

    /**
     * The App an item belongs to, from its key alone (what stream records carry); empty for the
     * lease and anything unknown.
     */
    static Optional<String> appOf(Map<String, AttributeValue> key) {
        AttributeValue pk = key.get(PK);
        AttributeValue sk = key.get(SK);
        if (pk == null || sk == null || pk.s() == null || sk.s() == null) {
            return Optional.empty();
        }
        if (pk.s().equals(APPS_PARTITION) && sk.s().startsWith(APP_PREFIX)) {
            return Optional.of(sk.s().substring(APP_PREFIX.length()));
        }
        if (pk.s().startsWith(APP_PREFIX) && sk.s().startsWith(VERSION_PREFIX)) {
            return Optional.of(pk.s().substring(APP_PREFIX.length()));
        }
        return Optional.empty();
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
