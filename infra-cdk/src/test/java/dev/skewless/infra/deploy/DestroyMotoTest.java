package dev.skewless.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * What {@code destroy} removes before the stacks, for real against ECS and ELBv2 on moto: it stops
 * the controller, then removes exactly the App's services, rules, target groups and task
 * definitions that carry {@code skewless.dev/managed-by=skewless} and {@code skewless.dev/app=shop};
 * another team's resources on the same cluster and listener, and another App's, stay.
 */
// The SDK's consumer-builder overloads take generic varargs.
@SuppressWarnings("unchecked")
class DestroyMotoTest {
    @TempDir
    Path repo;

    private final Moto moto = Moto.shared();
    private AwsClients aws;
    private String listener;
    private String subnet;
    private String securityGroup;

    @BeforeEach
    void account() {
        moto.reset();
        aws = moto.clients();
        try (var ec2 = software.amazon.awssdk.services.ec2.Ec2Client.builder().endpointOverride(java.net.URI.create(endpoint()))
                .region(Moto.REGION).credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testing", "testing"))).build()) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
            subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
            String subnet2 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
            securityGroup = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("tasks").description("tasks")).groupId();
            String lb = aws.elbv2().createLoadBalancer(b -> b.name("skewless-shop").subnets(subnet, subnet2))
                    .loadBalancers().getFirst().loadBalancerArn();
            listener = aws.elbv2().createListener(b -> b.loadBalancerArn(lb).port(80).protocol(ProtocolEnum.HTTP)
                    .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("503"))))
                    .listeners().getFirst().listenerArn();
            ownedTg = targetGroup("skl-shop-0a1b2c3d4e", vpc, Map.of("skewless.dev/managed-by", "skewless", "skewless.dev/app", "shop",
                    "skewless.dev/version", "v1"));
            foreignTg = targetGroup("skl-shop-foreign01", vpc, Map.of("skewless.dev/managed-by", "payments-team", "skewless.dev/app", "shop"));
            otherAppTg = targetGroup("skl-cart-9f8e7d6c5b", vpc, Map.of("skewless.dev/managed-by", "skewless", "skewless.dev/app", "cart"));
        }
        ownedRule = rule(1000, ownedTg, Map.of("skewless.dev/managed-by", "skewless", "skewless.dev/app", "shop", "skewless.dev/rule", "pin.header.v1"));
        foreignRule = rule(10, foreignTg, Map.of());
        otherAppRule = rule(1100, otherAppTg, Map.of("skewless.dev/managed-by", "skewless", "skewless.dev/app", "cart"));

        aws.ecs().createCluster(b -> b.clusterName("skewless-shop"));
        ownedTd = taskDefinition("shop-v1-0a1b2c", Map.of("skewless.dev/managed-by", "skewless", "skewless.dev/app", "shop"));
        foreignTd = taskDefinition("shop-batch", Map.of());
        ownedService = service("shop-v1-0a1b2c", ownedTd, Map.of("skewless.dev/managed-by", "skewless", "skewless.dev/app", "shop",
                "skewless.dev/version", "v1"));
        foreignService = service("shop-batch", foreignTd, Map.of());
        controllerService = service("skewless-controller", foreignTd, Map.of("skewless.dev/stack", "skewless-shop-backend"));
    }

    private String ownedTg;
    private String foreignTg;
    private String otherAppTg;
    private String ownedRule;
    private String foreignRule;
    private String otherAppRule;
    private String ownedTd;
    private String foreignTd;
    private String ownedService;
    private String foreignService;
    private String controllerService;

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void removesExactlyTheControllersResourcesOfTheApp() {
        StringWriter out = new StringWriter();
        Transcript t = new Transcript(new PrintWriter(out, true), false);
        Deployment d = new Deployment(new Effects(t, repo, aws), t, new Deployment.Target("shop", "skewless", repo, List.of(), false),
                Clock.systemUTC());

        d.removeControllerResources(Map.of("cluster", "skewless-shop", "listener-arn", listener, "controller-service", "skewless-controller"));

        assertThat(service(controllerService).desiredCount()).as("controller stopped first").isZero();
        assertThat(status(ownedService)).isIn("INACTIVE", "MISSING");
        assertThat(status(foreignService)).isEqualTo("ACTIVE");
        assertThat(rules()).contains(foreignRule, otherAppRule).doesNotContain(ownedRule);
        assertThat(targetGroups()).contains(foreignTg, otherAppTg).doesNotContain(ownedTg);
        assertThat(aws.ecs().describeTaskDefinition(b -> b.taskDefinition(ownedTd)).taskDefinition().statusAsString()).isEqualTo("INACTIVE");
        assertThat(aws.ecs().describeTaskDefinition(b -> b.taskDefinition(foreignTd)).taskDefinition().statusAsString()).isEqualTo("ACTIVE");
        // In that order: the controller cannot rebuild, services go before the groups they use.
        assertThat(out.toString().lines().filter(l -> l.startsWith("aws ") && !l.contains(" Describe") && !l.contains(" List")).toList())
                .containsExactly(
                        "aws   ecs UpdateService cluster=skewless-shop service=skewless-controller desiredCount=0",
                        "aws   ecs DeleteService cluster=skewless-shop service=" + ownedService + " force=true",
                        "aws   elbv2 DeleteRule RuleArn=" + ownedRule,
                        "aws   elbv2 DeleteTargetGroup TargetGroupArn=" + ownedTg,
                        "aws   ecs DeregisterTaskDefinition taskDefinition=" + ownedTd);
    }

    // ---- plumbing ----

    private String endpoint() {
        return moto.endpoint().toString();
    }

    private String targetGroup(String name, String vpc, Map<String, String> tags) {
        String arn = aws.elbv2().createTargetGroup(b -> b.name(name).protocol(ProtocolEnum.HTTP).port(8080).vpcId(vpc)
                .targetType(TargetTypeEnum.IP)).targetGroups().getFirst().targetGroupArn();
        if (!tags.isEmpty()) {
            aws.elbv2().addTags(b -> b.resourceArns(arn).tags(tags.entrySet().stream()
                    .map(e -> software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build())
                    .toList()));
        }
        return arn;
    }

    private String rule(int priority, String targetGroup, Map<String, String> tags) {
        String arn = aws.elbv2().createRule(b -> b.listenerArn(listener).priority(priority)
                .conditions(c -> c.field("path-pattern").values("/p" + priority + "/*"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroup))).rules().getFirst().ruleArn();
        if (!tags.isEmpty()) {
            aws.elbv2().addTags(b -> b.resourceArns(arn).tags(tags.entrySet().stream()
                    .map(e -> software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build())
                    .toList()));
        }
        return arn;
    }

    private String taskDefinition(String family, Map<String, String> tags) {
        return aws.ecs().registerTaskDefinition(b -> {
            b.family(family).networkMode(NetworkMode.AWSVPC).requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                    .containerDefinitions(c -> c.name("app").image("example/app:1").portMappings(p -> p.containerPort(8080)));
            if (!tags.isEmpty()) {
                b.tags(tags.entrySet().stream()
                        .map(e -> software.amazon.awssdk.services.ecs.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
            }
        }).taskDefinition().taskDefinitionArn();
    }

    private String service(String name, String taskDefinition, Map<String, String> tags) {
        return aws.ecs().createService(b -> {
            b.cluster("skewless-shop").serviceName(name).taskDefinition(taskDefinition).desiredCount(2).launchType(LaunchType.FARGATE)
                    .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets(subnet).securityGroups(securityGroup)
                            .assignPublicIp(AssignPublicIp.ENABLED)));
            if (!tags.isEmpty()) {
                b.tags(tags.entrySet().stream()
                        .map(e -> software.amazon.awssdk.services.ecs.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
            }
        }).service().serviceArn();
    }

    private software.amazon.awssdk.services.ecs.model.Service service(String arn) {
        return aws.ecs().describeServices(b -> b.cluster("skewless-shop").services(arn)).services().getFirst();
    }

    private String status(String arn) {
        var r = aws.ecs().describeServices(b -> b.cluster("skewless-shop").services(arn));
        return r.services().isEmpty() ? "MISSING" : r.services().getFirst().status();
    }

    private List<String> rules() {
        return aws.elbv2().describeRules(b -> b.listenerArn(listener)).rules().stream().map(Rule::ruleArn).toList();
    }

    private List<String> targetGroups() {
        return aws.elbv2().describeTargetGroups().targetGroups().stream().map(TargetGroup::targetGroupArn).toList();
    }
}
