package dev.skewless.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the status API (see {@code openapi.yaml} and {@code docs/status-api.md}).
 * Times are ISO-8601 UTC strings or null; durations are text like {@code 24h}.
 */
public final class Views {
    private Views() {}

    /** A list answer. */
    @Serdeable
    public record Items<T>(List<T> items) {}

    /** An RFC 7807 problem. */
    @Serdeable
    public record Problem(String type, String title, int status, String detail) {}

    @Serdeable
    public record Canary(String version, int weight) {}

    @Serdeable
    public record ConditionView(String type, String status, String reason, String message, String lastTransitionTime) {}

    @Serdeable
    public record AppSummary(String name, String liveVersion, Canary canary, int versionCount, Map<String, Integer> phaseCounts,
            List<ConditionView> conditions, String lastReconcileTime) {}

    @Serdeable
    public record Release(String live, Canary canary) {}

    @Serdeable
    public record Priorities(int from, int to) {}

    @Serdeable
    public record Routing(String header, String query, String cookie, String onExpired, List<String> pathPatterns,
            List<String> hostHeaders, String listenerArn, Priorities priorities) {}

    @Serdeable
    public record Retention(String defaultWindow, String min, String max, String idleExpiry, int maxVersions) {}

    /** AppSummary's fields, then the App's release, routing and retention. */
    @Serdeable
    public record AppDetail(String name, String liveVersion, Canary canary, int versionCount, Map<String, Integer> phaseCounts,
            List<ConditionView> conditions, String lastReconcileTime, Release release, Routing routing, Retention retention,
            long observedGeneration, long generation) {}

    @Serdeable
    public record Resources(String targetGroupArn, String serviceArn, String taskDefinitionArn, List<String> ruleArns) {}

    @Serdeable
    public record VersionView(String app, String version, String phase, boolean live, Integer canaryWeight, boolean revoked,
            String image, long generation, long observedGeneration, int desiredCount, int runningCount, String createdAt,
            String readyAt, String supersededAt, String expiresAt, String drainingSince, String expiryReason,
            String lastReconcileTime, String message, List<ConditionView> conditions, Resources resources,
            List<Integer> rulePriorities) {}

    @Serdeable
    public record EventView(String time, String app, String version, String action, String outcome, String message) {}

    /** Readiness and liveness bodies. */
    @Serdeable
    public record Health(String status, String state, boolean leader, boolean storeReachable, long fencingToken, String detail) {}
}
