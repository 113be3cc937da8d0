package dev.skewless.model;

import java.util.List;

/**
 * ARNs of the AWS resources one version owns, as last observed. Any may be null.
 *
 * @param targetGroupArn    the version's target group
 * @param serviceArn        the version's ECS service
 * @param taskDefinitionArn the task definition revision the service runs
 * @param ruleArns          the version's pin rules
 */
public record VersionResources(String targetGroupArn, String serviceArn, String taskDefinitionArn, List<String> ruleArns) {
    /** No resources. */
    public static final VersionResources NONE = new VersionResources(null, null, null, List.of());

    public VersionResources {
        ruleArns = ruleArns == null ? List.of() : List.copyOf(ruleArns);
    }
}
