package dev.skewless.model.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.skewless.testing.ManifestSchemas;
import dev.skewless.testing.SampleRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schemas are strict where the validator is, as far as a schema can say it. */
class ManifestSchemaTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static ObjectNode version() throws Exception {
        return (ObjectNode) YAML.readTree(ManifestWriter.write(ManifestWriter.Format.JSON, SampleRecords.version("shop", "v1")));
    }

    private static ObjectNode app() throws Exception {
        return (ObjectNode) YAML.readTree(ManifestWriter.write(ManifestWriter.Format.JSON, SampleRecords.app("shop")));
    }

    @Test
    void refusesUnknownFieldsAtEveryLevel() throws Exception {
        ObjectNode v = version();
        v.put("extra", 1);
        ((ObjectNode) v.get("metadata")).put("nmae", "x");
        ((ObjectNode) v.get("spec")).put("cpus", 1);
        ((ObjectNode) v.at("/spec/healthCheck")).put("port", 1);

        assertThat(ManifestSchemas.errors(v)).hasSize(4);
    }

    @ParameterizedTest
    @CsvSource({"256, 512, true", "256, 1536, false", "512, 4096, true", "512, 5120, false", "4096, 30720, true",
                "8192, 20480, true", "8192, 18432, false", "16384, 122880, true", "300, 512, false"})
    void knowsTheFargateTable(int cpu, int memory, boolean valid) throws Exception {
        ObjectNode v = version();
        ((ObjectNode) v.get("spec")).put("cpu", cpu).put("memory", memory);

        assertThat(ManifestSchemas.errors(v).isEmpty()).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/spec/router/listenerArn | arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1/2",
        "/spec/routing/header | Host",
        "/spec/routing/header | sec-fetch-mode",
        "/spec/routing/query | a=b",
        "/spec/retention/default | 24 hours",
        "/metadata/name | Shop",
        "/metadata/name | a-very-long-app-name",
    })
    void refusesBadAppValues(String pointer, String value) throws Exception {
        ObjectNode a = app();
        JsonNode parent = a.at(pointer.substring(0, pointer.lastIndexOf('/')));
        if (parent.isMissingNode()) {
            ObjectNode spec = (ObjectNode) a.get("spec");
            spec.putObject("routing");
            parent = a.at(pointer.substring(0, pointer.lastIndexOf('/')));
        }
        ((ObjectNode) parent).put(pointer.substring(pointer.lastIndexOf('/') + 1), value);

        assertThat(ManifestSchemas.errors(a)).isNotEmpty();
    }

    @Test
    void reservesLatestAsAVersionId() throws Exception {
        ObjectNode v = version();
        ((ObjectNode) v.get("metadata")).put("name", "Latest");

        assertThat(ManifestSchemas.errors(v)).isNotEmpty();
    }
}
