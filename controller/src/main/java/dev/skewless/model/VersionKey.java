package dev.skewless.model;

import java.util.Objects;

/**
 * Identifies one AppVersion: the App's name and the version id. Used as a key everywhere a
 * version is addressed (store, planner, providers, logs).
 */
public record VersionKey(String app, String version) implements Comparable<VersionKey> {
    public VersionKey {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(version, "version");
    }

    @Override
    public int compareTo(VersionKey o) {
        int c = app.compareTo(o.app);
        return c != 0 ? c : version.compareTo(o.version);
    }

    @Override
    public String toString() {
        return app + "/" + version;
    }
}
