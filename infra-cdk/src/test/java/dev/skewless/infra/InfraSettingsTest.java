package dev.skewless.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraSettingsTest {
    @Test
    void defaultsDescribeTheDemo() {
        InfraSettings s = InfraSettings.defaults();
        assertThat(s.appName()).isEqualTo("shop");
        assertThat(s.owner()).isEqualTo("skewless");
        assertThat(s.vpc()).isEqualTo(InfraSettings.VpcChoice.DEFAULT);
        assertThat(s.https()).isFalse();
        assertThat(s.controllerDesiredCount()).isEqualTo(2);
        assertThat(s.pathPatterns()).containsExactly("/api/*");
        assertThat(s.maxRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(s.assetRetentionDays()).isEqualTo(7);
        assertThat(s.removal()).isEqualTo(InfraSettings.Removal.RETAIN);
        assertThat(s.backendStackName()).isEqualTo("skewless-shop-backend");
        assertThat(s.albAccess()).isEqualTo(InfraSettings.AlbAccess.CLOUDFRONT);
        assertThat(s.cloudFrontOnly()).isTrue();
        assertThat(s.originSecretGeneration()).isEqualTo(1);
    }

    @Test
    void aPublicAlbTakesNoOriginSecretAndTheAccessMustBeKnown() {
        assertThat(InfraSettings.fromContext(InfraSettings.mapContext(Map.of("albAccess", "public"))).cloudFrontOnly()).isFalse();
        assertThat(InfraSettings.fromContext(InfraSettings.mapContext(Map.of("originSecretGeneration", "4"))).originSecretGeneration())
                .isEqualTo(4);
        assertThatThrownBy(() -> InfraSettings.fromContext(InfraSettings.mapContext(Map.of(
                "albAccess", "public", "originSecretGeneration", "2"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactly("skewless:originSecretGeneration"));
        assertThatThrownBy(() -> InfraSettings.fromContext(InfraSettings.mapContext(Map.of(
                "albAccess", "vpn", "originSecretGeneration", "0"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactlyInAnyOrder("skewless:albAccess", "skewless:originSecretGeneration"));
    }

    @Test
    void valuesAreParsedAndAssetRetentionRoundsUp() {
        InfraSettings s = InfraSettings.fromContext(InfraSettings.mapContext(Map.of(
                "app", "checkout", "vpc", "NEW", "pathPatterns", "/api/*, /v2/*", "maxRetention", "36h",
                "priorityFrom", "2000", "priorityTo", "2049", "logRetentionDays", "90", "removal", "destroy")));
        assertThat(s.vpc()).isEqualTo(InfraSettings.VpcChoice.NEW);
        assertThat(s.pathPatterns()).containsExactly("/api/*", "/v2/*");
        assertThat(s.assetRetentionDays()).isEqualTo(2);
        assertThat(s.priorityFrom()).isEqualTo(2000);
        assertThat(s.removal()).isEqualTo(InfraSettings.Removal.DESTROY);
    }

    @Test
    void everyBadValueIsReportedWithItsKeyAndNothingIsBuilt() {
        assertThatThrownBy(() -> InfraSettings.fromContext(InfraSettings.mapContext(Map.of(
                "app", "Shop_1", "vpc", "mine", "certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
                "priorityFrom", "50", "priorityTo", "10", "logRetentionDays", "31", "maxRetention", "a week",
                "controllerDesiredCount", "two"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactlyInAnyOrder("skewless:app", "skewless:vpc", "skewless:albDomainName", "skewless:priorityTo",
                                "skewless:logRetentionDays", "skewless:maxRetention", "skewless:controllerDesiredCount"));
    }

    @Test
    void everyLogRetentionTheSettingsAcceptMapsToACdkValue() {
        List<Integer> days = InfraSettings.LOG_RETENTION_DAYS;
        for (int d : days) {
            assertThat(BackendStack.retentionDays(d)).as(d + " days").isNotNull();
        }
    }
}
