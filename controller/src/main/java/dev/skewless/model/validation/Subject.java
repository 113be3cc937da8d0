package dev.skewless.model.validation;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import java.util.Objects;

/**
 * A record to validate, with the label its problems are reported under: for a manifest document
 * {@code doc[1] (AppVersion shop/v2)}, prefixed with the file name when there is one. Labels must
 * be unique within one validation.
 */
public sealed interface Subject permits Subject.OfApp, Subject.OfVersion {

    /** Prefix of every problem reported against this record. */
    String label();

    /** {@code App} or {@code AppVersion}. */
    String kind();

    /** {@code shop} for an App, {@code shop/v2} for a version. */
    String displayName();

    /** An App to validate. */
    record OfApp(String label, App app) implements Subject {
        public OfApp {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(app, "app");
        }

        @Override
        public String kind() {
            return "App";
        }

        @Override
        public String displayName() {
            return app.name();
        }
    }

    /** An AppVersion to validate. */
    record OfVersion(String label, AppVersion version) implements Subject {
        public OfVersion {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(version, "version");
        }

        @Override
        public String kind() {
            return "AppVersion";
        }

        @Override
        public String displayName() {
            return version.key().toString();
        }
    }
}
