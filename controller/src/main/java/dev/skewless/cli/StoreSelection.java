package dev.skewless.cli;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.AwsReferenceCheck;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.embedded.EmbeddedLeaderLease;
import dev.skewless.store.embedded.EmbeddedVersionStore;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.skewless.store.kubernetes.KubernetesVersionStore;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Which store the verbs talk to. {@code SKEWLESS_STORE} chooses: {@code dynamodb} (the default:
 * the table named by {@code --table}, else {@code SKEWLESS_TABLE}, else {@code skewless}, with
 * the caller's AWS credentials), {@code kubernetes} (App and AppVersion resources in the
 * namespace named by {@code --namespace}, else {@code SKEWLESS_NAMESPACE}, else the current kube
 * context's, through {@code KUBECONFIG} or {@code ~/.kube/config}, or the pod's service account
 * in a cluster), or {@code embedded:<dir>} for the dev runtime's store on disk.
 *
 * <p>Unset, and with a {@code ./skewless dev} running from this checkout, the verbs talk to that
 * dev's store (and say so on stderr): the second terminal of the dev loop needs no setup. With
 * no dev running, unset means DynamoDB. See decision 028.
 */
public final class StoreSelection {
    /** Environment variable choosing the store. */
    public static final String STORE_ENV = "SKEWLESS_STORE";
    /** The default store kind. */
    public static final String DYNAMODB = "dynamodb";
    /** App and AppVersion custom resources through the Kubernetes API. */
    public static final String KUBERNETES = "kubernetes";
    /** Environment variable naming the Kubernetes namespace of the records. */
    public static final String NAMESPACE_ENV = "SKEWLESS_NAMESPACE";
    /** The dev runtime's store on disk: {@code embedded:<dir>}. */
    public static final String EMBEDDED = "embedded";
    /** Where the repository is ({@code ./skewless} sets it); the working directory otherwise. */
    public static final String HOME_ENV = "SKEWLESS_HOME";

    private StoreSelection() {}

    /**
     * Opens the chosen store.
     *
     * @param tableOption {@code --table}, or null to use {@code SKEWLESS_TABLE} / the default
     * @throws CliFailure (usage) for a store kind skewless does not know
     */
    public static StoreConnection open(CliEnvironment env, String tableOption) {
        return open(env, tableOption, null);
    }

    /**
     * Opens the chosen store.
     *
     * @param tableOption     {@code --table}, or null to use {@code SKEWLESS_TABLE} / the default
     * @param namespaceOption {@code --namespace}, or null to use {@code SKEWLESS_NAMESPACE} / the
     *                        kube context's
     * @throws CliFailure (usage) for a store kind skewless does not know
     */
    public static StoreConnection open(CliEnvironment env, String tableOption, String namespaceOption) {
        Optional<String> chosen = env.variable(STORE_ENV);
        if (chosen.isEmpty()) {
            Path devStore = devStateDir(env).resolve("store");
            Optional<ProcessHandle> dev = EmbeddedLeaderLease.runningHolder(devStore);
            if (dev.isPresent()) {
                env.err().println("skewless: using the store of the running ./skewless dev (pid " + dev.get().pid() + "), "
                        + devStore + "; set " + STORE_ENV + "=" + DYNAMODB + " for the DynamoDB table");
                return embedded(env, devStore.toString());
            }
        }
        String choice = chosen.orElse(DYNAMODB);
        int colon = choice.indexOf(':');
        String kind = colon < 0 ? choice : choice.substring(0, colon);
        String argument = colon < 0 ? "" : choice.substring(colon + 1);
        // The one place a store kind is chosen: add a case per kind.
        return switch (kind) {
            case DYNAMODB -> dynamo(env, tableOption);
            case KUBERNETES -> kubernetes(env, namespaceOption);
            case EMBEDDED -> embedded(env, argument);
            default -> throw CliFailure.usage(STORE_ENV + "=" + choice + " is not a store skewless knows (argument '" + argument + "').",
                    "Use " + STORE_ENV + "=" + DYNAMODB + " (the default), " + STORE_ENV + "=" + KUBERNETES + ", " + STORE_ENV + "=" + EMBEDDED
                            + ":<dir> (a dev store), or unset it.");
        };
    }

    /** The state directory of {@code ./skewless dev} by default: {@code .skewless/dev} in the repository. */
    public static Path devStateDir(CliEnvironment env) {
        Path home = env.variable(HOME_ENV).map(Path::of).orElse(Path.of(""));
        return home.toAbsolutePath().resolve(".skewless").resolve("dev");
    }

    private static StoreConnection embedded(CliEnvironment env, String dir) {
        if (dir.isBlank()) {
            throw CliFailure.usage(STORE_ENV + "=" + EMBEDDED + ": needs the store's directory, e.g. "
                    + STORE_ENV + "=" + EMBEDDED + ":.skewless/dev/store", "Or unset " + STORE_ENV + " to use DynamoDB.");
        }
        Path path = Path.of(dir).toAbsolutePath().normalize();
        EmbeddedVersionStore store = EmbeddedVersionStore.open(path, env.clock(), EmbeddedVersionStore.DEFAULT_POLL_INTERVAL);
        String where = "embedded store in " + path;
        return new StoreConnection(store, where, () -> List.of(where + " ready"), store::close);
    }

    /** The table name the DynamoDB store would use: {@code --table}, {@code SKEWLESS_TABLE}, or {@code skewless}. */
    static String tableName(CliEnvironment env, String tableOption) {
        if (tableOption != null && !tableOption.isBlank()) {
            return tableOption.strip();
        }
        return DynamoStoreConfig.fromEnvironment(env.variables()).tableName();
    }

    private static StoreConnection dynamo(CliEnvironment env, String tableOption) {
        String table = tableName(env, tableOption);
        AwsClientFactory clients = new AwsClientFactory(env.aws(), new AwsCallMetrics(new SimpleMeterRegistry()));
        DynamoDbClient ddb = clients.dynamoDb();
        String where = "DynamoDB table " + table + env.awsEndpoint().map(e -> " at " + e).orElse("");
        AwsErrorMessages failures = new AwsErrorMessages(env, "DynamoDB", table);
        DynamoVersionStore store = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(table), env.clock());
        StoreConnection.Initialiser init = () -> failures.explained(() -> {
            TableSetup.Result r = TableSetup.create(ddb, table);
            List<String> lines = new ArrayList<>();
            lines.add(r.created()
                    ? "table " + table + " created (on-demand billing, stream with new and old images, TTL on expiresAtEpoch)"
                    : "table " + table + " already exists; checked its stream and TTL");
            return lines;
        });
        // The reference check's clients are made only when apply asks for it, and closed with the factory's pool.
        return new StoreConnection(new ExplainedStore(store, failures), where, init, () -> {
            ddb.close();
            clients.close();
        }, () -> new AwsReferenceCheck(clients.elbv2(), clients.ecs(), clients.build(Ec2Client.builder()),
                clients.build(IamClient.builder())));
    }

    private static StoreConnection kubernetes(CliEnvironment env, String namespaceOption) {
        Config config = kubeConfig(env);
        String namespace = Optional.ofNullable(namespaceOption).filter(n -> !n.isBlank()).map(String::strip)
                .or(() -> env.variable(NAMESPACE_ENV))
                .or(() -> Optional.ofNullable(config.getNamespace()))
                .orElse("default");
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        String context = config.getCurrentContext() == null ? "" : " (context " + config.getCurrentContext().getName() + ")";
        String server = config.getMasterUrl() + context;
        String where = "Kubernetes namespace " + namespace + " at " + server;
        KubernetesErrorMessages failures = new KubernetesErrorMessages(server, namespace);
        KubernetesVersionStore store = new KubernetesVersionStore(client, namespace, env.clock());
        StoreConnection.Initialiser init = () -> failures.explained(() -> {
            List<String> lines = new ArrayList<>();
            for (String crd : List.of("apps.skewless.dev", "appversions.skewless.dev")) {
                if (client.apiextensions().v1().customResourceDefinitions().withName(crd).get() == null) {
                    throw CliFailure.failed("CRD " + crd + " is not installed on " + server + ".",
                            "Install them: kubectl apply -f manifests/kubernetes/crds/   (or kubectl apply -k manifests/kubernetes)");
                }
                lines.add("CRD " + crd + " installed");
            }
            if (client.namespaces().withName(namespace).get() == null) {
                throw CliFailure.failed("Namespace " + namespace + " does not exist on " + server + ".",
                        "Create it: kubectl create namespace " + namespace);
            }
            lines.add("namespace " + namespace + " ready");
            return lines;
        });
        // AWS references are checked with the caller's AWS credentials, as with the DynamoDB store.
        AwsClientFactory clients = new AwsClientFactory(env.aws(), new AwsCallMetrics(new SimpleMeterRegistry()));
        return new StoreConnection(new ExplainedStore(store, failures), where, init, () -> {
            store.close();
            client.close();
            clients.close();
        }, () -> new AwsReferenceCheck(clients.elbv2(), clients.ecs(), clients.build(Ec2Client.builder()),
                clients.build(IamClient.builder())));
    }

    /**
     * The kube client's settings: the first file of {@code KUBECONFIG}, else {@code ~/.kube/config},
     * at its current context; with neither, the pod's service account (in a cluster).
     */
    static Config kubeConfig(CliEnvironment env) {
        Optional<Path> file = env.variable("KUBECONFIG").map(v -> Path.of(v.split(java.io.File.pathSeparator)[0]))
                .or(() -> Optional.of(Path.of(System.getProperty("user.home"), ".kube", "config")).filter(Files::isRegularFile));
        if (file.isEmpty()) {
            return Config.autoConfigure(null);
        }
        try {
            return Config.fromKubeconfig(null, Files.readString(file.get()), file.get().toString());
        } catch (IOException e) {
            throw CliFailure.failed("Cannot read the kubeconfig " + file.get() + ": " + e.getMessage(),
                    "Point KUBECONFIG at a readable file, or set " + STORE_ENV + "=" + DYNAMODB);
        }
    }
}
