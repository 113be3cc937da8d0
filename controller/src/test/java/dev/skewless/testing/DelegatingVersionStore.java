package dev.skewless.testing;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A real store with every call passed through; tests override the calls they count or break. */
public class DelegatingVersionStore implements VersionStore {
    protected final VersionStore delegate;

    public DelegatingVersionStore(VersionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<App> listApps() {
        return delegate.listApps();
    }

    @Override
    public Optional<App> getApp(String name) {
        return delegate.getApp(name);
    }

    @Override
    public List<AppVersion> listVersions(String app) {
        return delegate.listVersions(app);
    }

    @Override
    public Optional<AppVersion> getVersion(VersionKey key) {
        return delegate.getVersion(key);
    }

    @Override
    public App applyApp(App app) {
        return delegate.applyApp(app);
    }

    @Override
    public AppVersion applyVersion(AppVersion version) {
        return delegate.applyVersion(version);
    }

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        delegate.writeAppStatus(app, status);
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        delegate.writeVersionStatus(key, status);
    }

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        return delegate.watch(listener);
    }
}
