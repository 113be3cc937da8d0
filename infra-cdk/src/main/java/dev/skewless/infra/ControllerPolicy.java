package dev.skewless.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The controller's permissions: exactly the calls its providers make, and every ECS, ELB or
 * Application Auto Scaling mutation only on resources that carry (or are being created with) the
 * ownership tag {@code skewless.dev/managed-by=<owner>}.
 *
 * <p>IAM decides ownership on AWS's side, the router's own tag re-check ({@code NotOwned}) decides
 * it on ours: a bug in either still cannot touch a rule, target group or service another team
 * made. The one mutation IAM cannot scope is {@code ecs:DeregisterTaskDefinition}: it supports
 * neither resource ARNs nor condition keys (see {@link #UNSCOPABLE}). Reads are on {@code *}:
 * the Describe and List calls the controller makes support no resource scoping either.
 */
public final class ControllerPolicy {
    /** The ownership tag key every controller-made resource carries. */
    public static final String MANAGED_BY = "skewless.dev/managed-by";
    /** Mutations that IAM cannot restrict by resource or condition; granted on {@code *} alone. */
    public static final List<String> UNSCOPABLE = List.of("ecs:DeregisterTaskDefinition");
    /** The service principal of Application Auto Scaling for ECS (its service-linked role). */
    public static final String AUTOSCALING_SERVICE = "ecs.application-autoscaling.amazonaws.com";

    /**
     * What the statements refer to.
     *
     * @param owner                the controller's owner id (the tag value)
     * @param clusterName          ECS cluster the versions run in
     * @param clusterArn           its ARN
     * @param listenerArn          the listener the App's rules go on
     * @param loadBalancerFullName {@code app/<name>/<id>} of the ALB
     * @param executionRoleArn     the versions' task execution role
     * @param taskRoleArn          the versions' task role
     * @param tableArn             the records table
     * @param tableStreamArn       its stream
     */
    public record Targets(String owner, String clusterName, String clusterArn, String listenerArn, String loadBalancerFullName,
                          String executionRoleArn, String taskRoleArn, String tableArn, String tableStreamArn) {}

    private ControllerPolicy() {}

    /** The statements, each with a Sid saying what it is for. */
    public static List<PolicyStatement> statements(Stack stack, Targets t) {
        String taskDefinitions = arn(stack, "ecs", "task-definition", "*");
        String services = arn(stack, "ecs", "service", t.clusterName() + "/*");
        String targetGroups = arn(stack, "elasticloadbalancing", "targetgroup", "skl-*/*");
        String rules = arn(stack, "elasticloadbalancing", "listener-rule", t.loadBalancerFullName() + "/*");
        String scalableTargets = arn(stack, "application-autoscaling", "scalable-target", "*");
        String alarms = stack.formatArn(ArnComponents.builder().service("cloudwatch").resource("alarm")
                .resourceName("TargetTracking-service/" + t.clusterName() + "/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        Map<String, Object> requestTagged = Map.of("StringEquals", Map.of("aws:RequestTag/" + MANAGED_BY, t.owner()));
        Map<String, Object> resourceTagged = Map.of("StringEquals", Map.of("aws:ResourceTag/" + MANAGED_BY, t.owner()));
        return List.of(
                allow("ObserveEcs", List.of("ecs:ListServices", "ecs:DescribeServices", "ecs:ListTaskDefinitions",
                        "ecs:DescribeTaskDefinition"), List.of("*"), Map.of()),
                allow("RegisterOwnedTaskDefinitions", List.of("ecs:RegisterTaskDefinition"), List.of(taskDefinitions), requestTagged),
                allow("CreateOwnedServices", List.of("ecs:CreateService"), List.of(services), ordered(
                        "StringEquals", Map.of("aws:RequestTag/" + MANAGED_BY, t.owner()),
                        "ArnEquals", Map.of("ecs:cluster", t.clusterArn()))),
                // ECS authorizes tags given at creation as a TagResource call.
                allow("TagOwnedEcsResourcesOnCreate", List.of("ecs:TagResource"), List.of(taskDefinitions, services), Map.of(
                        "StringEquals", ordered("aws:RequestTag/" + MANAGED_BY, t.owner(),
                                "ecs:CreateAction", List.of("RegisterTaskDefinition", "CreateService")))),
                allow("ChangeOwnedServices", List.of("ecs:UpdateService", "ecs:DeleteService"), List.of(services), resourceTagged),
                allow("DeregisterTaskDefinitions", UNSCOPABLE, List.of("*"), Map.of()),
                allow("ObserveLoadBalancing", List.of("elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
                        "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTargetGroupAttributes",
                        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers",
                        "elasticloadbalancing:DescribeTags"), List.of("*"), Map.of()),
                allow("CreateOwnedTargetGroups", List.of("elasticloadbalancing:CreateTargetGroup"), List.of(targetGroups), requestTagged),
                allow("CreateOwnedRules", List.of("elasticloadbalancing:CreateRule"), List.of(t.listenerArn()), requestTagged),
                // ELB authorizes tags given at creation as an AddTags call.
                allow("TagOwnedElbResourcesOnCreate", List.of("elasticloadbalancing:AddTags"), List.of(targetGroups, rules), Map.of(
                        "StringEquals", ordered("aws:RequestTag/" + MANAGED_BY, t.owner(),
                                "elasticloadbalancing:CreateAction", List.of("CreateTargetGroup", "CreateRule")))),
                allow("ChangeOwnedTargetGroups", List.of("elasticloadbalancing:ModifyTargetGroup",
                        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup"),
                        List.of(targetGroups), resourceTagged),
                allow("ChangeOwnedRules", List.of("elasticloadbalancing:ModifyRule", "elasticloadbalancing:DeleteRule",
                        "elasticloadbalancing:SetRulePriorities"), List.of(rules), resourceTagged),
                allow("PassVersionRoles", List.of("iam:PassRole"), List.of(t.executionRoleArn(), t.taskRoleArn()),
                        Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com"))),
                // Item actions only: TransactWriteItems is authorized per Put/Update/ConditionCheck.
                allow("RecordsTable", List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query",
                        "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive"),
                        List.of(t.tableArn()), Map.of()),
                allow("RecordsStream", List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
                        List.of(t.tableStreamArn()), Map.of()),
                allow("ReadRequestCounts", List.of("cloudwatch:GetMetricData"), List.of("*"), Map.of()),
                // Application Auto Scaling (decision 030): scalable targets are tagged at registration, so
                // registering a new one needs the tag in the request and changing one needs it on the target.
                // Policies have no tags of their own: they are authorized on their scalable target.
                allow("ObserveAutoscaling", List.of("application-autoscaling:DescribeScalableTargets",
                        "application-autoscaling:DescribeScalingPolicies"), List.of("*"), Map.of()),
                allow("RegisterOwnedScalableTargets", List.of("application-autoscaling:RegisterScalableTarget",
                        "application-autoscaling:TagResource"), List.of(scalableTargets), requestTagged),
                allow("ChangeOwnedScalableTargets", List.of("application-autoscaling:RegisterScalableTarget",
                        "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:PutScalingPolicy",
                        "application-autoscaling:DeleteScalingPolicy"), List.of(scalableTargets), resourceTagged),
                // Target tracking creates and deletes its alarms with the caller's permissions; they are
                // named TargetTracking-<resource id>-..., so only the cluster's services' alarms are reachable.
                allow("TargetTrackingAlarms", List.of("cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm",
                        "cloudwatch:DeleteAlarms"), List.of(alarms), Map.of()),
                // Registering the first ECS scalable target of an account creates Application Auto Scaling's role for ECS.
                allow("AutoscalingServiceLinkedRole", List.of("iam:CreateServiceLinkedRole"), List.of(stack.formatArn(
                        ArnComponents.builder().service("iam").region("").resource("role")
                                .resourceName("aws-service-role/" + AUTOSCALING_SERVICE + "/AWSServiceRoleForApplicationAutoScaling_ECSService")
                                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())),
                        Map.of("StringEquals", Map.of("iam:AWSServiceName", AUTOSCALING_SERVICE))));
    }

    /** A map that keeps its order: templates must not change between two syntheses of the same input. */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static PolicyStatement allow(String sid, List<String> actions, List<String> resources, Map<String, Object> conditions) {
        PolicyStatement.Builder b = PolicyStatement.Builder.create().sid(sid).effect(Effect.ALLOW).actions(actions).resources(resources);
        if (!conditions.isEmpty()) {
            b.conditions(conditions);
        }
        return b.build();
    }

    private static String arn(Stack stack, String service, String resource, String name) {
        return stack.formatArn(ArnComponents.builder().service(service).resource(resource).resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }
}
