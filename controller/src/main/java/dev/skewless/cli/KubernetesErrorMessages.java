package dev.skewless.cli;

import dev.skewless.store.kubernetes.InvalidResourceException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.Supplier;

/**
 * Turns Kubernetes API failures into messages a person can act on: which cluster and namespace,
 * what is missing (CRDs, rights, the server) and the command that fixes it.
 */
final class KubernetesErrorMessages implements StoreFailures {
    private final String where;
    private final String namespace;

    /**
     * @param where     the API server and context, for messages
     * @param namespace the records' namespace
     */
    KubernetesErrorMessages(String where, String namespace) {
        this.where = where;
        this.namespace = namespace;
    }

    @Override
    public <T> T explained(Supplier<T> call) {
        try {
            return call.get();
        } catch (InvalidResourceException e) {
            throw CliFailure.failed("Records in namespace " + namespace + " do not bind (written without the validating webhook?):\n"
                    + e.getMessage(), "Fix them: kubectl -n " + namespace + " edit appversions NAME (or apps NAME), or apply a corrected manifest");
        } catch (KubernetesClientException e) {
            throw explain(e);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof KubernetesClientException) {
                // The store's "the API server refused the write of ...": already says what and why.
                throw CliFailure.failed(e.getMessage() + ".", "Records written before this one in the same apply stay written.");
            }
            throw e;
        }
    }

    CliFailure explain(KubernetesClientException e) {
        int code = e.getCode();
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : rootMessage(e);
        if (code == HttpURLConnection.HTTP_NOT_FOUND && reason.contains("the server could not find the requested resource")) {
            return CliFailure.failed("The skewless CRDs (apps.skewless.dev, appversions.skewless.dev) are not installed on " + where + ".",
                    "Install them: kubectl apply -f manifests/kubernetes/crds/   (or kubectl apply -k manifests/kubernetes)");
        }
        if (code == HttpURLConnection.HTTP_UNAUTHORIZED) {
            return CliFailure.failed("The Kubernetes API at " + where + " did not accept your credentials: " + reason,
                    "Log in again (your kubeconfig's user), or pick another context: kubectl config use-context NAME");
        }
        if (code == HttpURLConnection.HTTP_FORBIDDEN) {
            return CliFailure.failed("The Kubernetes API at " + where + " refused: " + reason,
                    "Ask for rights on apps.skewless.dev and appversions.skewless.dev in namespace " + namespace
                            + " (get, list, watch, create, update)");
        }
        if (code == 0) {
            return CliFailure.failed("Cannot reach the Kubernetes API at " + where + ": " + rootMessage(e),
                    "Check the current context: kubectl config current-context; kubectl cluster-info");
        }
        return CliFailure.failed("The Kubernetes API at " + where + " answered " + code + ": " + reason);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
