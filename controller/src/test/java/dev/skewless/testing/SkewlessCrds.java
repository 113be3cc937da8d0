package dev.skewless.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the checked-in CRDs ({@code manifests/kubernetes/crds/}) on a test API server and
 * waits until both are established, so a test can create App and AppVersion resources at once.
 */
public final class SkewlessCrds {
    private SkewlessCrds() {}

    /** The CRD files, sorted by name. */
    public static List<Path> files() {
        return RepoFiles.list(RepoFiles.manifests().resolve("kubernetes").resolve("crds"), ".yaml");
    }

    /** Creates (or replaces) both CRDs and waits for them to be established. */
    public static void install(KubernetesClient client) {
        for (Path file : files()) {
            CustomResourceDefinition crd;
            try (InputStream in = Files.newInputStream(file)) {
                crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(existing -> existing.update());
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(SkewlessCrds::established, 60, TimeUnit.SECONDS);
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }
}
