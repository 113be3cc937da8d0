package dev.skewless.plan.action;

import dev.skewless.model.HealthCheckSpec;
import java.util.Map;

/**
 * A version's Fargate task definition: one container.
 *
 * @param family           deterministic family name
 * @param containerName    container name (the target group points at it)
 * @param image            container image
 * @param cpu              Fargate CPU units
 * @param memory           MiB
 * @param containerPort    container port
 * @param env              environment
 * @param secrets          secret environment variables (ARNs)
 * @param executionRoleArn execution role
 * @param taskRoleArn      task role, may be null
 * @param logGroup         awslogs group
 * @param healthCheck      used for the container health check command
 * @param specHash         hash of all of the above; tagged, so a changed spec is noticed
 * @param tags             ownership tags plus the spec hash
 */
public record TaskDefinitionSpec(
        String family,
        String containerName,
        String image,
        int cpu,
        int memory,
        int containerPort,
        Map<String, String> env,
        Map<String, String> secrets,
        String executionRoleArn,
        String taskRoleArn,
        String logGroup,
        HealthCheckSpec healthCheck,
        String specHash,
        Map<String, String> tags) {
    public TaskDefinitionSpec {
        env = Map.copyOf(env);
        secrets = Map.copyOf(secrets);
        tags = Map.copyOf(tags);
    }
}
