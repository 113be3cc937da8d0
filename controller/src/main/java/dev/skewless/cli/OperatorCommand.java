package dev.skewless.cli;

import dev.skewless.api.ControllerServer;
import dev.skewless.api.ServerOptions;
import dev.skewless.operator.OperatorProviders;
import dev.skewless.operator.OperatorSettings;
import dev.skewless.operator.SkewlessOperator;
import dev.skewless.operator.admission.AdmissionServerOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** {@code skewless operator}: the Kubernetes operator, App and AppVersion custom resources as the store. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        header = "Run the Kubernetes operator until SIGTERM: App and AppVersion resources are the records.",
        description = {
            "Reconciles ECS services, target groups and listener rules toward the App and AppVersion custom resources "
                    + "(apps.skewless.dev, appversions.skewless.dev) of the watched namespaces, with the same planner and AWS "
                    + "providers as `skewless controller`. The cluster comes from KUBECONFIG or the pod's service account; AWS "
                    + "from the SDK's default chains (IRSA or EKS Pod Identity). Replicas compete for a coordination.k8s.io "
                    + "Lease: one leads, the others stand by and make no AWS call.",
            "",
            "HTTP on SKEWLESS_PORT (default 8080): /health/liveness, /health/readiness (200 only on the leader), "
                    + "/metrics (Prometheus, with JOSDK's operator_sdk_* meters), /api/v1 (read-only status).",
            "",
            "The validating admission webhook is served on HTTPS when its certificate is mounted (tls.crt and tls.key).",
            "",
            "Environment: SKEWLESS_NAMESPACES, SKEWLESS_LEASE_NAME, SKEWLESS_LEASE_NAMESPACE, SKEWLESS_WEBHOOK_PORT, "
                    + "SKEWLESS_WEBHOOK_CERT_DIR (the options below win).",
            "Extra arguments are Micronaut properties, e.g. --micronaut.server.port=9090."
        })
final class OperatorCommand implements Callable<Integer> {
    @ParentCommand
    SkewlessCommand parent;

    @Option(names = "--namespace", split = ",", paramLabel = "NAMESPACE",
            description = "Namespace(s) to watch, comma-separated or repeated; * for all. Default: the current namespace.")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--lease-name", paramLabel = "NAME", description = "Name of the Lease replicas compete for (default skewless-operator).")
    String leaseName;

    @Option(names = "--lease-namespace", paramLabel = "NAMESPACE", description = "Namespace of the Lease (default: the current namespace).")
    String leaseNamespace;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default SKEWLESS_PORT, else 8080).")
    Integer port;

    @Option(names = "--webhook-port", paramLabel = "PORT",
            description = "HTTPS port of the validating admission webhook (default SKEWLESS_WEBHOOK_PORT, else 8443).")
    Integer webhookPort;

    @Option(names = "--webhook-cert-dir", paramLabel = "DIR",
            description = "Directory with the webhook's tls.crt and tls.key (default SKEWLESS_WEBHOOK_CERT_DIR, else "
                    + "/etc/skewless/webhook). Without a tls.crt there, the webhook is not served.")
    Path webhookCertDir;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        CliEnvironment env = parent.env();
        // Everything the flags and the environment say is checked before anything connects.
        OperatorSettings settings = settings(env);
        Optional<AdmissionServerOptions> webhook = webhookOptions(env);
        ServerOptions options = ServerOptions.fromEnvironment(env.variables());
        if (port != null) {
            options = options.withPort(port);
        }
        KubernetesClient client = client(env);
        SkewlessOperator.Builder builder = OperatorProviders.with(env.aws(), env.variables(), client).settings(settings).closing(client);
        webhook.ifPresent(w -> builder.closing(OperatorProviders.startWebhook(w, client)));
        ControllerServer.Running<SkewlessOperator> running = ControllerServer.start(builder.build(), options, args.toArray(String[]::new));
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "skewless-shutdown"));
        running.awaitShutdown();
        return ExitCode.OK;
    }

    /** The environment's settings with the flags applied. */
    private OperatorSettings settings(CliEnvironment env) {
        try {
            OperatorSettings settings = OperatorSettings.fromEnvironment(env.variables());
            if (!namespaces.isEmpty()) {
                settings = settings.withNamespaces(new LinkedHashSet<>(namespaces.stream().map(String::strip).filter(n -> !n.isEmpty()).toList()));
            }
            if (leaseName != null || leaseNamespace != null) {
                settings = settings.withLease(leaseName != null ? leaseName : settings.leaseName(),
                        leaseNamespace != null ? leaseNamespace : settings.leaseNamespace());
            }
            return settings;
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
    }

    /** The webhook's options from the environment and the flags; empty when there is no certificate to serve with. */
    private Optional<AdmissionServerOptions> webhookOptions(CliEnvironment env) {
        Map<String, String> variables = new HashMap<>(env.variables());
        if (webhookPort != null) {
            variables.put(AdmissionServerOptions.PORT_ENV, webhookPort.toString());
        }
        if (webhookCertDir != null) {
            variables.put(AdmissionServerOptions.CERT_DIR_ENV, webhookCertDir.toString());
        }
        Optional<AdmissionServerOptions> options;
        try {
            options = AdmissionServerOptions.fromEnvironment(variables);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
        if (options.isEmpty() && webhookCertDir != null) {
            throw CliFailure.usage("--webhook-cert-dir " + webhookCertDir + " holds no tls.crt",
                    "Mount the webhook's certificate Secret there (tls.crt and tls.key), or leave the option out to run without the webhook.");
        }
        return options;
    }

    /** The cluster of {@code KUBECONFIG} (the file, as kubectl reads it) or, without it, fabric8's usual chain (in-cluster first). */
    static KubernetesClient client(CliEnvironment env) {
        Optional<String> kubeconfig = env.variable("KUBECONFIG").filter(v -> !v.isBlank());
        Config config;
        if (kubeconfig.isPresent()) {
            Path file = Path.of(kubeconfig.get().split(java.io.File.pathSeparator)[0]);
            try {
                config = Config.fromKubeconfig(null, Files.readString(file), file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read KUBECONFIG " + file, e);
            }
        } else {
            config = Config.autoConfigure(null);
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
