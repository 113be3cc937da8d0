package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.SkewlessCrds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs print the same on both stores: the same records, arranged the same way (apply through
 * the CLI, statuses as the controller would write them, one clock), then get, describe, apply,
 * promote, rollback, revoke and wait, on DynamoDB (moto) and on the Kubernetes API (a real
 * kube-apiserver with the CRDs). Only where the records live differs in the output.
 */
@Tag("kubernetes")
class CliOnBothStoresTest {
    private static final Pattern WHERE = Pattern.compile(
            "DynamoDB table skewless-cli at http://[0-9.:]+|Kubernetes namespace cli-\\d+ at https://[0-9.:]+/? \\(context [^)]*\\)");
    private static final List<List<String>> SCRIPT = List.of(
            List.of("get", "apps"),
            List.of("get", "versions", "shop"),
            List.of("get", "versions", "shop", "-o", "yaml"),
            List.of("get", "apps", "-o", "json"),
            List.of("describe", "shop"),
            List.of("describe", "shop", "v1"),
            List.of("apply", "--no-verify", "-f", CliFixtures.V1),
            List.of("promote", "shop", "v3"),
            List.of("promote", "shop", "v1"),
            List.of("rollback", "shop"),
            List.of("wait", "shop", "v2", "--for", "phase=Live", "--timeout", "2s"),
            List.of("revoke", "shop", "v1"),
            List.of("revoke", "shop", "v3"),
            List.of("apply", "--no-verify", "-f", Terminal.repoFile("manifests/examples/canary.yaml")),
            List.of("apply", "--no-verify", "-f", Terminal.repoFile("controller/src/test/resources/invalid/02-fargate-and-ports.yaml")),
            List.of("get", "versions"),
            List.of("describe", "shop", "v1"),
            List.of("get", "versions", "shop", "-o", "json"),
            List.of("get", "versions", "nope"),
            List.of("describe", "shop", "v9"));

    @TempDir
    static Path tmp;
    private static KubeApiServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;
    private static int namespaces;

    @BeforeAll
    static void start() {
        server = KubeApiServer.start();
        client = server.client();
        SkewlessCrds.install(client);
        kubeconfig = server.writeKubeconfig(tmp.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyVerbPrintsTheSameOnBothStores() {
        String dynamo;
        try (Terminal t = Terminal.withTable()) {
            dynamo = transcript(t);
        }
        String kubernetes;
        try (Terminal t = kubernetesTerminal()) {
            kubernetes = transcript(t);
        }
        assertThat(kubernetes).contains("App shop configured").contains("AppVersion shop/v3 revoked").contains("App checkout created")
                .contains("02-fargate-and-ports.yaml doc[");
        assertThat(kubernetes).isEqualTo(dynamo);
    }

    @Test
    void initChecksTheCrdsAndTheNamespace() {
        try (Terminal t = kubernetesTerminal()) {
            Terminal.Run r = t.run("init");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("CRD apps.skewless.dev installed", "CRD appversions.skewless.dev installed", "ready");
            t.variables.put("SKEWLESS_NAMESPACE", "nowhere");
            Terminal.Run missing = t.run("init");
            assertThat(missing.exit()).isEqualTo(ExitCode.FAILED);
            assertThat(missing.err()).contains("Namespace nowhere does not exist").contains("kubectl create namespace nowhere");
        }
    }

    @Test
    void namespaceOptionOverridesTheEnvironment() {
        try (Terminal t = kubernetesTerminal()) {
            CliFixtures.shopWithThreeVersions(t);
            String namespace = t.variables.get("SKEWLESS_NAMESPACE");
            t.variables.put("SKEWLESS_NAMESPACE", "elsewhere");
            Terminal.Run r = t.run("get", "versions", "shop", "--namespace", namespace);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("v1", "v2", "v3");
        }
    }

    private static Terminal kubernetesTerminal() {
        String namespace = "cli-" + (++namespaces);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        return new Terminal(kubeconfig, client, namespace);
    }

    private static String transcript(Terminal t) {
        CliFixtures.shopWithThreeVersions(t);
        CliFixtures.statuses(t);
        StringBuilder out = new StringBuilder();
        for (List<String> command : SCRIPT) {
            Terminal.Run r = t.run(command.toArray(String[]::new));
            out.append("$ skewless ").append(String.join(" ", command)).append('\n').append(r).append('\n');
        }
        return WHERE.matcher(out).replaceAll("<store>");
    }
}
