package dev.skewless.store.dynamodb;

import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Builds the production DynamoDB clients.
 *
 * <p>Nothing is configured by hand on purpose: SDK 2.x resolves credentials through the default
 * provider chain (environment, profile, web identity, ECS task role, IMDS), the region through the
 * default region chain ({@code AWS_REGION}, profile, IMDS), and the endpoint from
 * {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_DYNAMODB} (and
 * {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS}) or the profile's {@code endpoint_url}. So the same
 * binary talks to AWS, LocalStack or moto by environment alone.
 */
public final class DynamoClients {
    private DynamoClients() {}

    /** A DynamoDB client from the SDK's default chains. */
    public static DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().httpClientBuilder(Apache5HttpClient.builder()).build();
    }

    /** A DynamoDB Streams client from the SDK's default chains. */
    public static DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder().httpClientBuilder(Apache5HttpClient.builder()).build();
    }
}
