package dev.skewless.testing;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.VersionKey;
import dev.skewless.store.StoreConflictException;
import dev.skewless.store.VersionStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * In-memory {@link VersionStore} for tests. Enforces what the real stores do: generations bump
 * only on spec change, optimistic concurrency on a non-zero expected generation, versions need
 * their App, status writes to missing records fail. Counts every write so tests can prove that
 * nothing was written, and can be told to fail the next status writes.
 *
 * <p>Deletion as the Kubernetes store has it for a record held by the operator's finalizer:
 * {@link #markAppDeleting} / {@link #markVersionDeleting} set {@code metadata.deletionTimestamp}
 * (which no later apply clears), and the record goes only when {@link #releaseApp} /
 * {@link #releaseVersion} remove the finalizer.
 */
public final class TestingVersionStore implements VersionStore {
    private final InstantSource clock;
    private final Map<String, App> apps = new TreeMap<>();
    private final Map<VersionKey, AppVersion> versions = new TreeMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger specWrites = new AtomicInteger();
    private final AtomicInteger statusWrites = new AtomicInteger();
    private final AtomicInteger failStatusWrites = new AtomicInteger();

    public TestingVersionStore(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public synchronized List<App> listApps() {
        return List.copyOf(apps.values());
    }

    @Override
    public synchronized Optional<App> getApp(String name) {
        return Optional.ofNullable(apps.get(name));
    }

    @Override
    public synchronized List<AppVersion> listVersions(String app) {
        List<AppVersion> out = new ArrayList<>();
        for (AppVersion v : versions.values()) {
            if (v.app().equals(app)) {
                out.add(v);
            }
        }
        out.sort(Comparator.comparing((AppVersion v) -> v.metadata().creationTimestamp()).thenComparing(AppVersion::id));
        return out;
    }

    @Override
    public synchronized Optional<AppVersion> getVersion(VersionKey key) {
        return Optional.ofNullable(versions.get(key));
    }

    @Override
    public App applyApp(App app) {
        App stored;
        synchronized (this) {
            App current = apps.get(app.name());
            ObjectMeta meta = app.metadata();
            if (current == null) {
                if (meta.generation() != 0) {
                    throw new StoreConflictException("app " + app.name() + " does not exist (expected generation " + meta.generation() + ")");
                }
                stored = new App(meta.stored(1, clock.instant()), app.spec(), AppStatus.EMPTY);
            } else {
                long gen = current.metadata().generation();
                if (meta.generation() != 0 && meta.generation() != gen) {
                    throw new StoreConflictException("app " + app.name() + " is at generation " + gen + ", not " + meta.generation());
                }
                boolean changed = !current.spec().equals(app.spec()) || !current.metadata().labels().equals(meta.labels());
                long next = current.spec().equals(app.spec()) ? gen : gen + 1;
                if (!changed) {
                    return current;
                }
                stored = new App(keepDeletion(meta.stored(next, current.metadata().creationTimestamp()), current.metadata()),
                        app.spec(), current.status());
            }
            apps.put(app.name(), stored);
            specWrites.incrementAndGet();
        }
        notify(app.name());
        return stored;
    }

    @Override
    public AppVersion applyVersion(AppVersion version) {
        AppVersion stored;
        synchronized (this) {
            if (!apps.containsKey(version.app())) {
                throw new StoreConflictException("app " + version.app() + " does not exist; apply the App first");
            }
            AppVersion current = versions.get(version.key());
            ObjectMeta meta = version.metadata();
            if (current == null) {
                if (meta.generation() != 0) {
                    throw new StoreConflictException("version " + version.key() + " does not exist");
                }
                // Strictly increasing creation times keep "newest" well defined even within one tick.
                Instant created = clock.instant();
                for (AppVersion v : versions.values()) {
                    if (v.app().equals(version.app()) && !v.metadata().creationTimestamp().isBefore(created)) {
                        created = v.metadata().creationTimestamp().plusNanos(1);
                    }
                }
                stored = new AppVersion(meta.stored(1, created), version.spec(), AppVersionStatus.PENDING);
            } else {
                long gen = current.metadata().generation();
                if (meta.generation() != 0 && meta.generation() != gen) {
                    throw new StoreConflictException("version " + version.key() + " is at generation " + gen + ", not " + meta.generation());
                }
                boolean specChanged = !current.spec().equals(version.spec());
                if (!specChanged && current.metadata().labels().equals(meta.labels())) {
                    return current;
                }
                stored = new AppVersion(keepDeletion(meta.stored(specChanged ? gen + 1 : gen,
                        current.metadata().creationTimestamp()), current.metadata()), version.spec(), current.status());
            }
            versions.put(version.key(), stored);
            specWrites.incrementAndGet();
        }
        notify(version.app());
        return stored;
    }

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        synchronized (this) {
            failIfAsked("app " + app);
            App current = apps.get(app);
            if (current == null) {
                throw new StoreConflictException("app " + app + " does not exist");
            }
            apps.put(app, current.withStatus(Objects.requireNonNull(status)));
            statusWrites.incrementAndGet();
        }
        notify(app);
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        synchronized (this) {
            failIfAsked("version " + key);
            AppVersion current = versions.get(key);
            if (current == null) {
                throw new StoreConflictException("version " + key + " does not exist");
            }
            versions.put(key, current.withStatus(Objects.requireNonNull(status)));
            statusWrites.incrementAndGet();
        }
        notify(key.app());
    }

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A deletion once asked for stays asked for, whatever a later apply says. */
    private static ObjectMeta keepDeletion(ObjectMeta next, ObjectMeta current) {
        return current.deleting() ? next.deletingSince(current.deletionTimestamp()) : next;
    }

    /** Deletion of the App asked for now; it stays (deleting) until {@link #releaseApp}. */
    public void markAppDeleting(String app) {
        synchronized (this) {
            App current = apps.get(app);
            if (current == null) {
                throw new StoreConflictException("app " + app + " does not exist");
            }
            if (!current.metadata().deleting()) {
                apps.put(app, current.withMetadata(current.metadata().deletingSince(clock.instant())));
            }
        }
        notify(app);
    }

    /** Deletion of a version asked for now; it stays (deleting) until {@link #releaseVersion}. */
    public void markVersionDeleting(VersionKey key) {
        synchronized (this) {
            AppVersion current = versions.get(key);
            if (current == null) {
                throw new StoreConflictException("version " + key + " does not exist");
            }
            if (!current.metadata().deleting()) {
                versions.put(key, current.withMetadata(current.metadata().deletingSince(clock.instant())));
            }
        }
        notify(key.app());
    }

    /** The finalizer of an App being deleted removed: the record goes. */
    public void releaseApp(String app) {
        synchronized (this) {
            App current = apps.get(app);
            if (current == null || !current.metadata().deleting()) {
                throw new IllegalStateException("app " + app + " is not being deleted");
            }
            apps.remove(app);
        }
        notify(app);
    }

    /** The finalizer of a version being deleted removed: the record goes. */
    public void releaseVersion(VersionKey key) {
        synchronized (this) {
            AppVersion current = versions.get(key);
            if (current == null || !current.metadata().deleting()) {
                throw new IllegalStateException("version " + key + " is not being deleted");
            }
            versions.remove(key);
        }
        notify(key.app());
    }

    /** Spec writes (apply) that changed something. */
    public int specWrites() {
        return specWrites.get();
    }

    /** Status writes that succeeded. */
    public int statusWrites() {
        return statusWrites.get();
    }

    /** All successful writes. */
    public int writes() {
        return specWrites.get() + statusWrites.get();
    }

    /** Makes the next {@code n} status writes fail as a store outage would. */
    public void failNextStatusWrites(int n) {
        failStatusWrites.set(n);
    }

    private void failIfAsked(String what) {
        if (failStatusWrites.get() > 0 && failStatusWrites.getAndDecrement() > 0) {
            throw new IllegalStateException("injected store failure writing status of " + what);
        }
    }

    private void notify(String app) {
        for (Consumer<String> l : listeners) {
            l.accept(app);
        }
    }
}
