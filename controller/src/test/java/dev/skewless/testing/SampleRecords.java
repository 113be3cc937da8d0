package dev.skewless.testing;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppStatus;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.Condition;
import dev.skewless.model.ConditionStatus;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.OnExpired;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionResources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Valid records built in code, for tests that vary one field at a time. */
public final class SampleRecords {
    public static final String LISTENER =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/demo/0123456789abcdef/fedcba9876543210";
    public static final String OTHER_LISTENER =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/other/0123456789abcdef/0123456789abcdef";

    private SampleRecords() {}

    public static PlatformSpec platform() {
        return new PlatformSpec("demo", List.of("subnet-0123456789abcdef0"), List.of("sg-0123456789abcdef0"),
                "arn:aws:iam::123456789012:role/exec", null, "/skewless/demo", false, 1);
    }

    public static RouterSpec router(int from, int to) {
        return new RouterSpec(LISTENER, new PriorityRange(from, to), List.of("/api/*"), List.of(), null, false, null);
    }

    /** A valid App on {@link #LISTENER} with priorities {@code from..to}. */
    public static App app(String name, int from, int to) {
        return new App(ObjectMeta.ofApp(name), new AppSpec(platform(), router(from, to), null, null, null, null), null);
    }

    /** A valid App with priorities 100..199. */
    public static App app(String name) {
        return app(name, 100, 199);
    }

    public static AppVersionSpec versionSpec() {
        return new AppVersionSpec("repo/api:1", 256, 512, 2, 8080, Map.of(), Map.of(), null, null, false);
    }

    /** A valid version. */
    public static AppVersion version(String app, String id) {
        return new AppVersion(ObjectMeta.ofVersion(app, id), versionSpec(), null);
    }

    /** An App with every optional field set, status included. */
    public static App fullApp() {
        Instant t = Instant.parse("2026-11-25T10:15:30.123Z");
        return new App(
                new ObjectMeta("shop", null, Map.of("team", "web", "skewless.dev/tier", "gold", "n", "8080"), 4, t),
                new AppSpec(
                        new PlatformSpec("arn:aws:ecs:eu-west-1:123456789012:cluster/demo", List.of("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"),
                                List.of("sg-0123456789abcdef0"), "arn:aws:iam::123456789012:role/exec", "arn:aws:iam::123456789012:role/task",
                                "/skewless/shop", true, 2),
                        new RouterSpec(LISTENER, new PriorityRange(1000, 1099), List.of("/api/*"), List.of("shop.example.com"),
                                Duration.ofSeconds(45), false, "vpc-0123456789abcdef0"),
                        new RoutingSpec("x-build", "build", null, OnExpired.FALLBACK),
                        new RetentionSpec(Duration.ofHours(12), Duration.ofMinutes(30), Duration.ofDays(3), Duration.ofMinutes(90), 7),
                        new ReleaseSpec("v2", new ReleaseSpec.Canary("v3", 20)),
                        new LocalSpec(List.of("java", "-jar", "app.jar"), Map.of("PORT", "${PORT}"))),
                new AppStatus(4, "v2", "v3", 20,
                        List.of(new Condition(Condition.SYNCED, ConditionStatus.True, "Reconciled", "all good", t)), t, "live v2, canary v3"));
    }

    /** A version with every optional field set, status included. */
    public static AppVersion fullVersion() {
        Instant t = Instant.parse("2026-11-25T10:15:30Z");
        return new AppVersion(
                new ObjectMeta("1.10", "shop", Map.of("commit", "4f2a9c1"), 2, t),
                new AppVersionSpec("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.10", 2048, 16384, 3, 8443,
                        Map.ofEntries(Map.entry("A", "true"), Map.entry("B", "8080"), Map.entry("C", "null"), Map.entry("D", "yes"),
                                Map.entry("E", "~"), Map.entry("F", "1e3"), Map.entry("G", "0x1F"), Map.entry("H", ": x"), Map.entry("I", "#x"),
                                Map.entry("J", " padded "), Map.entry("K", "line1\nline2"), Map.entry("L", ""), Map.entry("M", "-1.5"),
                                Map.entry("N", "on"), Map.entry("O", "2026-11-25")),
                        Map.of("DB", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                                "KEY", "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/key"),
                        new HealthCheckSpec("/ready", Duration.ofSeconds(20), Duration.ofSeconds(4), 3, 4, "200-299,302"),
                        Duration.ofHours(36), true),
                new AppVersionStatus(Phase.Draining,
                        List.of(new Condition(Condition.SYNCED, ConditionStatus.False, "Throttled", "retrying", t),
                                new Condition(Condition.TERMINAL, ConditionStatus.Unknown, null, null, null)),
                        2, new VersionResources("tg-arn", "svc-arn", null, List.of("rule-1")), List.of(1001, 1002), 1, 0,
                        t, t.plusSeconds(60), t.plusSeconds(3600), t.plusSeconds(120), "Revoked", t.plusSeconds(130), "draining"));
    }
}
