package dev.skewless.store.kubernetes;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A read needs a resource that does not bind to a record (written with {@code kubectl} while no
 * webhook checked it). Only reads that need it fail: the App it belongs to cannot be planned
 * (planning without one of its versions would take that version's AWS resources for orphans),
 * every other App goes on. The message names each resource and every problem with its field path.
 */
public final class InvalidResourceException extends RuntimeException {
    private final transient List<KubernetesRecords.Bound<?>> resources;

    public InvalidResourceException(List<? extends KubernetesRecords.Bound<?>> resources) {
        super(resources.stream().map(KubernetesRecords.Bound::describeProblems).collect(Collectors.joining("\n"))
                + "\n(fix the resource with kubectl; skewless does not overwrite it)");
        this.resources = List.copyOf(resources);
    }

    /** The resources that do not bind, each with its problems. */
    public List<KubernetesRecords.Bound<?>> resources() {
        return resources;
    }
}
