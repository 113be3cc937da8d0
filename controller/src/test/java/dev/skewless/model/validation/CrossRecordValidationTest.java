package dev.skewless.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.testing.SampleRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrossRecordValidationTest {

    private static Subject doc(int i, App app) {
        return new Subject.OfApp("doc[" + i + "] (App " + app.name() + ")", app);
    }

    private static Subject doc(int i, AppVersion v) {
        return new Subject.OfVersion("doc[" + i + "] (AppVersion " + v.key() + ")", v);
    }

    private static List<String> paths(List<Problem> problems) {
        return problems.stream().map(Problem::path).toList();
    }

    private static App onListener(String name, String listener, int from, int to, boolean owns) {
        App a = SampleRecords.app(name);
        return new App(a.metadata(), new AppSpec(a.spec().platform(),
                new RouterSpec(listener, new PriorityRange(from, to), List.of("/" + name + "/*"), List.of(), null, owns, null),
                null, null, null, null), null);
    }

    @ParameterizedTest
    @CsvSource({"100, 199, 200, 299, false", "100, 199, 199, 299, true", "100, 199, 50, 100, true", "100, 199, 120, 130, true",
                "100, 199, 1, 99, false"})
    void priorityRangesOfAppsOnOneListenerMustNotOverlap(int aFrom, int aTo, int bFrom, int bTo, boolean overlap) {
        App shop = onListener("shop", SampleRecords.LISTENER, aFrom, aTo, false);
        App blog = onListener("blog", SampleRecords.LISTENER, bFrom, bTo, false);

        List<Problem> againstStored = RecordValidator.validate(List.of(doc(0, shop)), List.of(blog), List.of());
        List<Problem> bothApplied = RecordValidator.validate(List.of(doc(0, shop), doc(1, blog)), List.of(), List.of());

        assertThat(paths(againstStored)).isEqualTo(overlap ? List.of("doc[0] (App shop): spec.router.priorities") : List.of());
        assertThat(paths(bothApplied)).isEqualTo(overlap
                ? List.of("doc[0] (App shop): spec.router.priorities", "doc[1] (App blog): spec.router.priorities")
                : List.of());
    }

    @Test
    void anOverlapNamesTheOtherAppAndWhereItComesFrom() {
        App shop = onListener("shop", SampleRecords.LISTENER, 100, 199, false);
        App blog = onListener("blog", SampleRecords.LISTENER, 150, 249, false);

        assertThat(RecordValidator.validate(List.of(doc(0, shop)), List.of(blog), List.of())).extracting(Problem::toString).containsExactly(
                "doc[0] (App shop): spec.router.priorities: priorities 100..199 overlap 150..249 of App blog (already stored) on the same "
                        + "listener; Apps sharing a listener need ranges that do not overlap");
    }

    @Test
    void rangesOnDifferentListenersMayOverlap() {
        App shop = onListener("shop", SampleRecords.LISTENER, 100, 199, false);
        App blog = onListener("blog", SampleRecords.OTHER_LISTENER, 100, 199, false);

        assertThat(RecordValidator.validate(List.of(doc(0, shop), doc(1, blog)), List.of(), List.of())).isEmpty();
    }

    @Test
    void reApplyingAStoredAppDoesNotOverlapWithItself() {
        App shop = onListener("shop", SampleRecords.LISTENER, 100, 199, false);
        App moved = onListener("shop", SampleRecords.LISTENER, 150, 249, false);

        assertThat(RecordValidator.validate(List.of(doc(0, moved)), List.of(shop), List.of())).isEmpty();
    }

    @Test
    void anAppThatOwnsTheListenerMustBeAlone() {
        App owner = onListener("shop", SampleRecords.LISTENER, 100, 199, true);
        App other = onListener("blog", SampleRecords.LISTENER, 500, 599, false);

        assertThat(paths(RecordValidator.validate(List.of(doc(0, owner)), List.of(other), List.of())))
                .containsExactly("doc[0] (App shop): spec.router.ownsListener");
        assertThat(paths(RecordValidator.validate(List.of(doc(0, other)), List.of(owner), List.of())))
                .containsExactly("doc[0] (App blog): spec.router.ownsListener");
    }

    @Test
    void versionIdsOfOneAppMustDifferIgnoringCase() {
        App shop = SampleRecords.app("shop");
        AppVersion stored = SampleRecords.version("shop", "v2");
        AppVersion upper = SampleRecords.version("shop", "V2");
        AppVersion otherApp = SampleRecords.version("blog", "V2");

        List<Problem> problems = RecordValidator.validate(List.of(doc(0, upper)), List.of(shop), List.of(stored));

        assertThat(problems).extracting(Problem::toString).containsExactly("doc[0] (AppVersion shop/V2): metadata.name: 'V2' differs from "
                + "version 'v2' (already stored) only in letter case; ALB compares pin values ignoring case, so the two could not be told "
                + "apart. Choose another id");
        assertThat(RecordValidator.validate(List.of(doc(0, otherApp), doc(1, onListener("blog", SampleRecords.LISTENER, 300, 399, false))), List.of(shop), List.of(stored)))
                .isEmpty();
    }

    @Test
    void caseCollisionsWithinOneApplyAreReportedOnBothDocuments() {
        List<Subject> input = List.of(doc(0, SampleRecords.app("shop")), doc(1, SampleRecords.version("shop", "Release-1")),
                doc(2, SampleRecords.version("shop", "release-1")));

        assertThat(paths(RecordValidator.validate(input, List.of(), List.of()))).containsExactly(
                "doc[1] (AppVersion shop/Release-1): metadata.name", "doc[2] (AppVersion shop/release-1): metadata.name");
    }

    @Test
    void reApplyingAStoredVersionIsNotACollision() {
        AppVersion v2 = SampleRecords.version("shop", "v2");

        assertThat(RecordValidator.validate(List.of(doc(0, v2)), List.of(SampleRecords.app("shop")), List.of(v2))).isEmpty();
    }

    @Test
    void aVersionNeedsItsAppInTheInputOrInTheStore() {
        AppVersion orphan = SampleRecords.version("shop", "v1");

        assertThat(RecordValidator.validate(List.of(doc(0, orphan)), List.of(), List.of())).extracting(Problem::toString).containsExactly(
                "doc[0] (AppVersion shop/v1): spec.app: App 'shop' does not exist; include its App document in this apply or apply it first");
        assertThat(RecordValidator.validate(List.of(doc(0, orphan), doc(1, SampleRecords.app("shop"))), List.of(), List.of())).isEmpty();
        assertThat(RecordValidator.validate(List.of(doc(0, orphan)), List.of(SampleRecords.app("shop")), List.of())).isEmpty();
    }

    @Test
    void aRecordTwiceInOneApplyIsReportedOnTheSecond() {
        List<Subject> input = List.of(doc(0, SampleRecords.app("shop")), doc(1, SampleRecords.version("shop", "v1")),
                doc(2, SampleRecords.app("shop")), doc(3, SampleRecords.version("shop", "v1")));

        assertThat(RecordValidator.validate(input, List.of(), List.of())).extracting(Problem::toString).containsExactly(
                "doc[2] (App shop): metadata.name: App shop is also defined in doc[0] (App shop); each record may appear only once per apply",
                "doc[3] (AppVersion shop/v1): metadata.name: AppVersion shop/v1 is also defined in doc[1] (AppVersion shop/v1); each record "
                        + "may appear only once per apply");
    }

    @Test
    void aRetentionOverrideMustFitItsAppsBounds() {
        App shop = SampleRecords.app("shop"); // 5m..7d
        AppVersion tooLong = withRetention(SampleRecords.version("shop", "v1"), Duration.ofDays(8));
        AppVersion fine = withRetention(SampleRecords.version("shop", "v2"), Duration.ofDays(7));

        assertThat(RecordValidator.validate(List.of(doc(0, tooLong), doc(1, fine)), List.of(shop), List.of()))
                .extracting(Problem::toString).containsExactly("doc[0] (AppVersion shop/v1): spec.retention: 8d is outside the retention "
                        + "bounds of App shop (5m..7d); pick a window in that range or change the App's spec.retention.min/max");
    }

    @Test
    void anAppliedAppsNewBoundsApplyToVersionsInTheSameApply() {
        App stored = SampleRecords.app("shop");
        App tighter = new App(stored.metadata(), new AppSpec(stored.spec().platform(), stored.spec().router(), null,
                new RetentionSpec(Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofHours(2), null, 5), null, null), null);
        AppVersion v = withRetention(SampleRecords.version("shop", "v1"), Duration.ofHours(3));

        assertThat(paths(RecordValidator.validate(List.of(doc(0, tighter), doc(1, v)), List.of(stored), List.of())))
                .containsExactly("doc[1] (AppVersion shop/v1): spec.retention");
    }

    @Test
    void retainedTasksMayNotExceedAVersionsDesiredCount() {
        App keepsThree = withPlatform(SampleRecords.app("shop"), 3, "arn:aws:iam::123456789012:role/exec");
        AppVersion two = withDesired(SampleRecords.version("shop", "v1"), 2);
        AppVersion retired = new AppVersion(ObjectMeta.ofVersion("shop", "v0"), SampleRecords.versionSpec(),
                AppVersionStatus.PENDING.toBuilder().phase(Phase.Retired).build());

        // The App is stored: the applied version is the one to fix.
        assertThat(paths(RecordValidator.validate(List.of(doc(0, two)), List.of(keepsThree), List.of())))
                .containsExactly("doc[0] (AppVersion shop/v1): spec.desiredCount");
        // The App is applied: reported once, on the App, naming the smallest version; retired versions do not count.
        assertThat(RecordValidator.validate(List.of(doc(0, keepsThree), doc(1, two)), List.of(), List.of(withDesired(retired, 1))))
                .extracting(Problem::toString).containsExactly("doc[0] (App shop): spec.platform.retainedDesiredCount: 3 tasks per superseded "
                        + "version is more than version v1 runs (desiredCount 2); use at most 2");
    }

    @Test
    void versionsWithSecretsNeedAnExecutionRole() {
        App noRole = withPlatform(SampleRecords.app("shop"), 1, null);
        AppVersion withSecret = new AppVersion(ObjectMeta.ofVersion("shop", "v1"), new AppVersionSpec("img", 256, 512, 1, 8080, null,
                Map.of("DB", "arn:aws:ssm:eu-west-1:123456789012:parameter/db"), null, null, false), null);

        assertThat(paths(RecordValidator.validate(List.of(doc(0, withSecret)), List.of(noRole), List.of())))
                .containsExactly("doc[0] (AppVersion shop/v1): spec.secrets");
        assertThat(paths(RecordValidator.validate(List.of(doc(0, noRole)), List.of(), List.of(withSecret))))
                .containsExactly("doc[0] (App shop): spec.platform.executionRoleArn");
    }

    @Test
    void storedRecordsAreContextNotSubjects() {
        // Two stored Apps overlap each other (say, written before this rule existed): applying something else is not blocked.
        App a = onListener("a", SampleRecords.LISTENER, 100, 199, false);
        App b = onListener("b", SampleRecords.LISTENER, 150, 249, false);

        assertThat(RecordValidator.validate(List.of(doc(0, SampleRecords.version("a", "v1"))), List.of(a, b), List.of())).isEmpty();
    }

    @Test
    void problemsAreGroupedByDocumentAndRequireValidThrowsThemAllAtOnce() {
        AppVersion bad = new AppVersion(ObjectMeta.ofVersion("shop", "V1"), new AppVersionSpec("", 300, 512, 0, 0, null, null, null, null,
                false), null);
        List<Subject> input = List.of(doc(0, SampleRecords.app("shop")), doc(1, SampleRecords.version("shop", "v1")), doc(2, bad));

        assertThatThrownBy(() -> RecordValidator.requireValid(input, List.of(), List.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(paths(e.problems())).containsExactly(
                            "doc[1] (AppVersion shop/v1): metadata.name",
                            "doc[2] (AppVersion shop/V1): spec.image",
                            "doc[2] (AppVersion shop/V1): spec.cpu",
                            "doc[2] (AppVersion shop/V1): spec.desiredCount",
                            "doc[2] (AppVersion shop/V1): spec.containerPort",
                            "doc[2] (AppVersion shop/V1): metadata.name");
                    assertThat(e.getMessage()).startsWith("6 problems:\n  doc[1] (AppVersion shop/v1): metadata.name: ")
                            .hasLineCount(7);
                });
    }

    private static AppVersion withRetention(AppVersion v, Duration retention) {
        AppVersionSpec s = v.spec();
        return new AppVersion(v.metadata(), new AppVersionSpec(s.image(), s.cpu(), s.memory(), s.desiredCount(), s.containerPort(), s.env(),
                s.secrets(), s.healthCheck(), retention, s.revoked()), null);
    }

    private static AppVersion withDesired(AppVersion v, int desired) {
        AppVersionSpec s = v.spec();
        return new AppVersion(v.metadata(), new AppVersionSpec(s.image(), s.cpu(), s.memory(), desired, s.containerPort(), s.env(),
                s.secrets(), s.healthCheck(), s.retention(), s.revoked()), v.status());
    }

    private static App withPlatform(App a, int retained, String executionRole) {
        PlatformSpec p = a.spec().platform();
        return new App(a.metadata(), new AppSpec(new PlatformSpec(p.cluster(), p.subnets(), p.securityGroups(), executionRole, p.taskRoleArn(),
                p.logGroup(), p.assignPublicIp(), retained), a.spec().router(), null, null, null, null), null);
    }
}
