package dev.skewless.infra.deploy;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The SDK clients of the deploy commands, built on first use. With no overrides they use the
 * SDK's default credential, region and endpoint chains ({@code AWS_PROFILE}, {@code AWS_REGION},
 * {@code AWS_ENDPOINT_URL}, ...), like the cdk CLI and the controller; the overrides are for tests
 * against moto.
 */
public final class AwsClients implements AutoCloseable {
    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;

    private SsmClient ssm;
    private EcrClient ecr;
    private S3Client s3;
    private EcsClient ecs;
    private ElasticLoadBalancingV2Client elbv2;
    private DynamoDbClient dynamoDb;
    private DynamoDbStreamsClient dynamoDbStreams;

    /** Default chains for everything. */
    public AwsClients() {
        this(null, null, null);
    }

    /** Explicit endpoint, region and credentials (each may be null for the default chain). */
    public AwsClients(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    synchronized SsmClient ssm() {
        return ssm != null ? ssm : (ssm = configure(SsmClient.builder()).build());
    }

    synchronized EcrClient ecr() {
        return ecr != null ? ecr : (ecr = configure(EcrClient.builder()).build());
    }

    synchronized S3Client s3() {
        // Emulators (an endpoint override, AWS_ENDPOINT_URL) answer on one host name: address buckets by path there.
        boolean emulated = endpoint != null || System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null
                || System.getProperty("aws.endpointUrl") != null;
        return s3 != null ? s3 : (s3 = configure(S3Client.builder()).forcePathStyle(emulated).build());
    }

    synchronized EcsClient ecs() {
        return ecs != null ? ecs : (ecs = configure(EcsClient.builder()).build());
    }

    synchronized ElasticLoadBalancingV2Client elbv2() {
        return elbv2 != null ? elbv2 : (elbv2 = configure(ElasticLoadBalancingV2Client.builder()).build());
    }

    synchronized DynamoDbClient dynamoDb() {
        return dynamoDb != null ? dynamoDb : (dynamoDb = configure(DynamoDbClient.builder()).build());
    }

    synchronized DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams != null ? dynamoDbStreams : (dynamoDbStreams = configure(DynamoDbStreamsClient.builder()).build());
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(region);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[] {ssm, ecr, s3, ecs, elbv2, dynamoDb, dynamoDbStreams}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing an HTTP pool at exit; nothing to do about a failure
                }
            }
        }
    }
}
