package dev.skewless.store.dynamodb;

import static dev.skewless.store.dynamodb.TableLayout.*;

import dev.skewless.store.Fence;
import dev.skewless.store.LeaderLease;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link LeaderLease} as one item of the skewless table ({@code pk=LEASE, sk=LEASE#<name>}) with
 * the holder, {@code expiresAtMillis}, {@code heartbeatAt} and a {@code fencingToken}.
 *
 * <ul>
 *   <li>Acquiring writes the item conditionally on what was read (absent, or the previous
 *       holder and token of an expired lease), so exactly one contender wins, and sets the token
 *       to the previous one plus one: tokens grow with every acquisition, by anyone.</li>
 *   <li>Renewing is conditional on holder and token being still ours.</li>
 *   <li>Locally the lease counts as held only until {@code renewal start + duration - margin}
 *       on this replica's clock: measured from before the request was sent, so never longer
 *       than the table grants.</li>
 *   <li>{@link #start()} runs the heartbeat on a virtual thread: renew while holding, try to
 *       acquire otherwise; losing the lease (renewal refused, or local validity lapsed) is
 *       reported to listeners within one heartbeat.</li>
 *   <li>{@link #tryAcquire()} and {@link #renew()} let DynamoDB failures (network, throttling)
 *       through; a holder that cannot reach the table keeps acting only until its local validity
 *       lapses, and a renewal that times out (a stalled table: give the client a call timeout of
 *       one heartbeat) ends the holding at once, since whether it landed is unknown.</li>
 * </ul>
 */
public final class DynamoLeaderLease implements LeaderLease {
    private static final String RELEASED = "released";
    private static final Logger log = LoggerFactory.getLogger(DynamoLeaderLease.class);

    /** What this replica holds: the token of its acquisition and until when it may act on it. */
    private record Holding(long token, Instant validUntil) {}

    private final DynamoDbClient ddb;
    private final String table;
    private final String holder;
    private final LeaseConfig config;
    private final InstantSource clock;
    private final AtomicReference<Holding> holding = new AtomicReference<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread heartbeat;
    private volatile boolean closed;

    /**
     * @param ddb    the table's client
     * @param table  the skewless table
     * @param holder this replica's id ({@link LeaseConfig#defaultHolder()})
     * @param config lease name and timings
     * @param clock  expiry arithmetic; the heartbeat's own pauses use real time
     */
    public DynamoLeaderLease(DynamoDbClient ddb, String table, String holder, LeaseConfig config, InstantSource clock) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public boolean tryAcquire() {
        if (isHeld()) {
            return renew();
        }
        dropIfLapsed();
        Instant start = clock.instant();
        long expiresAt = start.plus(config.duration()).toEpochMilli();
        Optional<Map<String, AttributeValue>> current = read();
        long next;
        try {
            if (current.isEmpty()) {
                next = 1;
                Map<String, AttributeValue> item = new HashMap<>(leaseKey(config.name()));
                item.put(HOLDER, s(holder));
                item.put(TOKEN, n(next));
                item.put(EXPIRES_MILLIS, n(expiresAt));
                item.put(HEARTBEAT, s(start.toString()));
                ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK)));
            } else {
                Map<String, AttributeValue> item = current.get();
                String owner = item.get(HOLDER).s();
                long token = Long.parseLong(item.get(TOKEN).n());
                long expiry = Long.parseLong(item.get(EXPIRES_MILLIS).n());
                if (expiry > start.toEpochMilli() && !owner.equals(holder)) {
                    return false; // held by someone else
                }
                next = token + 1;
                ddb.updateItem(b -> b.tableName(table).key(leaseKey(config.name()))
                        .updateExpression("SET #holder = :me, #token = :next, #expires = :expires, #heartbeat = :now")
                        .conditionExpression("#holder = :owner AND #token = :token")
                        .expressionAttributeNames(Map.of("#holder", HOLDER, "#token", TOKEN, "#expires", EXPIRES_MILLIS,
                                "#heartbeat", HEARTBEAT))
                        .expressionAttributeValues(Map.of(":me", s(holder), ":next", n(next), ":expires", n(expiresAt),
                                ":now", s(start.toString()), ":owner", s(owner), ":token", n(token))));
            }
        } catch (ConditionalCheckFailedException e) {
            return false; // another contender won the race
        }
        holding.set(new Holding(next, validUntil(start)));
        log.atInfo().addKeyValue("lease", config.name()).addKeyValue("holder", holder).addKeyValue("token", next)
                .log("lease acquired");
        listeners.forEach(l -> l.acquired(next));
        return true;
    }

    @Override
    public boolean renew() {
        Holding current = holding.get();
        if (current == null) {
            return false;
        }
        if (!clock.instant().isBefore(current.validUntil())) {
            lose(current, "lease lapsed locally before it was renewed");
            return false;
        }
        Instant start = clock.instant();
        try {
            ddb.updateItem(b -> b.tableName(table).key(leaseKey(config.name()))
                    .updateExpression("SET #expires = :expires, #heartbeat = :now")
                    .conditionExpression("#holder = :me AND #token = :token")
                    .expressionAttributeNames(Map.of("#holder", HOLDER, "#token", TOKEN, "#expires", EXPIRES_MILLIS,
                            "#heartbeat", HEARTBEAT))
                    .expressionAttributeValues(Map.of(":me", s(holder), ":token", n(current.token()),
                            ":expires", n(start.plus(config.duration()).toEpochMilli()), ":now", s(start.toString()))));
        } catch (ConditionalCheckFailedException e) {
            lose(current, "another replica holds the lease");
            return false;
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            // A stalled table: whether this renewal landed is unknown, so the lease is no longer
            // known to be held. Stop acting (and say so on readiness) now rather than when the
            // local validity lapses; the next heartbeat re-acquires it once the table answers.
            lose(current, "renewal timed out: the table did not answer");
            throw e;
        }
        // Only move forward: a concurrent loss must not be undone by a late success.
        holding.compareAndSet(current, new Holding(current.token(), validUntil(start)));
        return holding.get() != null;
    }

    @Override
    public boolean isHeld() {
        Holding current = holding.get();
        return current != null && clock.instant().isBefore(current.validUntil());
    }

    @Override
    public OptionalLong fencingToken() {
        Holding current = holding.get();
        return current != null && isHeld() ? OptionalLong.of(current.token()) : OptionalLong.empty();
    }

    @Override
    public Optional<Fence> fence() {
        OptionalLong token = fencingToken();
        return token.isPresent() ? Optional.of(new Fence(config.name(), holder, token.getAsLong())) : Optional.empty();
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts the heartbeat: every {@link LeaseConfig#heartbeat()} renew while holding, otherwise
     * try to acquire. Failures of a round are logged and the next round tries again.
     */
    public synchronized void start() {
        if (heartbeat != null || closed) {
            throw new IllegalStateException(closed ? "lease is closed" : "heartbeat already started");
        }
        heartbeat = Thread.ofVirtual().name("skewless-lease-" + config.name()).start(this::beat);
    }

    private void beat() {
        while (!closed) {
            try {
                if (holding.get() != null) {
                    dropIfLapsed();
                }
                if (holding.get() != null) {
                    renew();
                } else {
                    tryAcquire();
                }
            } catch (RuntimeException e) {
                // The lease stays held locally until its validity lapses; the next round retries.
                // (Any failure, not only the SDK's: the heartbeat thread must never die quietly.)
                log.atWarn().addKeyValue("lease", config.name()).addKeyValue("holder", holder).addKeyValue("error", e.toString())
                        .log("lease heartbeat failed");
            }
            try {
                Thread.sleep(config.heartbeat());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Gives the lease up: stops the heartbeat and expires the item if we still hold it. */
    @Override
    public void close() {
        closed = true;
        Thread beating = heartbeat;
        if (beating != null) {
            beating.interrupt();
            try {
                beating.join(config.heartbeat().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Holding current = holding.get();
        if (current == null) {
            return;
        }
        try {
            ddb.updateItem(b -> b.tableName(table).key(leaseKey(config.name()))
                    .updateExpression("SET #expires = :zero")
                    .conditionExpression("#holder = :me AND #token = :token")
                    .expressionAttributeNames(Map.of("#holder", HOLDER, "#token", TOKEN, "#expires", EXPIRES_MILLIS))
                    .expressionAttributeValues(Map.of(":zero", n(0), ":me", s(holder), ":token", n(current.token()))));
            log.atInfo().addKeyValue("lease", config.name()).addKeyValue("holder", holder).log("lease released");
        } catch (ConditionalCheckFailedException e) {
            // someone else has it already: nothing to release
        } catch (SdkException e) {
            log.atWarn().addKeyValue("lease", config.name()).addKeyValue("error", e.toString())
                    .log("releasing the lease failed; it expires by itself");
        }
        lose(current, RELEASED);
    }

    private void dropIfLapsed() {
        Holding current = holding.get();
        if (current != null && !clock.instant().isBefore(current.validUntil())) {
            lose(current, "lease lapsed locally before it was renewed");
        }
    }

    /** Forgets {@code lost} (once) and tells the listeners; a release was already logged as such, so only a loss warns. */
    private void lose(Holding lost, String why) {
        if (holding.compareAndSet(lost, null)) {
            (RELEASED.equals(why) ? log.atDebug() : log.atWarn()).addKeyValue("lease", config.name()).addKeyValue("holder", holder).addKeyValue("token", lost.token())
                    .addKeyValue("reason", why).log("lease lost");
            listeners.forEach(Listener::lost);
        }
    }

    private Instant validUntil(Instant requestStart) {
        return requestStart.plus(config.duration()).minus(config.safetyMargin());
    }

    private Optional<Map<String, AttributeValue>> read() {
        var response = ddb.getItem(b -> b.tableName(table).key(leaseKey(config.name())).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }
}
