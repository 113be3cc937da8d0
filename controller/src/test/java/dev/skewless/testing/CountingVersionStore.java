package dev.skewless.testing;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real store with every status write counted and kept in order: what the engine wrote, to
 * which record, and when (as the status stamps it). Reads and record writes pass straight through.
 */
public final class CountingVersionStore implements VersionStore {
    /** One status write: {@code version} is null for the App's own status. */
    public record StatusWrite(String app, String version, Object status) {}

    private final VersionStore store;
    private final List<StatusWrite> writes = new ArrayList<>();

    public CountingVersionStore(VersionStore store) {
        this.store = store;
    }

    /** Every status write so far, oldest first. */
    public synchronized List<StatusWrite> statusWrites() {
        return List.copyOf(writes);
    }

    /** How many status writes so far. */
    public synchronized int statusWriteCount() {
        return writes.size();
    }

    @Override
    public List<App> listApps() {
        return store.listApps();
    }

    @Override
    public Optional<App> getApp(String name) {
        return store.getApp(name);
    }

    @Override
    public List<AppVersion> listVersions(String app) {
        return store.listVersions(app);
    }

    @Override
    public Optional<AppVersion> getVersion(VersionKey key) {
        return store.getVersion(key);
    }

    @Override
    public App applyApp(App app) {
        return store.applyApp(app);
    }

    @Override
    public AppVersion applyVersion(AppVersion version) {
        return store.applyVersion(version);
    }

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        store.writeAppStatus(app, status);
        synchronized (this) {
            writes.add(new StatusWrite(app, null, status));
        }
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        store.writeVersionStatus(key, status);
        synchronized (this) {
            writes.add(new StatusWrite(key.app(), key.version(), status));
        }
    }

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        return store.watch(listener);
    }
}
