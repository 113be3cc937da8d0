package dev.skewless.plan.action;

import java.util.List;
import java.util.Map;

/**
 * A version's Fargate service.
 *
 * @param cluster           ECS cluster
 * @param name              deterministic service name
 * @param taskDefinitionArn the revision to run
 * @param desiredCount      tasks
 * @param subnets           awsvpc subnets
 * @param securityGroups    awsvpc security groups
 * @param assignPublicIp    awsvpc public IP
 * @param targetGroupArn    the version's target group
 * @param containerName     container registered in the target group
 * @param containerPort     its port
 * @param tags              ownership tags (propagated to tasks)
 */
public record ServiceSpec(
        String cluster,
        String name,
        String taskDefinitionArn,
        int desiredCount,
        List<String> subnets,
        List<String> securityGroups,
        boolean assignPublicIp,
        String targetGroupArn,
        String containerName,
        int containerPort,
        Map<String, String> tags) {
    public ServiceSpec {
        subnets = List.copyOf(subnets);
        securityGroups = List.copyOf(securityGroups);
        tags = Map.copyOf(tags);
    }
}
