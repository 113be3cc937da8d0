package dev.skewless.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.testing.MotoServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/** Clients from the factory reach the endpoint the SDK's own configuration names. */
class AwsClientFactoryTest {
    @Test
    void theSdkHonoursTheConfiguredEndpointUrlNatively() {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        AwsSettings noOverride = MotoAccount.settings(moto.endpoint()).withEndpoint(null);
        // aws.endpointUrl is the system-property twin of AWS_ENDPOINT_URL, read by the same chain.
        String before = System.getProperty("aws.endpointUrl");
        System.setProperty("aws.endpointUrl", moto.endpoint().toString());
        try (AwsClientFactory factory = new AwsClientFactory(noOverride, new AwsCallMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
                EcsClient ecs = factory.ecs()) {
            ecs.createCluster(b -> b.clusterName("via-endpoint-url"));
            assertThat(ecs.listClusters().clusterArns()).singleElement().asString().endsWith("/via-endpoint-url");
            assertThat(factory.metrics().count("ECS", "CreateCluster", "ok")).isEqualTo(1);
        } finally {
            if (before == null) {
                System.clearProperty("aws.endpointUrl");
            } else {
                System.setProperty("aws.endpointUrl", before);
            }
        }
    }

    @Test
    void defaultsArePoliteAndRetrying() {
        assertThat(AwsSettings.DEFAULT.endpoint()).isNull();
        assertThat(AwsSettings.DEFAULT.region()).isNull();
        assertThat(AwsSettings.DEFAULT.credentials()).isNull();
        assertThat(AwsSettings.DEFAULT.maxAttempts()).isGreaterThan(1);
        assertThat(AwsSettings.DEFAULT.rates().mutatePerSecond()).isLessThan(AwsSettings.DEFAULT.rates().describePerSecond());
        assertThat(AwsSettings.DEFAULT.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    }
}
