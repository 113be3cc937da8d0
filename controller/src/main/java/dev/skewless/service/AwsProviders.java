package dev.skewless.service;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.AwsSettings;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.platform.ecs.EcsComputePlatform;
import dev.skewless.router.TrafficRouter;
import dev.skewless.router.alb.AlbTrafficRouter;
import dev.skewless.router.alb.RequestCounts;
import dev.skewless.store.dynamodb.DynamoLeaderLease;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.LeaseConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The production composition: DynamoDB store and lease on {@code SKEWLESS_TABLE}, ECS, ALB
 * (with CloudWatch request counts for idle expiry), every client from one {@link AwsClientFactory}
 * counting into the runtime's Prometheus registry. Region, credentials and endpoint come from the
 * SDK's default chains, so {@code AWS_ENDPOINT_URL} points the same binary at moto or LocalStack.
 *
 * <p>Environment: {@code SKEWLESS_TABLE} (default {@code skewless}), {@code SKEWLESS_LEASE_NAME}
 * (default {@code controller}: replicas sharing a name compete for one lease),
 * {@code SKEWLESS_VERSION} (reported in logs).
 */
public final class AwsProviders {
    /** Environment variable naming the lease. */
    public static final String LEASE_ENV = "SKEWLESS_LEASE_NAME";

    private AwsProviders() {}

    /** A builder with every AWS provider set from {@code env}; add observers or settings, then build. */
    public static ControllerRuntime.Builder fromEnvironment(Map<String, String> env) {
        return with(AwsSettings.DEFAULT, env);
    }

    /** Like {@link #fromEnvironment}, with explicit AWS settings (tests, benchmarks). */
    public static ControllerRuntime.Builder with(AwsSettings settings, Map<String, String> env) {
        String leaseName = env.getOrDefault(LEASE_ENV, "").isBlank() ? LeaseConfig.DEFAULT.name() : env.get(LEASE_ENV).strip();
        return with(settings, env, new LeaseConfig(leaseName, LeaseConfig.DEFAULT.duration(), LeaseConfig.DEFAULT.heartbeat(),
                LeaseConfig.DEFAULT.safetyMargin()));
    }

    /** Like {@link #with(AwsSettings, Map)}, with explicit lease timings (tests of failover and stalls). */
    public static ControllerRuntime.Builder with(AwsSettings settings, Map<String, String> env, LeaseConfig leaseConfig) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AwsClientFactory clients = new AwsClientFactory(settings, new AwsCallMetrics(registry));
        DynamoStoreConfig storeConfig = DynamoStoreConfig.fromEnvironment(env);
        InstantSource clock = InstantSource.system();

        DynamoDbClient ddb = clients.dynamoDb();
        DynamoDbStreamsClient streams = clients.dynamoDbStreams();
        DynamoVersionStore store = new DynamoVersionStore(ddb, streams, storeConfig, clock);
        DynamoDbClient leaseDdb = clients.leaseDynamoDb(leaseConfig.heartbeat());
        DynamoLeaderLease lease = new DynamoLeaderLease(leaseDdb, storeConfig.tableName(), LeaseConfig.defaultHolder(), leaseConfig, clock);
        Cloud cloud = cloud(clients);
        ControllerRuntime.Builder builder = ControllerRuntime.builder()
                .registry(registry)
                .store(store)
                .lease(lease, leaseConfig.heartbeat())
                .compute(cloud.compute())
                .router(cloud.router())
                .clock(clock)
                .version(env.getOrDefault("SKEWLESS_VERSION", "dev"))
                // Closed in reverse: the service clients first, the shared HTTP pool last.
                .closing(clients)
                .closing(ddb)
                .closing(leaseDdb)
                .closing(streams);
        cloud.closing().forEach(builder::closing);
        return builder;
    }

    /**
     * The AWS side both modes share: ECS (with Application Auto Scaling) and the ALB (with
     * CloudWatch request counts), on clients from {@code clients}. The controller adds the
     * DynamoDB store and lease; the Kubernetes operator uses the cluster for both.
     */
    public static Cloud cloud(AwsClientFactory clients) {
        EcsClient ecs = clients.ecs();
        var autoscaling = clients.applicationAutoScaling();
        ElasticLoadBalancingV2Client elb = clients.elbv2();
        var cloudWatch = clients.cloudWatch();
        return new Cloud(new EcsComputePlatform(ecs, autoscaling, null), new AlbTrafficRouter(elb, new RequestCounts(cloudWatch)),
                List.of(ecs, autoscaling, elb, cloudWatch));
    }

    /**
     * The AWS providers and the clients they run on.
     *
     * @param closing the service clients, to close (in reverse) when the replica stops, before the
     *                factory's shared HTTP pool
     */
    public record Cloud(ComputePlatform compute, TrafficRouter router, List<AutoCloseable> closing) {
        public Cloud {
            closing = List.copyOf(closing);
        }
    }
}
