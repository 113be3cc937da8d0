package dev.skewless.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.OnExpired;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.plan.ResourceNames;
import dev.skewless.testing.SampleRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordValidatorTest {

    private static List<String> paths(List<Problem> problems) {
        return problems.stream().map(Problem::path).toList();
    }

    private static App withSpec(UnaryOperator<AppSpec> change) {
        App a = SampleRecords.app("shop");
        return new App(a.metadata(), change.apply(a.spec()), null);
    }

    private static App withRouter(UnaryOperator<RouterSpec> change) {
        return withSpec(s -> new AppSpec(s.platform(), change.apply(s.router()), s.routing(), s.retention(), s.release(), s.local()));
    }

    private static App withRouting(RoutingSpec routing) {
        return withSpec(s -> new AppSpec(s.platform(), s.router(), routing, s.retention(), s.release(), s.local()));
    }

    private static App withScopingAndRouting(List<String> paths, List<String> hosts, RoutingSpec routing) {
        return withSpec(s -> new AppSpec(s.platform(),
                new RouterSpec(s.router().listenerArn(), s.router().priorities(), paths, hosts, null, false, null),
                routing, s.retention(), s.release(), s.local()));
    }

    private static AppVersion versionWith(UnaryOperator<AppVersionSpec> change) {
        return new AppVersion(ObjectMeta.ofVersion("shop", "v1"), change.apply(SampleRecords.versionSpec()), null);
    }

    private static AppVersionSpec sized(int cpu, int memory) {
        AppVersionSpec s = SampleRecords.versionSpec();
        return new AppVersionSpec(s.image(), cpu, memory, s.desiredCount(), s.containerPort(), s.env(), s.secrets(), s.healthCheck(),
                s.retention(), s.revoked());
    }

    @Test
    void theSampleRecordsAreValid() {
        assertThat(RecordValidator.checkApp(SampleRecords.app("shop"))).isEmpty();
        assertThat(RecordValidator.checkVersion(SampleRecords.version("shop", "v1"))).isEmpty();
        assertThat(RecordValidator.checkApp(SampleRecords.fullApp())).isEmpty();
        assertThat(RecordValidator.checkVersion(SampleRecords.fullVersion())).isEmpty();
    }

    @Test
    void appNameLimitMatchesWhatResourceNamesAssume() {
        assertThat(RecordValidator.APP_NAME_MAX).isEqualTo(ResourceNames.APP_NAME_MAX);
    }

    @ParameterizedTest
    @CsvSource({"shop, true", "a, true", "shop-2, true", "abcdefghijklmnop, true", "abcdefghijklmnopq, false", "Shop, false",
                "2shop, false", "shop-, false", "sh_op, false", "sh.op, false", "'', false"})
    void appNamesAreShortDnsLabels(String name, boolean valid) {
        App a = SampleRecords.app("x");
        App named = new App(ObjectMeta.ofApp(name), a.spec(), null);

        assertThat(paths(RecordValidator.checkApp(named)).contains("metadata.name")).isEqualTo(!valid);
    }

    @ParameterizedTest
    @CsvSource({"v1, true", "1.10, true", "2026.11.25-1_rc, true", "V2, true", "v 2, false", "v/2, false", "'', false", "latest, false",
                "LATEST, false", "a123456789a123456789a123456789a123456789a123456789a123456789abcd, true",
                "a123456789a123456789a123456789a123456789a123456789a123456789abcde, false"})
    void versionIds(String id, boolean valid) {
        AppVersion v = new AppVersion(ObjectMeta.ofVersion("shop", id), SampleRecords.versionSpec(), null);

        assertThat(paths(RecordValidator.checkVersion(v)).contains("metadata.name")).isEqualTo(!valid);
    }

    @Test
    void theFargateTableAcceptsEveryListedPairAndNothingElse() {
        int[][] table = {
            {256, 512, 2048, 512}, {512, 1024, 4096, 1024}, {1024, 2048, 8192, 1024}, {2048, 4096, 16384, 1024},
            {4096, 8192, 30720, 1024}, {8192, 16384, 61440, 4096}, {16384, 32768, 122880, 8192}};
        int accepted = 0;
        for (int cpu : new int[] {128, 256, 300, 512, 1024, 2048, 4096, 8192, 16384, 32768}) {
            for (int memory = 256; memory <= 131072; memory += 256) {
                boolean expected = false;
                for (int[] row : table) {
                    if (row[0] == cpu && memory >= row[1] && memory <= row[2] && (memory - row[1]) % row[3] == 0) {
                        expected = !(cpu == 256 && memory == 1536); // 256 CPU takes 512, 1024, 2048 only
                    }
                }
                assertThat(FargateSizes.isValid(cpu, memory)).as("cpu %d memory %d", cpu, memory).isEqualTo(expected);
                AppVersion v = new AppVersion(ObjectMeta.ofVersion("shop", "v1"), sized(cpu, memory), null);
                assertThat(RecordValidator.checkVersion(v).isEmpty())
                        .as("cpu %d memory %d", cpu, memory).isEqualTo(expected);
                accepted += expected ? 1 : 0;
            }
        }
        // 3 + 4 + 7 + 13 + 23 + 12 + 12 pairs
        assertThat(accepted).isEqualTo(74);
        assertThat(FargateSizes.memoryChoices(256)).containsExactly(512, 1024, 2048);
        assertThat(FargateSizes.memoryChoices(8192)).hasSize(12).startsWith(16384).endsWith(61440);
    }

    @Test
    void aWrongCpuOrMemorySaysWhatWouldFit() {
        assertThat(RecordValidator.checkVersion(versionWith(s -> sized(300, 1024)))).extracting(Problem::toString).containsExactly(
                "spec.cpu: 300 is not a Fargate CPU size; use one of 256, 512, 1024, 2048, 4096, 8192, 16384 (with memory 1024: 256, 512)");
        assertThat(RecordValidator.checkVersion(versionWith(s -> sized(512, 5000)))).extracting(Problem::toString).containsExactly(
                "spec.memory: 5000 MiB does not fit cpu 512 on Fargate; with cpu 512 use 1024..4096 in steps of 1024 MiB");
        assertThat(RecordValidator.checkVersion(versionWith(s -> sized(256, 1536)))).extracting(Problem::toString).containsExactly(
                "spec.memory: 1536 MiB does not fit cpu 256 on Fargate; with cpu 256 use 512, 1024, 2048 MiB");
    }

    @Test
    void countsPortsEnvSecretsAndImage() {
        AppVersion v = versionWith(s -> new AppVersionSpec(" ", 256, 512, 0, 0,
                Map.of("OK_1", "x", "1BAD", "x", "DB", "x"),
                Map.of("DB", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", "TOKEN", "arn:aws:s3:::bucket/token",
                        "PARAM", "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/a/b"),
                null, null, false));

        assertThat(paths(RecordValidator.checkVersion(v))).containsExactly(
                "spec.image", "spec.desiredCount", "spec.containerPort", "spec.env[\"1BAD\"]", "spec.secrets.DB", "spec.secrets.TOKEN");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/health | 15s | 5s | 2 | 3 | 200 | ",
        "/ | 5s | 2s | 10 | 10 | 200-299,302,404 | ",
        "health | 15s | 5s | 2 | 3 | 200 | path",
        "/h | 4s | 2s | 2 | 3 | 200 | interval",
        "/h | 301s | 5s | 2 | 3 | 200 | interval",
        "/h | 15500ms | 5s | 2 | 3 | 200 | interval",
        "/h | 15s | 1s | 2 | 3 | 200 | timeout",
        "/h | 15s | 15s | 2 | 3 | 200 | timeout",
        "/h | 15s | 5s | 1 | 11 | 200 | healthyThreshold,unhealthyThreshold",
        "/h | 15s | 5s | 2 | 3 | 600 | matcher",
        "/h | 15s | 5s | 2 | 3 | 299-200 | matcher",
        "/h | 15s | 5s | 2 | 3 | 200; | matcher",
    })
    void healthChecks(String path, String interval, String timeout, int up, int down, String matcher, String bad) {
        HealthCheckSpec h = new HealthCheckSpec(path, dev.skewless.model.DurationText.parse(interval),
                dev.skewless.model.DurationText.parse(timeout), up, down, matcher);
        AppVersion v = versionWith(s -> new AppVersionSpec(s.image(), 256, 512, 1, 8080, null, null, h, null, false));

        List<String> expected = bad == null ? List.of() : List.of(bad.split(",")).stream().map(f -> "spec.healthCheck." + f).toList();
        assertThat(paths(RecordValidator.checkVersion(v))).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @CsvSource({"x-deployment-id, true", "X-Build_Id, true", "Host, false", "sec-fetch-mode, false", "x deployment, false",
                "x-dpl*, false", "x:dpl, false", "a234567890123456789012345678901234567890, true",
                "a2345678901234567890123456789012345678901, false", "'', false"})
    void headerNamesMustBeTokensAlbAccepts(String header, boolean valid) {
        App a = withRouting(new RoutingSpec(header, "dpl", null, OnExpired.REJECT));

        assertThat(paths(RecordValidator.checkApp(a)).contains("spec.routing.header")).isEqualTo(!valid);
    }

    @ParameterizedTest
    @CsvSource({"dpl, true", "_v, true", "'', false", "a&b, false", "a=b, false", "a#, false", "a?, false", "a*, false", "a b, false"})
    void queryParameterNames(String query, boolean valid) {
        App a = withRouting(new RoutingSpec("x-deployment-id", query, null, OnExpired.REJECT));

        assertThat(paths(RecordValidator.checkApp(a)).contains("spec.routing.query")).isEqualTo(!valid);
    }

    @ParameterizedTest
    @CsvSource({"dpl, true", "__Host-dpl, true", "'', false", "a=b, false", "a;b, false", "a b, false", "a*, false", "a\"b, false"})
    void cookieNamesMustBeCookieTokens(String cookie, boolean valid) {
        App a = withScopingAndRouting(List.of("/api"), List.of(), new RoutingSpec("x-deployment-id", "dpl", cookie, OnExpired.REJECT));

        assertThat(paths(RecordValidator.checkApp(a)).contains("spec.routing.cookie")).isEqualTo(!valid);
    }

    @Test
    void aCookieCarrierLeavesRoomForOnePathPatternOnly() {
        RoutingSpec cookie = new RoutingSpec("x-deployment-id", "dpl", "dpl", OnExpired.REJECT);

        // 1 value + 1 wildcard of scoping, + 4 values + 4 wildcards of the cookie pin rule: exactly 5 and 5.
        assertThat(RecordValidator.checkApp(withScopingAndRouting(List.of("/api/*"), List.of(), cookie))).isEmpty();
        // A second scoping value breaks the values quota.
        assertThat(RecordValidator.checkApp(withScopingAndRouting(List.of("/api/*"), List.of("shop.example.com"), cookie)))
                .extracting(Problem::toString).containsExactly("spec.routing.cookie: the cookie carrier does not fit in one ALB rule: its "
                        + "cookie pin rule would use 6 condition values (2 for path patterns/host headers + 4 for the cookie); ALB allows 5 values "
                        + "and 5 wildcards per rule. Use fewer path patterns/host headers, or leave the cookie carrier out");
        // One value but two wildcards breaks the wildcards quota.
        assertThat(paths(RecordValidator.checkApp(withScopingAndRouting(List.of("/api/*/x*"), List.of(), cookie))))
                .containsExactly("spec.routing.cookie");
    }

    @Test
    void scopingThatLeavesNoRoomInAnyRuleIsReportedOnceOnTheRouter() {
        RoutingSpec cookie = new RoutingSpec("x-deployment-id", "dpl", "dpl", OnExpired.REJECT);
        List<String> fivePaths = List.of("/a", "/b", "/c", "/d", "/e");

        assertThat(paths(RecordValidator.checkApp(withScopingAndRouting(fivePaths, List.of(), cookie)))).containsExactly("spec.router");
        assertThat(paths(RecordValidator.checkApp(withScopingAndRouting(List.of("/a", "/b", "/c", "/d"), List.of(), RoutingSpec.DEFAULT))))
                .isEmpty();
        // Header and query rules add 1 value and at most 1 wildcard: 4 patterns with 4 wildcards still fit, 5 wildcards do not.
        assertThat(paths(RecordValidator.checkApp(withScopingAndRouting(List.of("/a*", "/b*", "/c*", "/d*"), List.of(), RoutingSpec.DEFAULT))))
                .isEmpty();
        assertThat(paths(RecordValidator.checkApp(withScopingAndRouting(List.of("/a*", "/b*", "/c*", "/d**"), List.of(), RoutingSpec.DEFAULT))))
                .containsExactly("spec.routing.header", "spec.routing.query");
    }

    @Test
    void anAppMustBeScopedUnlessItOwnsTheListener() {
        App unscoped = withRouter(r -> new RouterSpec(r.listenerArn(), r.priorities(), List.of(), List.of(), null, false, null));
        App owner = withRouter(r -> new RouterSpec(r.listenerArn(), r.priorities(), List.of(), List.of(), null, true, null));

        assertThat(paths(RecordValidator.checkApp(unscoped))).containsExactly("spec.router");
        assertThat(RecordValidator.checkApp(owner)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1, 8, false, false, true", "1, 7, false, false, false", "1, 7, true, false, true", "1, 6, true, false, false",
                "1, 10, false, true, false", "1, 11, false, true, true", "0, 10, false, false, false", "49990, 50001, false, false, false",
                "20, 10, false, false, false", "49993, 50000, false, false, true"})
    void thePriorityRangeMustHoldTheLiveVersionAndTheNextRelease(int from, int to, boolean ownsListener, boolean cookie, boolean valid) {
        App a = withSpec(s -> new AppSpec(s.platform(),
                new RouterSpec(s.router().listenerArn(), new PriorityRange(from, to), List.of("/api"), List.of(), null, ownsListener, null),
                new RoutingSpec(null, null, cookie ? "dpl" : null, null), s.retention(), s.release(), s.local()));

        assertThat(paths(RecordValidator.checkApp(a)).contains("spec.router.priorities")).isEqualTo(!valid);
    }

    @Test
    void aTooSmallRangeExplainsTheCount() {
        App a = withRouter(r -> new RouterSpec(r.listenerArn(), new PriorityRange(100, 102), r.pathPatterns(), List.of(), null, false, null));

        assertThat(RecordValidator.checkApp(a)).extracting(Problem::toString).containsExactly("spec.router.priorities: priorities 100..102 "
                + "hold 3 rule(s), but releasing needs at least 8: one version needs 6 (1 navigation + 2 pin + 2 expired catch-all"
                + " + 1 unpinned) and the next release 2 more, as does every further retained version; widen the range");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/x/0123456789abcdef/0123456789abcdef",
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/0123456789abcdef",
        "arn:aws:elasticloadbalancing:eu-west-1:12345:listener/app/x/0123456789abcdef/0123456789abcdef",
        "arn:aws:elasticloadbalancing:europe:123456789012:listener/app/x/0123456789abcdef/0123456789abcdef",
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/x/0123456789abcdef/0123456789abcdef/0123456789abcdef",
        "listener-1"})
    void listenerArnsMustBeAlbListeners(String arn) {
        App a = withRouter(r -> new RouterSpec(arn, r.priorities(), r.pathPatterns(), List.of(), null, false, null));

        assertThat(paths(RecordValidator.checkApp(a))).containsExactly("spec.router.listenerArn");
    }

    @Test
    void listenerArnsOfOtherPartitionsAreFine() {
        String gov = "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:listener/app/x/0123456789abcdef/0123456789abcdef";
        App a = withRouter(r -> new RouterSpec(gov, r.priorities(), r.pathPatterns(), List.of(), null, false, null));

        assertThat(RecordValidator.checkApp(a)).isEmpty();
    }

    @Test
    void pathPatternsAndHostHeaders() {
        String longPath = "/" + "a".repeat(128);
        App a = withRouter(r -> new RouterSpec(r.listenerArn(), r.priorities(), List.of("api/*", longPath, "/ok/*"),
                List.of("https://shop.example.com"), null, false, null));

        assertThat(paths(RecordValidator.checkApp(a)))
                .containsExactly("spec.router.pathPatterns[0]", "spec.router.pathPatterns[1]", "spec.router.hostHeaders[0]");
    }

    @Test
    void retentionBoundsAndOrder() {
        App a = withSpec(s -> new AppSpec(s.platform(), s.router(), s.routing(),
                new RetentionSpec(Duration.ofDays(10), Duration.ofMinutes(5), Duration.ofDays(7), Duration.ofSeconds(30), 101),
                s.release(), s.local()));
        App inverted = withSpec(s -> new AppSpec(s.platform(), s.router(), s.routing(),
                new RetentionSpec(Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(1), null, 5), s.release(), s.local()));
        App zero = withSpec(s -> new AppSpec(s.platform(), s.router(), s.routing(),
                new RetentionSpec(Duration.ZERO, Duration.ofMinutes(-1), Duration.ofHours(1), null, 5), s.release(), s.local()));

        assertThat(RecordValidator.checkApp(a)).extracting(Problem::toString).containsExactly(
                "spec.retention.default: 10d is outside min..max (5m..7d); need min <= default <= max",
                "spec.retention.idleExpiry: 30s is too short; idle expiry must be at least 1m (ALB request counts arrive per minute), "
                        + "or leave it out to disable it",
                "spec.retention.maxVersions: 101 is out of range; allowed 1..100 (every retained version costs a target group, and ALB allows "
                        + "100 per load balancer)");
        assertThat(paths(RecordValidator.checkApp(inverted))).containsExactly("spec.retention.min");
        assertThat(paths(RecordValidator.checkApp(zero))).containsExactly("spec.retention.default", "spec.retention.min");
    }

    @Test
    void canaryRules() {
        App sameAsLive = withSpec(s -> new AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec("v2", new ReleaseSpec.Canary("V2", 10)), s.local()));
        App badWeightAndId = withSpec(s -> new AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec("v 2", new ReleaseSpec.Canary("v3/x", 101)), s.local()));
        App fine = withSpec(s -> new AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec("latest", new ReleaseSpec.Canary("v3", 0)), s.local()));

        assertThat(paths(RecordValidator.checkApp(sameAsLive))).containsExactly("spec.release.canary.version");
        assertThat(paths(RecordValidator.checkApp(badWeightAndId)))
                .containsExactly("spec.release.live", "spec.release.canary.version", "spec.release.canary.weight");
        assertThat(RecordValidator.checkApp(fine)).isEmpty();
    }

    @Test
    void platformIdsAndArns() {
        App a = withSpec(s -> new AppSpec(
                new PlatformSpec("my cluster", List.of(), List.of("sg-12"), "role/exec", "arn:aws:iam::123456789012:user/bob", "bad group!",
                        false, -1),
                s.router(), s.routing(), s.retention(), s.release(), new LocalSpec(List.of(), Map.of("bad-name", "x"))));

        assertThat(paths(RecordValidator.checkApp(a))).containsExactly(
                "spec.platform.cluster", "spec.platform.subnets", "spec.platform.securityGroups[0]", "spec.platform.executionRoleArn",
                "spec.platform.taskRoleArn", "spec.platform.logGroup", "spec.platform.retainedDesiredCount", "spec.local.command",
                "spec.local.env.bad-name");
    }

    @Test
    void labelledChecksPrefixTheLabel() {
        AppVersion v = versionWith(s -> sized(300, 512));

        assertThat(RecordValidator.check(new Subject.OfVersion("doc[1] (AppVersion shop/v1)", v))).extracting(Problem::path)
                .containsExactly("doc[1] (AppVersion shop/v1): spec.cpu");
    }
}
