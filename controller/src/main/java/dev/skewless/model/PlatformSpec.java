package dev.skewless.model;

import java.util.List;
import java.util.Objects;

/**
 * Where an App's versions run on ECS Fargate.
 *
 * @param cluster              ECS cluster name or ARN
 * @param subnets              awsvpc subnets for every version's tasks
 * @param securityGroups       awsvpc security groups (ECS requires at least one)
 * @param executionRoleArn     task execution role (image pull, logs, secrets)
 * @param taskRoleArn          role the application code runs as; may be null
 * @param logGroup             CloudWatch log group for the awslogs driver
 * @param assignPublicIp       whether tasks get a public IP (default subnets without NAT need it)
 * @param retainedDesiredCount tasks kept per superseded version (cost control; at least 1)
 */
public record PlatformSpec(
        String cluster,
        List<String> subnets,
        List<String> securityGroups,
        String executionRoleArn,
        String taskRoleArn,
        String logGroup,
        boolean assignPublicIp,
        int retainedDesiredCount) {
    public PlatformSpec {
        Objects.requireNonNull(cluster, "cluster");
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
    }
}
