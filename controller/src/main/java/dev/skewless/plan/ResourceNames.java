package dev.skewless.plan;

import dev.skewless.model.VersionKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic AWS names for a version's resources, so a crash between two calls is repaired by
 * the next pass (which finds the resource by name) instead of leaking a twin.
 */
public final class ResourceNames {
    /** ALB limit on target group names. */
    public static final int TARGET_GROUP_NAME_MAX = 32;
    /** ECS limit on service names and task definition families. */
    public static final int ECS_NAME_MAX = 255;
    /** Longest App name: keeps {@code skl-<app>-<hash>} within 32 characters. */
    public static final int APP_NAME_MAX = 16;

    private ResourceNames() {}

    /**
     * {@code skl-<app>-<10 hex of sha256(app/version)>}: at most 31 characters, letters, digits
     * and hyphens only (version ids may hold dots and underscores, which ALB refuses).
     */
    public static String targetGroup(VersionKey key) {
        String app = key.app().length() > APP_NAME_MAX ? key.app().substring(0, APP_NAME_MAX) : key.app();
        return "skl-" + app + "-" + shortHash(key.toString(), 10);
    }

    /**
     * {@code <app>-<version with . replaced by _>-<6 hex>}: the hash keeps {@code v1.0} and
     * {@code v1_0} apart after sanitising. Also the task definition family.
     */
    public static String service(VersionKey key) {
        String v = key.version().replace('.', '_');
        return key.app() + "-" + v + "-" + shortHash(key.toString(), 6);
    }

    /** The task definition family of a version (same as its service name). */
    public static String taskFamily(VersionKey key) {
        return service(key);
    }

    /** The container name inside the task definition. */
    public static String container(VersionKey key) {
        return key.app();
    }

    /** First {@code hexChars} hex characters of SHA-256 of {@code s}. */
    public static String shortHash(String s, int hexChars) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }
}
