package dev.skewless.store;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The store as the controller sees it: reads, spec writes and watch pass through; every status
 * write carries the current lease's {@link Fence}, so the store refuses it atomically when this
 * replica is no longer the leader. A write attempted while the lease is not held locally fails at
 * once with {@link LeaseLostException}, without a request.
 */
public final class FencedVersionStore implements VersionStore {
    private final FenceableVersionStore store;
    private final LeaderLease lease;

    public FencedVersionStore(FenceableVersionStore store, LeaderLease lease) {
        this.store = Objects.requireNonNull(store, "store");
        this.lease = Objects.requireNonNull(lease, "lease");
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
        store.writeAppStatus(app, status, fence("app " + app));
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        store.writeVersionStatus(key, status, fence("version " + key));
    }

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        return store.watch(listener);
    }

    private Fence fence(String what) {
        // isHeld() first: it turns false on the local clock before the lease item says so.
        if (!lease.isHeld()) {
            throw new LeaseLostException("not the leader: refusing to write status of " + what);
        }
        return lease.fence().orElseThrow(() -> new LeaseLostException("not the leader: refusing to write status of " + what));
    }
}
