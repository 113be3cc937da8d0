package dev.skewless.store.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An {@code AppVersion} record as a Kubernetes custom resource ({@code appversions.skewless.dev}),
 * named {@code <app>.<version>} with the App in {@code spec.app} (decision 035).
 */
@Group("skewless.dev")
@Version("v1alpha1")
@Kind("AppVersion")
@Singular("appversion")
@Plural("appversions")
@ShortNames({"av", "skav"})
public class AppVersionResource extends CustomResource<ObjectNode, ObjectNode> implements Namespaced {
}
