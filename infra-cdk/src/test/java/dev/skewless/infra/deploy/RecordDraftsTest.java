package dev.skewless.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.AppVersion;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.validation.Subject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AppVersion {@code deploy:api} writes reads back as the release it was asked for. */
class RecordDraftsTest {
    private static AppVersion read(RecordDrafts.VersionDraft draft) {
        return ((Subject.OfVersion) RecordDrafts.read(RecordDrafts.appVersion(draft), "deploy:api").subjects().getFirst()).version();
    }

    @Test
    void autoscalingOptionsBecomeSpecAutoscaling() {
        AppVersion v = read(new RecordDrafts.VersionDraft("shop", "v4", "repo/shop-api:v4", 256, 512, 2, Map.of("DEPLOYMENT_ID", "v4"),
                "/health", Map.of("minCount", 2, "maxCount", 6, "requestsPerTarget", 1000)));
        assertThat(v.spec().autoscaling()).isEqualTo(new AutoscalingSpec(2, 6, null, 1000, null, null));
        assertThat(v.spec().autoscaling().metric()).isEqualTo(AutoscalingSpec.Metric.REQUESTS);
    }

    @Test
    void withoutAutoscalingOptionsTheVersionHasAFixedSize() {
        AppVersion v = read(new RecordDrafts.VersionDraft("shop", "v4", "repo/shop-api:v4", 256, 512, 3, Map.of("DEPLOYMENT_ID", "v4"),
                "/health"));
        assertThat(v.spec().autoscaling()).isNull();
        assertThat(v.spec().desiredCount()).isEqualTo(3);
    }
}
