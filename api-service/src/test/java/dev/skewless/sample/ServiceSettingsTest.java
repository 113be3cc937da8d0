package dev.skewless.sample;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        ServiceSettings settings = ServiceSettings.fromEnvironment(Map.of());

        assertThat(settings).isEqualTo(new ServiceSettings("dev", ApiSchema.V1, 8080));
    }

    @Test
    void readsVersionSchemaAndPort() {
        ServiceSettings settings = ServiceSettings.fromEnvironment(Map.of(
                "DEPLOYMENT_ID", "2026.11.25-1", "API_SCHEMA", "V2", "PORT", "41234"));

        assertThat(settings).isEqualTo(new ServiceSettings("2026.11.25-1", ApiSchema.V2, 41234));
    }

    @Test
    void micronautsOwnPortVariableWinsOverPort() {
        ServiceSettings settings = ServiceSettings.fromEnvironment(Map.of(
                "MICRONAUT_SERVER_PORT", "9001", "PORT", "9002"));

        assertThat(settings.port()).isEqualTo(9001);
    }

    @Test
    void blankValuesMeanTheDefault() {
        ServiceSettings settings = ServiceSettings.fromEnvironment(Map.of(
                "DEPLOYMENT_ID", " ", "API_SCHEMA", "", "MICRONAUT_SERVER_PORT", "", "PORT", "7000"));

        assertThat(settings).isEqualTo(new ServiceSettings("dev", ApiSchema.V1, 7000));
    }

    @Test
    void everyBadVariableIsListed() {
        assertThatThrownBy(() -> ServiceSettings.fromEnvironment(Map.of(
                "DEPLOYMENT_ID", "v1/../etc", "API_SCHEMA", "v3", "PORT", "http")))
                .isInstanceOfSatisfying(ServiceSettings.InvalidSettings.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "DEPLOYMENT_ID: 'v1/../etc' must match [A-Za-z0-9._-]{1,64}",
                                "API_SCHEMA: 'v3' must be v1 or v2",
                                "PORT: 'http' must be a port number 0..65535"));
    }

    @Test
    void commandLineOptionsWinOverTheEnvironment() {
        ServiceSettings settings = ServiceSettings.fromEnvironment(
                Map.of("DEPLOYMENT_ID", "v1", "API_SCHEMA", "v1", "MICRONAUT_SERVER_PORT", "9001"),
                List.of("--deployment-id=v2", "--api-schema=v2", "--port=9100"));

        assertThat(settings).isEqualTo(new ServiceSettings("v2", ApiSchema.V2, 9100));
    }

    @Test
    void badOptionsAreListedByTheirOwnNames() {
        assertThatThrownBy(() -> ServiceSettings.fromEnvironment(Map.of(),
                List.of("--port=x", "--api-schema=v9", "--verbose")))
                .isInstanceOfSatisfying(ServiceSettings.InvalidSettings.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "--verbose: unknown option; expected --deployment-id=, --api-schema= or --port=",
                                "--api-schema: 'v9' must be v1 or v2",
                                "--port: 'x' must be a port number 0..65535"));
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertThatThrownBy(() -> ServiceSettings.fromEnvironment(Map.of("MICRONAUT_SERVER_PORT", "70000")))
                .hasMessageContaining("MICRONAUT_SERVER_PORT: '70000' must be a port number 0..65535");
    }
}
