package dev.skewless.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.testing.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/** The shared moto_server starts, answers the SDK, and resets to an empty account. */
class MotoServerTest {
    @Test
    void startsAnswersAndResets() {
        MotoServer moto = MotoServer.shared();
        try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            ddb.createTable(b -> b.tableName("probe").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType("HASH").build()));
            assertThat(ddb.listTables().tableNames()).contains("probe");
            moto.reset();
            assertThat(ddb.listTables().tableNames()).isEmpty();
        }
    }
}
