package dev.skewless.plan;

import dev.skewless.model.VersionKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags every resource skewless creates carries. A resource without
 * {@code skewless.dev/managed-by} (with our owner id) is foreign: never modified, never deleted.
 */
public final class OwnershipTags {
    /** Who manages the resource; the value is the controller's owner id. */
    public static final String MANAGED_BY = "skewless.dev/managed-by";
    /** The App the resource belongs to. */
    public static final String APP = "skewless.dev/app";
    /** The version the resource belongs to (absent on app-wide rules). */
    public static final String VERSION = "skewless.dev/version";
    /** On listener rules: the {@link dev.skewless.plan.routing.RuleRole} tag value. */
    public static final String RULE_ROLE = "skewless.dev/rule";
    /** On task definitions: hash of the container spec, to detect spec changes. */
    public static final String SPEC_HASH = "skewless.dev/spec-hash";
    /** Default owner id. */
    public static final String DEFAULT_OWNER = "skewless";

    private OwnershipTags() {}

    /** Tags of a version-level resource. */
    public static Map<String, String> forVersion(String owner, VersionKey key) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(MANAGED_BY, owner);
        tags.put(APP, key.app());
        tags.put(VERSION, key.version());
        return tags;
    }

    /** Tags of an app-level resource (navigation, catch-all and unpinned rules). */
    public static Map<String, String> forApp(String owner, String app) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(MANAGED_BY, owner);
        tags.put(APP, app);
        return tags;
    }

    /** Whether {@code tags} mark a resource of {@code app} managed by {@code owner}. */
    public static boolean ownedBy(Map<String, String> tags, String owner, String app) {
        return owner.equals(tags.get(MANAGED_BY)) && app.equals(tags.get(APP));
    }

    /** Whether {@code tags} carry all three ownership tags of a version resource. */
    public static boolean isVersionResource(Map<String, String> tags, String owner) {
        return owner.equals(tags.get(MANAGED_BY)) && tags.containsKey(APP) && tags.containsKey(VERSION);
    }
}
