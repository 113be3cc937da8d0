package dev.skewless.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import dev.skewless.model.validation.Problem;
import dev.skewless.testing.SampleRecords;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resources to records and back, without an API server: names, labels, metadata, problems. */
class KubernetesRecordsTest {

    @Test
    void aVersionIsNamedAppDotVersionWithItsAppInSpecAndLabel() {
        AppVersion v = SampleRecords.fullVersion();
        AppVersionResource r = KubernetesRecords.resource(v);
        assertThat(r.getMetadata().getName()).isEqualTo("shop.1.10");
        assertThat(r.getSpec().get("app").asText()).isEqualTo("shop");
        assertThat(r.getMetadata().getLabels()).containsEntry(KubernetesRecords.APP_LABEL, "shop").containsEntry("commit", "4f2a9c1");
        assertThat(r.getMetadata().getAnnotations()).containsEntry(KubernetesRecords.CREATED_ANNOTATION,
                v.metadata().creationTimestamp().toString());
        assertThat(r.getStatus()).as("status goes through the status subresource").isNull();
        assertThat(KubernetesRecords.resourceName(new VersionKey("shop", "1.10"))).isEqualTo("shop.1.10");
    }

    @Test
    void everyFieldReadsBack() {
        AppVersion v = SampleRecords.fullVersion();
        AppVersionResource r = KubernetesRecords.resource(v);
        r.getMetadata().setGeneration(v.metadata().generation());
        r.setStatus(KubernetesRecords.status(v.status()));
        KubernetesRecords.Bound<AppVersion> bound = KubernetesRecords.version(r);
        assertThat(bound.problems()).isEmpty();
        assertThat(bound.record()).isEqualTo(v);
        assertThat(bound.app()).isEqualTo("shop");

        App app = SampleRecords.fullApp();
        AppResource ar = KubernetesRecords.resource(app);
        ar.getMetadata().setGeneration(app.metadata().generation());
        ar.setStatus(KubernetesRecords.status(app.status()));
        assertThat(KubernetesRecords.app(ar).record()).isEqualTo(app);
    }

    @Test
    void theApiServersMetadataIsUsedWhereSkewlessWroteNone() {
        AppVersionResource r = KubernetesRecords.resource(SampleRecords.version("shop", "v1"));
        r.getMetadata().setAnnotations(null);
        r.getMetadata().setLabels(null);
        r.getMetadata().setGeneration(3L);
        r.getMetadata().setCreationTimestamp("2026-12-04T10:00:00Z");
        r.getMetadata().setDeletionTimestamp("2026-12-04T11:00:00Z");
        AppVersion v = KubernetesRecords.version(r).record();
        assertThat(v.key()).isEqualTo(new VersionKey("shop", "v1"));
        assertThat(v.metadata().generation()).isEqualTo(3);
        assertThat(v.metadata().creationTimestamp()).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
        assertThat(v.metadata().deletionTimestamp()).isEqualTo(Instant.parse("2026-12-04T11:00:00Z"));
        assertThat(v.metadata().labels()).isEmpty();
    }

    @Test
    void aResourceThatDoesNotBindComesBackWithEveryProblemAndItsFieldPath() {
        AppVersionResource r = KubernetesRecords.resource(SampleRecords.version("shop", "v1"));
        r.getSpec().put("imag", "typo").put("cpu", 300);
        r.getMetadata().setLabels(Map.of(KubernetesRecords.APP_LABEL, "blog"));
        KubernetesRecords.Bound<AppVersion> bound = KubernetesRecords.version(r);
        assertThat(bound.valid()).isFalse();
        assertThat(bound.value()).isEmpty();
        assertThat(bound.app()).as("still told from spec.app").isEqualTo("shop");
        assertThat(bound.problems()).extracting(Problem::path).contains("spec.imag", "metadata.labels");
        assertThat(bound.describeProblems()).startsWith("AppVersion shop.v1: ").contains("spec.imag");
    }

    @Test
    void theAppOfAVersionWithoutSpecAppComesFromItsLabelOrName() {
        AppVersionResource r = KubernetesRecords.resource(SampleRecords.version("shop", "v1"));
        r.getSpec().remove("app");
        assertThat(KubernetesRecords.appOf(r)).contains("shop");
        r.getMetadata().setLabels(null);
        assertThat(KubernetesRecords.appOf(r)).contains("shop");
        assertThat(KubernetesRecords.version(r).problems()).extracting(Problem::path).contains("spec.app");
    }
}
