package dev.skewless.testing;

import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A real store with every status write counted and kept in order: what the engine wrote, to
 * which record, and when (as the status stamps it). Reads and record writes pass straight through.
 */
public final class CountingVersionStore extends DelegatingVersionStore {
    /** One status write: {@code version} is null for the App's own status. */
    public record StatusWrite(String app, String version, Object status) {}

    private final List<StatusWrite> writes = new ArrayList<>();

    public CountingVersionStore(VersionStore store) {
        super(store);
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
    public void writeAppStatus(String app, AppStatus status) {
        delegate.writeAppStatus(app, status);
        synchronized (this) {
            writes.add(new StatusWrite(app, null, status));
        }
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        delegate.writeVersionStatus(key, status);
        synchronized (this) {
            writes.add(new StatusWrite(key.app(), key.version(), status));
        }
    }
}
