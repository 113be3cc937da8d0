package dev.skewless.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.ManifestWriter;
import dev.skewless.testing.ManifestSchemas;
import dev.skewless.testing.SampleRecords;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code spec.autoscaling}: the validator names every problem with its field path, the JSON
 * Schema refuses what it can express of the same rules, and both accept the same valid specs.
 */
class AutoscalingValidationTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static AppVersion version(AutoscalingSpec a) {
        return new AppVersion(ObjectMeta.ofVersion("shop", "v1"), SampleRecords.versionSpec().withAutoscaling(a), null);
    }

    private static List<String> paths(AutoscalingSpec a) {
        return RecordValidator.checkVersion(version(a)).stream().map(Problem::path).toList();
    }

    private static List<String> schemaErrors(AutoscalingSpec a) throws Exception {
        ObjectNode doc = (ObjectNode) YAML.readTree(ManifestWriter.write(ManifestWriter.Format.JSON, version(a)));
        return ManifestSchemas.errors(doc);
    }

    private static Integer integer(String s) {
        return s == null || s.isBlank() ? null : Integer.valueOf(s.strip());
    }

    /** min, max, cpu, requests, scaleIn (s), expected paths ('|'-separated; empty = valid), also refused by the schema. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "2; 10; 60; -; 300; ''; false",
        "1; 1; -; 1000; 0; ''; false",
        "1000; 1000; 100; -; 3600; ''; false",
        "0; 10; 60; -; 300; spec.autoscaling.minCount; true",
        "2; 1001; 60; -; 300; spec.autoscaling.maxCount; true",
        "5; 2; 60; -; 300; spec.autoscaling.maxCount; false",
        "2; 10; -; -; 300; spec.autoscaling; true",
        "2; 10; 60; 500; 300; spec.autoscaling; true",
        "2; 10; 0; -; 300; spec.autoscaling.cpuPercent; true",
        "2; 10; 101; -; 300; spec.autoscaling.cpuPercent; true",
        "2; 10; -; 0; 300; spec.autoscaling.requestsPerTarget; true",
        "2; 10; -; 100001; 300; spec.autoscaling.requestsPerTarget; true",
        "2; 10; 60; -; 3601; spec.autoscaling.scaleInCooldown; false",
        "0; 0; 0; -; 300; spec.autoscaling.minCount|spec.autoscaling.maxCount|spec.autoscaling.cpuPercent; true",
    })
    void validatorAndSchemaAgree(int min, int max, String cpu, String requests, int scaleIn, String expected, boolean schemaRefuses)
            throws Exception {
        AutoscalingSpec a = new AutoscalingSpec(min, max, integer(cpu), integer(requests), Duration.ofSeconds(scaleIn), null);
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split("\\|"));

        assertThat(paths(a)).containsExactlyInAnyOrderElementsOf(want);
        if (want.isEmpty()) {
            assertThat(schemaErrors(a)).isEmpty();
        } else if (schemaRefuses) {
            assertThat(schemaErrors(a)).isNotEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "'minCount: 2\nmaxCount: 6\ncpuPercent: 55'; 2; 6; 55; ; 300",
        "'minCount: 1\nmaxCount: 3\nrequestsPerTarget: 800\nscaleInCooldown: 10m\nscaleOutCooldown: 45s'; 1; 3; ; 800; 600",
    })
    void readsAndWritesTheManifestForm(String block, int min, int max, Integer cpu, Integer requests, long scaleInSeconds) {
        String manifest = """
                apiVersion: skewless.dev/v1alpha1
                kind: AppVersion
                metadata: {app: shop, name: v1}
                spec:
                  image: repo/api:1
                  cpu: 256
                  memory: 512
                  containerPort: 8080
                  autoscaling:
                """ + block.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
        var read = ManifestReader.read(manifest);
        assertThat(read.problems()).isEmpty();
        AppVersion v = ((Subject.OfVersion) read.subjects().getFirst()).version();
        AutoscalingSpec a = v.spec().autoscaling();

        assertThat(a).isEqualTo(new AutoscalingSpec(min, max, cpu, requests, Duration.ofSeconds(scaleInSeconds),
                a.scaleOutCooldown()));
        assertThat(v.spec().initialCount()).isEqualTo(min);
        assertThat(RecordValidator.checkVersion(v)).isEmpty();
        AppVersion again = ((Subject.OfVersion) ManifestReader.read(ManifestWriter.write(ManifestWriter.Format.YAML, v))
                .subjects().getFirst()).version();
        assertThat(again.spec()).isEqualTo(v.spec());
    }
}
