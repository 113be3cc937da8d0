package dev.skewless.plan.action;

import java.util.Map;

/**
 * A version's service registered with Application Auto Scaling (namespace {@code ecs}, dimension
 * {@code ecs:service:DesiredCount}).
 *
 * @param cluster  the service's cluster (name)
 * @param service  the service's name
 * @param minCount fewest tasks
 * @param maxCount most tasks
 * @param tags     ownership tags to set when the target is registered (what IAM's tag
 *                 conditions check); empty when re-bounding a registered target, which keeps its own
 */
public record ScalableTargetSpec(String cluster, String service, int minCount, int maxCount, Map<String, String> tags) {
    public ScalableTargetSpec {
        tags = Map.copyOf(tags);
    }

    /** {@code service/<cluster>/<service>}: Application Auto Scaling's id of an ECS service. */
    public String resourceId() {
        return resourceId(cluster, service);
    }

    /** {@code service/<cluster name>/<service>}; a cluster given by ARN is reduced to its name. */
    public static String resourceId(String cluster, String service) {
        int at = cluster.indexOf(":cluster/");
        return "service/" + (at < 0 ? cluster : cluster.substring(at + ":cluster/".length())) + "/" + service;
    }
}
