package dev.skewless.cli;

import dev.skewless.aws.MotoAccount;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionStatus;
import dev.skewless.model.VersionKey;
import dev.skewless.store.VersionStore;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.kubernetes.KubernetesVersionStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.TestingClock;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A terminal for running the real {@code skewless} commands in-process against the shared
 * moto_server: captured stdout and stderr, an injected clock (so ages and creation times are
 * deterministic) and environment variables. Also a direct store on the same table, to arrange
 * what the controller would have written (statuses).
 */
final class Terminal implements AutoCloseable {
    static final String TABLE = "skewless-cli";
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    final TestingClock clock = new TestingClock(START);
    final Map<String, String> variables = new HashMap<>();
    private final AutoCloseable resources;
    /** The records the commands see, for arranging and checking what the controller would write. */
    final VersionStore store;

    /** The output of one command. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Empties moto; the table is not created (tests run {@code init}). */
    Terminal() {
        MotoServer.shared().reset();
        variables.put("SKEWLESS_TABLE", TABLE);
        variables.put("AWS_ENDPOINT_URL", MotoServer.shared().endpoint().toString());
        DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .build();
        store = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(TABLE), clock);
        resources = ddb;
    }

    /**
     * A terminal on the Kubernetes store: {@code SKEWLESS_STORE=kubernetes} with {@code KUBECONFIG}
     * and {@code SKEWLESS_NAMESPACE} set (AWS, for reference checks, is still moto).
     */
    Terminal(Path kubeconfig, KubernetesClient client, String namespace) {
        MotoServer.shared().reset();
        variables.put("SKEWLESS_STORE", "kubernetes");
        variables.put("KUBECONFIG", kubeconfig.toString());
        variables.put("SKEWLESS_NAMESPACE", namespace);
        variables.put("AWS_ENDPOINT_URL", MotoServer.shared().endpoint().toString());
        KubernetesVersionStore kube = new KubernetesVersionStore(client, namespace, clock);
        store = kube;
        resources = kube;
    }

    /** A terminal with the table created by {@code skewless init}. */
    static Terminal withTable() {
        Terminal t = new Terminal();
        Run r = t.run("init");
        if (r.exit() != 0) {
            throw new IllegalStateException("init failed: " + r);
        }
        return t;
    }

    Run run(String... args) {
        return runWithInput("", args);
    }

    Run runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(variables, () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), clock, MotoAccount.settings(MotoServer.shared().endpoint()));
        int code = SkewlessCommand.execute(env, args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Writes what the controller would report about a version. */
    void status(String app, String version, UnaryOperator<AppVersionStatus.Builder> change) {
        VersionKey key = new VersionKey(app, version);
        AppVersion v = store.getVersion(key).orElseThrow();
        store.writeVersionStatus(key, change.apply(v.status().toBuilder()).build());
    }

    /** A repository file (manifests/examples/...), as an absolute path string. */
    static String repoFile(String relative) {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        Path p = module.resolve("..").resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " not found");
        }
        return p.toString();
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
