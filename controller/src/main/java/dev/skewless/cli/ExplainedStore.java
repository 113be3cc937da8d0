package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A store whose failures (AWS, the Kubernetes API) reach the terminal as {@link CliFailure}s with advice. */
final class ExplainedStore implements VersionStore {
    private final VersionStore store;
    private final StoreFailures errors;

    ExplainedStore(VersionStore store, StoreFailures errors) {
        this.store = store;
        this.errors = errors;
    }

    @Override
    public List<App> listApps() {
        return errors.explained(store::listApps);
    }

    @Override
    public Optional<App> getApp(String name) {
        return errors.explained(() -> store.getApp(name));
    }

    @Override
    public List<AppVersion> listVersions(String app) {
        return errors.explained(() -> store.listVersions(app));
    }

    @Override
    public Optional<AppVersion> getVersion(VersionKey key) {
        return errors.explained(() -> store.getVersion(key));
    }

    @Override
    public App applyApp(App app) {
        return errors.explained(() -> store.applyApp(app));
    }

    @Override
    public AppVersion applyVersion(AppVersion version) {
        return errors.explained(() -> store.applyVersion(version));
    }

    @Override
    public void writeAppStatus(String app, AppStatus status) {
        errors.run(() -> store.writeAppStatus(app, status));
    }

    @Override
    public void writeVersionStatus(VersionKey key, AppVersionStatus status) {
        errors.run(() -> store.writeVersionStatus(key, status));
    }

    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        return errors.explained(() -> store.watch(listener));
    }
}
