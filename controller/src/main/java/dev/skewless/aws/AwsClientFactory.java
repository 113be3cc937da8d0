package dev.skewless.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Builds every AWS client skewless uses the same way: one shared HTTP connection pool, the SDK's
 * adaptive retry mode (client-side rate limiting that backs off on throttling, with jittered
 * exponential backoff), a {@link CallThrottle} token bucket per operation before each attempt, and
 * {@link AwsCallMetrics} counting each attempt.
 *
 * <p>The DynamoDB and DynamoDB Streams clients of the store are built here too (counted, same
 * pool, retry and timeout) but not paced by the token buckets: DynamoDB limits capacity, not
 * per-operation request rates the way the ECS and ELBv2 control planes do; {@link CallRates}
 * would class {@code Query} and {@code Scan} as mutations; and a shared {@code UpdateItem} bucket
 * would queue the leader lease's heartbeat behind a burst of record writes. DynamoDB throttling
 * ({@code ProvisionedThroughputExceededException}, {@code ThrottlingException}) is still backed off
 * by the adaptive retry and counted as {@code throttled}.
 *
 * <p>Endpoint, region and credentials come from {@link AwsSettings}, and from the SDK's default
 * chains when unset. SDK 2.57 honours {@code AWS_ENDPOINT_URL} (and the per-service
 * {@code AWS_ENDPOINT_URL_<SERVICE>}, the {@code aws.endpointUrl} system property and the
 * {@code endpoint_url} profile setting) natively, so no override is applied unless the settings
 * name one. Close the factory after the clients it built.
 */
public final class AwsClientFactory implements AutoCloseable {
    private final AwsSettings settings;
    private final AwsCallMetrics metrics;
    private final CallThrottle throttle;
    private final SdkHttpClient http;

    public AwsClientFactory(AwsSettings settings, AwsCallMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.throttle = new CallThrottle(settings.rates());
        this.http = Apache5HttpClient.builder().maxConnections(50).build();
    }

    /** The call counter shared by every client of this factory. */
    public AwsCallMetrics metrics() {
        return metrics;
    }

    public EcsClient ecs() {
        return build(EcsClient.builder());
    }

    public ElasticLoadBalancingV2Client elbv2() {
        return build(ElasticLoadBalancingV2Client.builder());
    }

    /** Application Auto Scaling: the scalable targets and policies of autoscaled versions. */
    public ApplicationAutoScalingClient applicationAutoScaling() {
        return build(ApplicationAutoScalingClient.builder());
    }

    public CloudWatchClient cloudWatch() {
        return build(CloudWatchClient.builder());
    }

    /** The store's DynamoDB client: counted, retried, not paced (see the class comment). */
    public DynamoDbClient dynamoDb() {
        return build(DynamoDbClient.builder(), false);
    }

    /**
     * The leader lease's DynamoDB client: like {@link #dynamoDb()} but every call gives up after
     * {@code callTimeout}, so a hung renewal fails while the holding is still valid and the next
     * heartbeat tries again, instead of outliving the lease.
     */
    public DynamoDbClient leaseDynamoDb(Duration callTimeout) {
        return build(DynamoDbClient.builder(), false, callTimeout);
    }

    /** The store's DynamoDB Streams client (the change feed): counted, retried, not paced. */
    public DynamoDbStreamsClient dynamoDbStreams() {
        return build(DynamoDbStreamsClient.builder(), false);
    }

    /** Configures any synchronous SDK client builder the skewless way, paced per operation, and builds it. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return build(builder, true);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, boolean paced) {
        return build(builder, paced, settings.callTimeout());
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, boolean paced, Duration callTimeout) {
        ClientOverrideConfiguration.Builder config = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
                .apiCallTimeout(callTimeout)
                .addMetricPublisher(metrics);
        if (paced) {
            config.addExecutionInterceptor(throttle);
        }
        builder.httpClient(http).overrideConfiguration(config.build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        if (settings.region() != null) {
            builder.region(settings.region());
        }
        if (settings.credentials() != null) {
            builder.credentialsProvider(settings.credentials());
        }
        return builder.build();
    }

    @Override
    public void close() {
        http.close();
    }
}
