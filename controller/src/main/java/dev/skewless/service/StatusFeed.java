package dev.skewless.service;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.store.VersionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the store says now, kept current from the store's change hints, and who changed: the
 * source of the status stream ({@code app} and {@code version} events) and of the
 * versions-by-phase gauge. It reads the store itself rather than listening to the engine, so a
 * standby replica's dashboard sees the leader's status writes too.
 *
 * <p>Hints ({@link VersionStore#watch}) are coalesced per App and handled on one virtual thread:
 * re-read the App and its versions, compare with the last snapshot, publish what differs. A full
 * refresh every {@code refreshPeriod} catches anything a hint missed (delivery is at-least-once,
 * but a watch can fail).
 */
public final class StatusFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusFeed.class);
    private static final String EVERYTHING = "\u0000all";

    /** A change of what the store holds. */
    public sealed interface Change {
        /** The App concerned. */
        String app();
    }

    /** The App record, or the set or phases of its versions, changed; carries the new state. */
    public record AppChanged(App record, List<AppVersion> versions) implements Change {
        @Override
        public String app() {
            return record.name();
        }
    }

    /** The App was deleted. */
    public record AppRemoved(String app) implements Change {}

    /** One version is new or changed (spec or status). */
    public record VersionChanged(App record, AppVersion version) implements Change {
        @Override
        public String app() {
            return record.name();
        }
    }

    /** One version's record is gone (e.g. deleted by TTL after Retired). */
    public record VersionRemoved(String app, String version) implements Change {}

    /** One App as last read: the record and its versions by id, oldest first. */
    public record Snapshot(App app, Map<String, AppVersion> versions) {}

    private final VersionStore store;
    private final Duration refreshPeriod;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private Thread worker;
    private AutoCloseable watch;
    private volatile boolean closed;
    private volatile long lastFullRefresh;

    public StatusFeed(VersionStore store, Duration refreshPeriod) {
        this.store = Objects.requireNonNull(store, "store");
        this.refreshPeriod = Objects.requireNonNull(refreshPeriod, "refreshPeriod");
    }

    /** Subscribes to the store and loads everything once (on the feed's thread). */
    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("status feed already started");
        }
        try {
            watch = store.watch(this::hint);
        } catch (RuntimeException e) {
            // The periodic refresh still keeps the feed current, only later.
            log.atWarn().addKeyValue("error", e.toString()).log("watching the store failed; the status feed refreshes periodically only");
        }
        hint(EVERYTHING);
        worker = Thread.ofVirtual().name("skewless-status-feed").start(this::run);
    }

    /** The last snapshot of every App, by name. */
    public Map<String, Snapshot> snapshots() {
        return Map.copyOf(snapshots);
    }

    /** The last snapshot of one App. */
    public Optional<Snapshot> snapshot(String app) {
        return Optional.ofNullable(snapshots.get(app));
    }

    /** Hears every change; closing the handle stops it. Called on the feed's thread: return quickly. */
    public AutoCloseable subscribe(Consumer<Change> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /** Asks the feed to re-read {@code app} soon (also what the store's watch calls). */
    public void hint(String app) {
        synchronized (pending) {
            pending.add(app);
            pending.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            List<String> apps;
            synchronized (pending) {
                long wait = refreshPeriod.toMillis() - (System.currentTimeMillis() - lastFullRefresh);
                if (pending.isEmpty() && wait > 0) {
                    try {
                        pending.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (System.currentTimeMillis() - lastFullRefresh >= refreshPeriod.toMillis()) {
                    pending.add(EVERYTHING);
                }
                apps = new ArrayList<>(pending);
                pending.clear();
            }
            try {
                if (apps.contains(EVERYTHING)) {
                    refreshAll();
                } else {
                    apps.forEach(this::refresh);
                }
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("error", e.toString()).log("reading the store for the status feed failed; retrying at the next change or refresh");
            }
        }
    }

    private void refreshAll() {
        lastFullRefresh = System.currentTimeMillis();
        Set<String> names = new LinkedHashSet<>();
        for (App app : store.listApps()) {
            names.add(app.name());
            update(app.name(), Optional.of(app));
        }
        for (String known : List.copyOf(snapshots.keySet())) {
            if (!names.contains(known)) {
                update(known, Optional.empty());
            }
        }
    }

    private void refresh(String app) {
        update(app, store.getApp(app));
    }

    private void update(String name, Optional<App> found) {
        Snapshot before = snapshots.get(name);
        if (found.isEmpty()) {
            if (snapshots.remove(name) != null) {
                publish(new AppRemoved(name));
            }
            return;
        }
        App app = found.get();
        Map<String, AppVersion> versions = new LinkedHashMap<>();
        store.listVersions(name).forEach(v -> versions.put(v.id(), v));
        Snapshot after = new Snapshot(app, versions);
        snapshots.put(name, after);
        List<Change> changes = new ArrayList<>();
        Map<String, AppVersion> old = before == null ? Map.of() : before.versions();
        boolean appChanged = before == null || !before.app().equals(app) || !old.keySet().equals(versions.keySet());
        for (AppVersion v : versions.values()) {
            AppVersion was = old.get(v.id());
            if (!v.equals(was)) {
                changes.add(new VersionChanged(app, v));
                if (was == null || was.status().phase() != v.status().phase()) {
                    appChanged = true; // the summary's phase counts moved
                }
            }
        }
        for (String id : old.keySet()) {
            if (!versions.containsKey(id)) {
                changes.add(new VersionRemoved(name, id));
            }
        }
        if (appChanged) {
            changes.addFirst(new AppChanged(app, List.copyOf(versions.values())));
        }
        changes.forEach(this::publish);
    }

    private void publish(Change change) {
        for (Consumer<Change> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                log.atDebug().addKeyValue("error", e.toString()).log("a status feed subscriber failed; ignored");
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                log.atDebug().addKeyValue("error", e.toString()).log("closing the store watch failed");
            }
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
