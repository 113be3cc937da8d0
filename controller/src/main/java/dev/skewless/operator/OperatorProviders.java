package dev.skewless.operator;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.AwsSettings;
import dev.skewless.operator.admission.AdmissionServer;
import dev.skewless.operator.admission.AdmissionServerOptions;
import dev.skewless.operator.admission.RecordAdmission;
import dev.skewless.service.AwsProviders;
import dev.skewless.store.kubernetes.KubernetesVersionStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import java.util.Map;

/**
 * The production composition of {@code skewless operator}: the cluster is the store and holds the
 * Lease; ECS and the ALB are the same providers as controller mode's ({@link AwsProviders#cloud}),
 * on clients counting into the operator's Prometheus registry. Region, credentials and endpoint
 * come from the SDK's default chains (IRSA or EKS Pod Identity in a cluster; {@code
 * AWS_ENDPOINT_URL} points it at moto).
 *
 * <p>Environment: {@code SKEWLESS_NAMESPACES}, {@code SKEWLESS_LEASE_NAME},
 * {@code SKEWLESS_LEASE_NAMESPACE} ({@link OperatorSettings#fromEnvironment}),
 * {@code SKEWLESS_VERSION} (reported in logs).
 */
public final class OperatorProviders {
    private OperatorProviders() {}

    /** A builder with every provider set from {@code env}; adjust settings or observers, then build. */
    public static SkewlessOperator.Builder fromEnvironment(Map<String, String> env, KubernetesClient client) {
        return with(AwsSettings.DEFAULT, env, client);
    }

    /** Like {@link #fromEnvironment}, with explicit AWS settings (tests against moto). */
    public static SkewlessOperator.Builder with(AwsSettings aws, Map<String, String> env, KubernetesClient client) {
        OperatorSettings settings = OperatorSettings.fromEnvironment(env);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AwsClientFactory clients = new AwsClientFactory(aws, new AwsCallMetrics(registry));
        AwsProviders.Cloud cloud = AwsProviders.cloud(clients);
        InstantSource clock = InstantSource.system();
        // Readers (status API, status feed, metrics) see the first watched namespace, or the current one.
        String readNamespace = settings.namespaces().isEmpty() || settings.allNamespaces()
                ? currentNamespace(client) : settings.namespaces().iterator().next();
        KubernetesVersionStore records = new KubernetesVersionStore(client, readNamespace, clock);
        SkewlessOperator.Builder builder = SkewlessOperator.builder()
                .client(client)
                .settings(settings)
                .registry(registry)
                .records(records)
                .compute(cloud.compute())
                .router(cloud.router())
                .clock(clock)
                .version(env.getOrDefault("SKEWLESS_VERSION", "dev"))
                // Closed in reverse: the watches, the service clients, then the shared HTTP pool.
                .closing(clients);
        cloud.closing().forEach(builder::closing);
        return builder.closing(records);
    }

    /**
     * The validating admission webhook ({@link AdmissionServer}), started, when {@code options}
     * say where its certificate is; it checks records with the same validator as apply and the
     * operator, reading each review's namespace through the cluster.
     */
    public static AdmissionServer startWebhook(AdmissionServerOptions options, KubernetesClient client) {
        RecordAdmission admission = new RecordAdmission(namespace -> new KubernetesVersionStore(client, namespace, InstantSource.system()));
        return AdmissionServer.start(options, admission);
    }

    static String currentNamespace(KubernetesClient client) {
        String ns = client.getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }
}
