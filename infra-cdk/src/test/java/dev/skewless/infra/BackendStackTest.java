package dev.skewless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The backend stack in its default shape (offline fixture: default VPC, HTTP, data retained). */
class BackendStackTest {
    private final Synthesized synth = Synthesized.defaults();
    private final Template t = synth.backend;

    @Test
    void usesTheLookedUpDefaultVpcAndCreatesNone() {
        t.resourceCountIs("AWS::EC2::VPC", 0);
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "Subnets", OfflineFixture.SUBNETS)));
        assertThat(synth.stacks.backend().vpc().getVpcId()).isEqualTo(OfflineFixture.VPC_ID);
    }

    @Test
    void twoRepositoriesAndTheApiOneNeverMovesATag() {
        t.resourceCountIs("AWS::ECR::Repository", 2);
        t.hasResourceProperties("AWS::ECR::Repository", Match.objectLike(Map.of(
                "RepositoryName", "skewless/shop-api",
                "ImageTagMutability", "IMMUTABLE",
                "ImageScanningConfiguration", Map.of("ScanOnPush", true))));
        t.hasResourceProperties("AWS::ECR::Repository", Match.objectLike(Map.of("RepositoryName", "skewless/shop-controller")));
        // Only untagged layers expire in the api repository: a retained version's image stays.
        Map<String, Map<String, Object>> api = t.findResources("AWS::ECR::Repository", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("RepositoryName", "skewless/shop-api")))));
        String lifecycle = String.valueOf(props(api.values().iterator().next()).get("LifecyclePolicy"));
        assertThat(lifecycle).contains("untagged").doesNotContain("\"tagStatus\":\"any\"").doesNotContain("\"tagStatus\":\"tagged\"");
        api.values().forEach(r -> assertThat(r.get("DeletionPolicy")).isEqualTo("Retain"));
    }

    @Test
    void fargateClusterWithContainerInsights() {
        t.hasResourceProperties("AWS::ECS::Cluster", Map.of(
                "ClusterName", "skewless-shop",
                "ClusterSettings", List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
    }

    @Test
    void internetFacingAlbWhoseListenerAnswers503UntilTheControllerRoutes() {
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "Scheme", "internet-facing", "Type", "application", "Name", "skewless-shop")));
        t.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        t.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "Port", 80,
                "Protocol", "HTTP",
                "LoadBalancerArn", Match.anyValue(),
                "DefaultActions", List.of(Map.of("Type", "fixed-response", "FixedResponseConfig", Map.of(
                        "StatusCode", "503", "ContentType", "application/json", "MessageBody", BackendStack.NO_ROUTE_BODY)))));
        // No rule in the stack: every rule on the listener is the controller's.
        t.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", 0);
        t.resourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 0);
    }

    @Test
    void albReachesTasksOnTheContainerPortOnlyAndNothingElseReachesThem() {
        String albSg = logicalId("AWS::EC2::SecurityGroup", "shop ALB:");
        String taskSg = logicalId("AWS::EC2::SecurityGroup", "shop versions:");
        String controllerSg = logicalId("AWS::EC2::SecurityGroup", "shop controller:");
        Map<String, Object> alb = props(t.toJSON(), albSg);
        // Ingress of the ALB: CloudFront's prefix list only (albAdmitsOnlyCloudFrontsOriginFacingAddresses).
        assertThat(alb).doesNotContainKey("SecurityGroupIngress");
        // Egress of the ALB: only the one rule below, to the tasks' group on 8080.
        assertThat(alb).doesNotContainKey("SecurityGroupEgress");
        t.resourceCountIs("AWS::EC2::SecurityGroupEgress", 1);
        t.hasResourceProperties("AWS::EC2::SecurityGroupEgress", Map.of(
                "GroupId", Map.of("Fn::GetAtt", List.of(albSg, "GroupId")),
                "DestinationSecurityGroupId", Map.of("Fn::GetAtt", List.of(taskSg, "GroupId")),
                "IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080, "Description", Match.anyValue()));
        t.resourceCountIs("AWS::EC2::SecurityGroupIngress", 2);
        t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "GroupId", Map.of("Fn::GetAtt", List.of(taskSg, "GroupId")),
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(albSg, "GroupId")),
                "IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080, "Description", Match.anyValue()));
        assertThat(props(t.toJSON(), taskSg)).doesNotContainKey("SecurityGroupIngress");
        assertThat(props(t.toJSON(), controllerSg)).doesNotContainKey("SecurityGroupIngress");
    }

    @Test
    void albAdmitsOnlyCloudFrontsOriginFacingAddresses() {
        String albSg = logicalId("AWS::EC2::SecurityGroup", "shop ALB:");
        Map<String, Map<String, Object>> albIngress = t.findResources("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("GroupId", Map.of("Fn::GetAtt", List.of(albSg, "GroupId")))))));
        assertThat(albIngress.values()).extracting(BackendStackTest::props).containsExactly(Map.of(
                "GroupId", Map.of("Fn::GetAtt", List.of(albSg, "GroupId")),
                "SourcePrefixListId", OfflineFixture.CLOUDFRONT_PREFIX_LIST_ID,
                "IpProtocol", "tcp", "FromPort", 80, "ToPort", 80,
                "Description", "HTTP from CloudFront origin-facing addresses only"));
        assertThat(openIngress(t)).isEmpty();
    }

    @Test
    void wafOnTheAlbRefusesRequestsWithoutTheOriginHeaderCloudFrontAdds() {
        Map<String, Map<String, Object>> secrets = t.findResources("AWS::SecretsManager::Secret");
        assertThat(secrets).hasSize(1);
        String secret = secrets.keySet().iterator().next();
        Map<String, Object> secretProps = props(secrets.get(secret));
        // Generated by Secrets Manager: the value is never in the template.
        assertThat(secretProps).containsEntry("Name", "skewless.dev/shop/origin-header-1")
                .containsEntry("GenerateSecretString", Map.of("ExcludePunctuation", true, "PasswordLength", 48))
                .doesNotContainKey("SecretString");
        // Out of reach of the versions, whose execution role reads the App's secrets ("shop/*").
        assertThat(secretProps.get("Name").toString()).doesNotStartWith("shop/");

        t.resourceCountIs("AWS::WAFv2::WebACL", 1);
        t.hasResourceProperties("AWS::WAFv2::WebACL", Match.objectLike(Map.of(
                "Scope", "REGIONAL",
                "DefaultAction", Map.of("Block", Map.of("CustomResponse", Map.of(
                        "ResponseCode", 403, "CustomResponseBodyKey", "not-from-cloudfront"))),
                "Rules", List.of(Match.objectLike(Map.of(
                        "Name", "from-cloudfront", "Priority", 0, "Action", Map.of("Allow", Map.of()),
                        "Statement", Map.of("ByteMatchStatement", originHeaderEquals(secret))))))));
        String acl = t.findResources("AWS::WAFv2::WebACL").keySet().iterator().next();
        t.hasResourceProperties("AWS::WAFv2::WebACLAssociation", Map.of(
                "ResourceArn", Map.of("Ref", t.findResources("AWS::ElasticLoadBalancingV2::LoadBalancer").keySet().iterator().next()),
                "WebACLArn", Map.of("Fn::GetAtt", List.of(acl, "Arn"))));
        // The check is the web ACL's, not the listener's: its default action is still the 503 and
        // the controller's rules keep all five condition values (decision 029).
        t.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", 0);
    }

    /** The byte-match statement of the origin-header check, against the value of {@code secret}. */
    static Map<String, Object> originHeaderEquals(String secret) {
        return Map.of(
                "FieldToMatch", Map.of("SingleHeader", Map.of("Name", BackendStack.ORIGIN_HEADER)),
                "PositionalConstraint", "EXACTLY",
                "SearchString", Map.of("Fn::Join", List.of("", List.of(
                        "{{resolve:secretsmanager:", Map.of("Ref", secret), ":SecretString:::}}"))),
                "TextTransformations", List.of(Map.of("Priority", 0, "Type", "NONE")));
    }

    /** Every ingress rule of the template (inline or separate) open to any IPv4 or IPv6 address. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> openIngress(Template template) {
        List<Map<String, Object>> rules = new ArrayList<>();
        template.findResources("AWS::EC2::SecurityGroupIngress").values().forEach(r -> rules.add(props(r)));
        template.findResources("AWS::EC2::SecurityGroup").values().forEach(r -> {
            Object inline = props(r).get("SecurityGroupIngress");
            if (inline != null) {
                rules.addAll((List<Map<String, Object>>) inline);
            }
        });
        return rules.stream().filter(r -> "0.0.0.0/0".equals(r.get("CidrIp")) || "::/0".equals(r.get("CidrIpv6"))).toList();
    }

    @Test
    void recordsTableOnDemandWithStreamPitrAndTtl() {
        Map<String, Map<String, Object>> tables = t.findResources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(1);
        Map<String, Object> table = tables.values().iterator().next();
        assertThat(table.get("DeletionPolicy")).isEqualTo("Retain");
        Map<String, Object> p = props(table);
        assertThat(p.get("TableName")).isEqualTo("skewless-shop");
        assertThat(p.get("KeySchema")).isEqualTo(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                Map.of("AttributeName", "sk", "KeyType", "RANGE")));
        assertThat(p.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(p.get("StreamSpecification")).isEqualTo(Map.of("StreamViewType", "NEW_AND_OLD_IMAGES"));
        assertThat(p.get("PointInTimeRecoverySpecification")).isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
        assertThat(p.get("TimeToLiveSpecification")).isEqualTo(Map.of("AttributeName", "expiresAtEpoch", "Enabled", true));
        assertThat(p.get("DeletionProtectionEnabled")).isEqualTo(true);
    }

    @Test
    void logGroupsWithRetention() {
        t.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/skewless/shop", "RetentionInDays", 30));
        t.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/skewless/shop/controller", "RetentionInDays", 30));
    }

    @Test
    void versionRolesAreAssumedByEcsTasksAndTheExecutionRoleReadsOnlyWhatAVersionNeeds() {
        String exec = id("AWS::IAM::Role", (Map.of("Description", Match.stringLikeRegexp(".*starts a version.*"))));
        String task = id("AWS::IAM::Role", (Map.of("Description", Match.stringLikeRegexp(".*the app's code.*"))));
        for (String role : List.of(exec, task)) {
            assertThat(String.valueOf(props(t.toJSON(), role).get("AssumeRolePolicyDocument"))).contains("ecs-tasks.amazonaws.com");
        }
        List<Map<String, Object>> execStatements = statementsOfRole(exec);
        assertThat(execStatements).flatExtracting(s -> actions(s)).containsExactlyInAnyOrder(
                "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken",
                "logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue", "ssm:GetParameters");
        assertThat(statementsOfRole(task)).isEmpty();
    }

    @Test
    void controllerRunsTwoFargateTasksWithTheTableAndHealthCheck() {
        t.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
                "ServiceName", "skewless-controller",
                "DesiredCount", 2,
                "LaunchType", "FARGATE",
                "DeploymentConfiguration", Map.of("DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true),
                        "MaximumPercent", 200, "MinimumHealthyPercent", 50))));
        String table = t.getResourceId("AWS::DynamoDB::Table");
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                "Family", "skewless-shop-controller",
                "Cpu", "512",
                "Memory", "1024",
                "RequiresCompatibilities", List.of("FARGATE"),
                "ContainerDefinitions", List.of(Match.objectLike(Map.of(
                        "Name", "controller",
                        "PortMappings", List.of(Map.of("ContainerPort", 8080, "Protocol", "tcp")),
                        "Environment", List.of(Map.of("Name", "SKEWLESS_TABLE", "Value", Map.of("Ref", table))),
                        "HealthCheck", Match.objectLike(Map.of("Command", List.of("CMD-SHELL",
                                "curl -fsS http://localhost:8080/health/liveness || exit 1")))))))));
    }

    @Test
    void controllerPolicyIsAttachedToTheControllerTaskRoleOnly() {
        Map<String, Object> policy = controllerPolicy();
        String taskRole = String.valueOf(((Map<?, ?>) ((List<?>) policy.get("Roles")).getFirst()).get("Ref"));
        assertThat(((List<?>) policy.get("Roles"))).hasSize(1);
        assertThat(String.valueOf(props(t.toJSON(), id("AWS::ECS::TaskDefinition", (Map.of(
                "Family", "skewless-shop-controller")))).get("TaskRoleArn"))).contains(taskRole);
    }

    @Test
    void noControllerStatementMutatesEcsOrElbWithoutTheOwnershipTag() {
        List<Map<String, Object>> statements = controllerStatements();
        assertThat(OwnershipCheck.violations(statements, "skewless")).isEmpty();
        // The single unconditioned mutation is the one IAM cannot scope, alone in its statement.
        List<Map<String, Object>> unconditioned = statements.stream()
                .filter(s -> !s.containsKey("Condition"))
                .filter(s -> actions(s).stream().anyMatch(a -> (a.startsWith("ecs:") || a.startsWith("elasticloadbalancing:"))
                        && OwnershipCheck.isMutation(a)))
                .toList();
        assertThat(unconditioned).singleElement().satisfies(s -> {
            assertThat(actions(s)).containsExactlyElementsOf(ControllerPolicy.UNSCOPABLE);
            assertThat(s.get("Resource")).isEqualTo("*");
        });
    }

    @Test
    void theOwnershipCheckCatchesWhatItLooksFor() {
        List<Map<String, Object>> bad = List.of(
                Map.of("Sid", "A", "Effect", "Allow", "Action", List.of("ecs:UpdateService"), "Resource", "*"),
                Map.of("Sid", "B", "Effect", "Allow", "Action", "elasticloadbalancing:DeleteRule", "Resource", "*",
                        "Condition", Map.of("StringEquals", Map.of("aws:ResourceTag/skewless.dev/managed-by", "someone-else"))),
                Map.of("Sid", "C", "Effect", "Allow", "Action", List.of("iam:PassRole"), "Resource", "*"),
                Map.of("Sid", "D", "Effect", "Allow", "Action", List.of("ecs:DeregisterTaskDefinition", "ecs:DeleteService"), "Resource", "*"),
                Map.of("Sid", "E", "Effect", "Allow", "Action", "elasticloadbalancing:*", "Resource", "*"),
                Map.of("Sid", "F", "Effect", "Allow", "Action", "ecs:DescribeServices", "Resource", "*"),
                Map.of("Sid", "G", "Effect", "Allow", "Action", "application-autoscaling:PutScalingPolicy", "Resource", "*"));
        assertThat(OwnershipCheck.violations(bad, "skewless")).containsExactly(
                "A: ecs:UpdateService on * without the skewless.dev/managed-by=skewless condition",
                "B: elasticloadbalancing:DeleteRule on * without the skewless.dev/managed-by=skewless condition",
                "C: iam:PassRole on *",
                "D: ecs:DeregisterTaskDefinition is granted unconditionally, so it must not share a statement with "
                        + "[ecs:DeregisterTaskDefinition, ecs:DeleteService]",
                "D: ecs:DeleteService on * without the skewless.dev/managed-by=skewless condition",
                "E: wildcard action elasticloadbalancing:*",
                "G: application-autoscaling:PutScalingPolicy on * without the skewless.dev/managed-by=skewless condition");
    }

    @Test
    void autoscalingIsTagScopedAndItsAlarmsAreTheClustersTargetTrackingOnes() {
        Map<String, Map<String, Object>> bySid = new java.util.HashMap<>();
        controllerStatements().forEach(s -> bySid.put(String.valueOf(s.get("Sid")), s));
        assertThat(actions(bySid.get("ObserveAutoscaling"))).containsExactlyInAnyOrder("application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingPolicies");
        assertThat(bySid.get("ObserveAutoscaling").get("Resource")).isEqualTo("*");
        Map<String, Object> register = bySid.get("RegisterOwnedScalableTargets");
        assertThat(actions(register)).containsExactlyInAnyOrder("application-autoscaling:RegisterScalableTarget",
                "application-autoscaling:TagResource");
        assertThat(register.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:RequestTag/" + ControllerPolicy.MANAGED_BY, "skewless")));
        assertThat(String.valueOf(register.get("Resource"))).contains(":application-autoscaling:").contains(":scalable-target/*");
        Map<String, Object> change = bySid.get("ChangeOwnedScalableTargets");
        assertThat(actions(change)).containsExactlyInAnyOrder("application-autoscaling:RegisterScalableTarget",
                "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:PutScalingPolicy",
                "application-autoscaling:DeleteScalingPolicy");
        assertThat(change.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:ResourceTag/" + ControllerPolicy.MANAGED_BY, "skewless")));
        Map<String, Object> alarms = bySid.get("TargetTrackingAlarms");
        assertThat(actions(alarms)).containsExactlyInAnyOrder("cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms");
        assertThat(String.valueOf(alarms.get("Resource"))).contains(":alarm:TargetTracking-service/").doesNotContain("\"*\"");
        Map<String, Object> slr = bySid.get("AutoscalingServiceLinkedRole");
        assertThat(actions(slr)).containsExactlyInAnyOrder("iam:CreateServiceLinkedRole");
        assertThat(String.valueOf(slr.get("Resource")))
                .contains(":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService");
        assertThat(slr.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("iam:AWSServiceName", "ecs.application-autoscaling.amazonaws.com")));
    }

    @Test
    void controllerMayPassOnlyTheTwoVersionRolesAndOnlyToEcsTasks() {
        String exec = id("AWS::IAM::Role", (Map.of("Description", Match.stringLikeRegexp(".*starts a version.*"))));
        String task = id("AWS::IAM::Role", (Map.of("Description", Match.stringLikeRegexp(".*the app's code.*"))));
        List<Map<String, Object>> passRole = controllerStatements().stream().filter(s -> actions(s).contains("iam:PassRole")).toList();
        assertThat(passRole).singleElement().satisfies(s -> {
            assertThat(actions(s)).containsExactly("iam:PassRole");
            assertThat(s.get("Resource")).isEqualTo(List.of(Map.of("Fn::GetAtt", List.of(exec, "Arn")), Map.of("Fn::GetAtt", List.of(task, "Arn"))));
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
        });
    }

    @Test
    void controllerReachesDynamoDbOnlyOnItsTableAndStreamAndCloudWatchOnlyToRead() {
        String table = t.getResourceId("AWS::DynamoDB::Table");
        for (Map<String, Object> s : controllerStatements()) {
            List<String> acts = actions(s);
            if (acts.stream().anyMatch(a -> a.startsWith("dynamodb:"))) {
                assertThat(acts).allMatch(a -> a.startsWith("dynamodb:"));
                assertThat(s.get("Resource")).isIn(Map.of("Fn::GetAtt", List.of(table, "Arn")),
                        Map.of("Fn::GetAtt", List.of(table, "StreamArn")));
                assertThat(acts).doesNotContain("dynamodb:DeleteTable", "dynamodb:CreateTable", "dynamodb:UpdateTable",
                        "dynamodb:BatchWriteItem", "dynamodb:DeleteItem");
            }
            if (acts.stream().anyMatch(a -> a.startsWith("cloudwatch:")) && !"TargetTrackingAlarms".equals(s.get("Sid"))) {
                assertThat(acts).containsExactly("cloudwatch:GetMetricData");
            }
        }
        assertThat(controllerStatements()).flatExtracting(BackendStackTest::actions)
                .contains("dynamodb:ConditionCheckItem", "dynamodb:GetRecords", "cloudwatch:GetMetricData");
    }

    @Test
    void controllerMayCreateRulesOnlyOnTheAppListenerAndChangeRulesOnlyOfThisLoadBalancer() {
        String listener = t.getResourceId("AWS::ElasticLoadBalancingV2::Listener");
        Map<String, Object> create = controllerStatements().stream().filter(s -> actions(s).contains("elasticloadbalancing:CreateRule"))
                .findFirst().orElseThrow();
        assertThat(create.get("Resource")).isEqualTo(Map.of("Ref", listener));
        Map<String, Object> change = controllerStatements().stream().filter(s -> actions(s).contains("elasticloadbalancing:ModifyRule"))
                .findFirst().orElseThrow();
        String lb = t.getResourceId("AWS::ElasticLoadBalancingV2::LoadBalancer");
        assertThat(String.valueOf(change.get("Resource"))).contains(":listener-rule/").contains(lb + ", LoadBalancerFullName");
    }

    @Test
    void everyValueTheCommandsNeedIsAnSsmParameter() {
        for (String name : ParameterNames.BACKEND) {
            t.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/skewless/shop/" + name, "Type", "String")));
        }
        t.resourceCountIs("AWS::SSM::Parameter", ParameterNames.BACKEND.size());
    }

    // ---- helpers ----

    /** The one resource of {@code type} whose properties include {@code properties}. */
    private String id(String type, Map<String, Object> properties) {
        return t.getResourceId(type, Map.of("Properties", Match.objectLike(properties)));
    }

    private Map<String, Object> controllerPolicy() {
        String policy = id("AWS::IAM::Policy", Map.of("PolicyName", Match.stringLikeRegexp("ControllerPolicy.*")));
        return props(t.toJSON(), policy);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> controllerStatements() {
        return (List<Map<String, Object>>) ((Map<String, Object>) controllerPolicy().get("PolicyDocument")).get("Statement");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> statementsOfRole(String roleId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> policy : t.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> p = props(policy);
            if (((List<Object>) p.get("Roles")).contains(Map.of("Ref", roleId))) {
                out.addAll((List<Map<String, Object>>) ((Map<String, Object>) p.get("PolicyDocument")).get("Statement"));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> actions(Map<String, Object> statement) {
        Object a = statement.get("Action");
        return a instanceof List<?> l ? (List<String>) l : List.of((String) a);
    }

    private String logicalId(String type, String descriptionWord) {
        return id(type, Map.of("GroupDescription", Match.stringLikeRegexp(".*" + descriptionWord + ".*")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> props(Map<String, Object> template, String logicalId) {
        return props((Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(logicalId));
    }
}
