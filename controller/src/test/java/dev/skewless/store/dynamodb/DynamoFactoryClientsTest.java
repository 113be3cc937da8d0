package dev.skewless.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.AwsSettings;
import dev.skewless.aws.CallRates;
import dev.skewless.testing.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The store's production clients come from {@link AwsClientFactory} with default settings, find
 * moto through the SDK's own configuration chain alone, and are counted by
 * {@code skewless.aws.calls} like every other AWS client. The SDK reads the endpoint from
 * {@code AWS_ENDPOINT_URL} or its system-property twin {@code aws.endpointUrl} (and the region and
 * credentials likewise); a test cannot set environment variables of its own JVM, so it sets the
 * system properties, which go through the same resolution.
 */
class DynamoFactoryClientsTest {
    @Test
    void clientsHonourTheConfiguredEndpointRegionAndCredentialsAndAreCounted() {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("aws.endpointUrl", moto.endpoint().toString());
        props.put("aws.region", MotoServer.REGION);
        props.put("aws.accessKeyId", MotoServer.ACCESS_KEY);
        props.put("aws.secretAccessKey", MotoServer.SECRET_KEY);
        props.forEach(System::setProperty);
        AwsCallMetrics metrics = new AwsCallMetrics(new SimpleMeterRegistry());
        try (AwsClientFactory factory = new AwsClientFactory(AwsSettings.DEFAULT, metrics);
                DynamoDbClient ddb = factory.dynamoDb(); DynamoDbStreamsClient streams = factory.dynamoDbStreams()) {
            TableSetup.Result table = TableSetup.create(ddb, "skewless");
            assertThat(ddb.listTables().tableNames()).containsExactly("skewless");
            assertThat(streams.listStreams().streams()).extracting(s -> s.streamArn()).contains(table.streamArn());
            assertThat(metrics.count("DynamoDB", "CreateTable", "ok")).isEqualTo(1);
            assertThat(metrics.count("DynamoDB", "ListTables", "ok")).isEqualTo(1);
            assertThat(metrics.count("ListStreams", "ok")).isEqualTo(1);
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void dynamoDbCallsAreNotPacedByTheControlPlaneBuckets() {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        // One token per operation per hour: a paced client would wait an hour for its second call.
        AwsSettings settings = AwsSettings.DEFAULT.withEndpoint(moto.endpoint())
                .withRegion(software.amazon.awssdk.regions.Region.of(MotoServer.REGION))
                .withCredentials(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .withRates(new CallRates(1.0 / 3600, 1, 1.0 / 3600, 1));
        AwsCallMetrics metrics = new AwsCallMetrics(new SimpleMeterRegistry());
        try (AwsClientFactory factory = new AwsClientFactory(settings, metrics); DynamoDbClient ddb = factory.dynamoDb()) {
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                ddb.listTables();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(metrics.count("DynamoDB", "ListTables", "ok")).isEqualTo(5);
        }
    }
}
