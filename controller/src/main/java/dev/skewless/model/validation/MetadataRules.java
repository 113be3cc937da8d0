package dev.skewless.model.validation;

import dev.skewless.model.ReleaseSpec;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/** Checks shared by both kinds: names, ids, labels and environment variable names. */
final class MetadataRules {
    /** Longest App name; mirrors {@code ResourceNames.APP_NAME_MAX} (a test keeps them equal). */
    static final int APP_NAME_MAX = 16;
    /** AWS tag limits, so labels can become tags later without surprises. */
    static final int LABEL_KEY_MAX = 128;
    static final int LABEL_VALUE_MAX = 256;

    private MetadataRules() {}

    static void appName(Findings f, String path, String name) {
        if (!Formats.matches(Formats.DNS_LABEL, name) || name.length() > APP_NAME_MAX) {
            f.add(path, "'" + name + "' is not a valid App name; use 1.." + APP_NAME_MAX
                    + " lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen "
                    + "(it goes into AWS resource names)");
        }
    }

    static void versionId(Findings f, String path, String id) {
        if (!Formats.matches(Formats.VERSION_ID, id)) {
            f.add(path, "'" + id + "' is not a valid version id (the part of metadata.name after '<app>.'); use 1..64 of A-Z a-z 0-9 . _ - (clients send it in a header and a query parameter)");
        } else if (id.equalsIgnoreCase(ReleaseSpec.LATEST_KEYWORD)) {
            f.add(path, "'" + id + "' cannot be a version id: spec.release.live uses 'latest' to mean the newest Ready version");
        }
    }

    static void labels(Findings f, Map<String, String> labels) {
        for (String key : new TreeSet<>(labels.keySet())) {
            String path = "metadata.labels" + FieldPaths.key(key);
            if (key.isEmpty() || key.length() > LABEL_KEY_MAX) {
                f.add(path, "label keys must be 1.." + LABEL_KEY_MAX + " characters");
            }
            String value = labels.get(key);
            if (value != null && value.length() > LABEL_VALUE_MAX) {
                f.add(path, "label value is " + value.length() + " characters; at most " + LABEL_VALUE_MAX + " allowed");
            }
        }
    }

    static void envNames(Findings f, String path, Collection<String> names) {
        for (String name : new TreeSet<>(names)) {
            if (!Formats.matches(Formats.ENV_NAME, name)) {
                f.add(path + FieldPaths.key(name), "'" + name + "' is not an environment variable name; use letters, digits and _, not starting with a digit");
            }
        }
    }
}
