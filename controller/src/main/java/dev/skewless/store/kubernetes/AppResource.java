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
 * An {@code App} record as a Kubernetes custom resource ({@code apps.skewless.dev}).
 *
 * <p>Spec and status stay JSON trees here: they are bound to the model by the same
 * {@code ManifestReader} that reads manifest files, so there is one binding and one set of
 * field-path messages for both stores.
 */
@Group("skewless.dev")
@Version("v1alpha1")
@Kind("App")
@Singular("app")
@Plural("apps")
@ShortNames("skapp")
public class AppResource extends CustomResource<ObjectNode, ObjectNode> implements Namespaced {
}
