package dev.skewless.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.testing.MotoServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The production clients find moto through the SDK's own configuration chain alone. The SDK reads
 * the endpoint from {@code AWS_ENDPOINT_URL} or its system-property twin {@code aws.endpointUrl}
 * (and the region and credentials likewise); a test cannot set environment variables of its own
 * JVM, so it sets the system properties, which go through the same resolution.
 */
class DynamoClientsTest {
    @Test
    void clientsHonourTheConfiguredEndpointRegionAndCredentials() {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("aws.endpointUrl", moto.endpoint().toString());
        props.put("aws.region", MotoServer.REGION);
        props.put("aws.accessKeyId", MotoServer.ACCESS_KEY);
        props.put("aws.secretAccessKey", MotoServer.SECRET_KEY);
        props.forEach(System::setProperty);
        try (DynamoDbClient ddb = DynamoClients.dynamoDb(); DynamoDbStreamsClient streams = DynamoClients.streams()) {
            TableSetup.Result table = TableSetup.create(ddb, "skewless");
            assertThat(ddb.listTables().tableNames()).containsExactly("skewless");
            assertThat(streams.listStreams().streams()).extracting(s -> s.streamArn()).contains(table.streamArn());
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }
}
