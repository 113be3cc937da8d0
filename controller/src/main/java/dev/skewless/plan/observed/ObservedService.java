package dev.skewless.plan.observed;

import java.util.Map;

/**
 * An ECS service carrying skewless ownership tags.
 *
 * @param arn               ARN
 * @param name              name
 * @param cluster           cluster
 * @param status            ACTIVE, DRAINING or INACTIVE (INACTIVE counts as gone)
 * @param desiredCount      desired tasks
 * @param runningCount      running tasks
 * @param rollout           state of the primary deployment
 * @param taskDefinitionArn revision of the primary deployment
 * @param targetGroupArn    target group in its load balancer config, or null
 * @param tags              tags
 */
public record ObservedService(
        String arn, String name, String cluster, Status status, int desiredCount, int runningCount,
        Rollout rollout, String taskDefinitionArn, String targetGroupArn, Map<String, String> tags) {
    public ObservedService {
        tags = Map.copyOf(tags);
    }

    /** ECS service status. */
    public enum Status { ACTIVE, DRAINING, INACTIVE }

    /** ECS deployment rollout state of the primary deployment. */
    public enum Rollout { IN_PROGRESS, COMPLETED, FAILED }
}
