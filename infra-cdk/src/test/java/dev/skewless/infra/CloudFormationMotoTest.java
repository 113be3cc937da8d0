package dev.skewless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.testing.MotoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The synthesized templates deploy: both stacks, in the default shape and in the variant with every
 * option turned the other way, are created from their templates in moto's CloudFormation and reach
 * CREATE_COMPLETE; then what they made is read back from the emulated services. The backend goes
 * first: the frontend reads the ALB's name (an SSM parameter the backend writes) at deploy time.
 *
 * <p>The stacks are synthesized here, not taken from {@link Synthesized}: their lookups are answered
 * with moto's own default VPC and CloudFront prefix list of the fixture region, as the cdk CLI would
 * cache a real account's answers (decision 020), because moto refuses a load balancer or service in
 * subnets it does not have; and the variant's certificate comes from moto's ACM, which its load
 * balancer checks. moto's default account is the fixture account, so every ARN the templates build
 * matches. What moto cannot create is listed, with the reason, in {@link MotoTemplate}; these tests
 * check that each shape needed exactly its part of that list, and that moto created every resource
 * it was sent.
 */
class CloudFormationMotoTest {
    private static final String APP = "shop";
    private static final Region REGION = Region.of(OfflineFixture.REGION);
    /** What {@code cdk bootstrap} writes; the templates' BootstrapVersion parameter reads it (version 6 or later passes). */
    private static final String BOOTSTRAP_VERSION_PARAMETER = "/cdk-bootstrap/hnb659fds/version";

    /** What moto cannot create in each shape (see MotoTemplate.UNSUPPORTED for the reasons). */
    private static final List<String> CLOUDFRONT = List.of("AWS::CloudFront::Distribution", "AWS::CloudFront::CachePolicy",
            "AWS::CloudFront::OriginRequestPolicy", "AWS::CloudFront::ResponseHeadersPolicy", "AWS::CloudFront::OriginAccessControl",
            "AWS::S3::BucketPolicy");
    private static final List<String> LEFT_OUT_OF_THE_DEFAULT_SHAPE = concat(CLOUDFRONT, List.of("AWS::EC2::SecurityGroupEgress",
            "AWS::EC2::SecurityGroupIngress from a prefix list", "AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation",
            "AWS::SecretsManager::Secret"));
    private static final List<String> LEFT_OUT_OF_THE_VARIANT = concat(CLOUDFRONT, List.of("AWS::EC2::SecurityGroupEgress",
            "AWS::Lambda::Function with its code in the CDK bootstrap's asset bucket", "Custom::VpcRestrictDefaultSG"));

    private static final List<AutoCloseable> clients = new ArrayList<>();
    private static CloudFormationClient cfn;
    private static Ec2Client ec2;
    private static SsmClient ssm;
    private static Vpc defaultVpc;
    private static List<Subnet> defaultSubnets;
    private static String cloudFrontPrefixList;

    @BeforeAll
    static void emptyAccount() {
        MotoServer.shared().reset();
        cfn = client(CloudFormationClient.builder());
        ec2 = client(Ec2Client.builder());
        ssm = client(SsmClient.builder());
        defaultVpc = ec2.describeVpcs(r -> r.filters(f -> f.name("isDefault").values("true"))).vpcs().getFirst();
        defaultSubnets = ec2.describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(defaultVpc.vpcId()))).subnets().stream()
                .sorted((a, b) -> a.availabilityZone().compareTo(b.availabilityZone())).toList();
        cloudFrontPrefixList = ec2.describeManagedPrefixLists(r -> r.filters(f -> f.name("prefix-list-name")
                .values(BackendStack.CLOUDFRONT_PREFIX_LIST))).prefixLists().getFirst().prefixListId();
        ssm.putParameter(r -> r.name(BOOTSTRAP_VERSION_PARAMETER).value("30").type("String").overwrite(true));
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
    }

    @Test
    void bothStacksReachCreateCompleteAndMakeWhatTheControllerAndDeployCommandsRead() {
        SkewlessInfraApp.Stacks stacks = synthesizeForMoto(Map.of());
        Map<String, Object> backendTemplate = Template.fromStack(stacks.backend()).toJSON();
        Map<String, Object> frontendTemplate = Template.fromStack(stacks.frontend()).toJSON();

        MotoTemplate.Prepared backend = MotoTemplate.prepare(backendTemplate);
        create(stacks.backend().getStackName(), backend);
        MotoTemplate.Prepared frontend = MotoTemplate.prepare(frontendTemplate);
        create(stacks.frontend().getStackName(), frontend);

        assertThat(names(backend, frontend)).containsExactlyInAnyOrderElementsOf(LEFT_OUT_OF_THE_DEFAULT_SHAPE);

        // The records table, as the controller's store expects it.
        TableDescription table = client(DynamoDbClient.builder()).describeTable(r -> r.tableName("skewless-" + APP)).table();
        assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
                .containsExactly("pk:HASH", "sk:RANGE");
        assertThat(table.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
        // The ALB in moto's default subnets, and the listener whose default action answers 503.
        ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder());
        LoadBalancer alb = elb.describeLoadBalancers(r -> r.names("skewless-" + APP)).loadBalancers().getFirst();
        assertThat(alb.schemeAsString()).isEqualTo("internet-facing");
        assertThat(alb.vpcId()).isEqualTo(defaultVpc.vpcId());
        Listener listener = elb.describeListeners(r -> r.loadBalancerArn(alb.loadBalancerArn())).listeners().getFirst();
        assertThat(listener.port()).isEqualTo(80);
        assertThat(listener.defaultActions().getFirst().fixedResponseConfig().statusCode()).isEqualTo("503");
        // The cluster and the controller's service.
        Service controller = client(EcsClient.builder())
                .describeServices(r -> r.cluster("skewless-" + APP).services("skewless-controller")).services().getFirst();
        assertThat(controller.desiredCount()).isEqualTo(2);
        assertThat(controller.taskDefinition()).contains("task-definition/skewless-" + APP + "-controller:");
        assertThat(client(EcrClient.builder()).describeRepositories().repositories()).extracting(r -> r.repositoryName())
                .contains("skewless/" + APP + "-api", "skewless/" + APP + "-controller");
        // The parameters the deploy commands and the frontend read hold the created resources' real ids.
        assertThat(parameter(ParameterNames.LOAD_BALANCER_DNS)).isEqualTo(alb.dnsName());
        assertThat(parameter(ParameterNames.LISTENER_ARN)).isEqualTo(listener.listenerArn());
        assertThat(parameter(ParameterNames.CLUSTER)).isEqualTo("skewless-" + APP);
        assertThat(parameter(ParameterNames.VPC_ID)).isEqualTo(defaultVpc.vpcId());
        assertThat(parameter(ParameterNames.SUBNETS).split(","))
                .containsExactlyInAnyOrderElementsOf(subnetIds());
        assertThat(parameter(ParameterNames.APP_MANIFEST)).contains(listener.listenerArn(), defaultVpc.vpcId());
        String bucket = parameter(ParameterNames.WEB_BUCKET);
        client(S3Client.builder().forcePathStyle(true)).headBucket(r -> r.bucket(bucket));
        assertThat(parameter(ParameterNames.DISTRIBUTION_ID))
                .isEqualTo(MotoTemplate.STAND_INS.get("AWS::CloudFront::Distribution.Ref"));
    }

    @Test
    void theVariantWithANewVpcHttpsAndAPublicAlbIsCreatedToo() {
        // The stack makes its VPC and a public ALB needs no prefix list; but moto's load balancer
        // takes only a certificate its ACM knows, so the variant gets one from there.
        String certificate = client(AcmClient.builder()).requestCertificate(r -> r.domainName("api-origin.shop.example.com"))
                .certificateArn();
        Map<String, Object> context = new HashMap<>(Synthesized.VARIANT);
        context.put(InfraSettings.PREFIX + "certificateArn", certificate);
        SkewlessInfraApp.Stacks stacks = synthesizeForMoto(context);
        MotoTemplate.Prepared backend = MotoTemplate.prepare(Template.fromStack(stacks.backend()).toJSON());
        create(stacks.backend().getStackName(), backend);
        MotoTemplate.Prepared frontend = MotoTemplate.prepare(Template.fromStack(stacks.frontend()).toJSON());
        create(stacks.frontend().getStackName(), frontend);
        assertThat(names(backend, frontend)).containsExactlyInAnyOrderElementsOf(LEFT_OUT_OF_THE_VARIANT);

        String vpc = parameter("checkout", ParameterNames.VPC_ID);
        assertThat(vpc).isNotEqualTo(defaultVpc.vpcId());
        assertThat(ec2.describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(vpc))).subnets()).hasSize(2);
        assertThat(ec2.describeInternetGateways(r -> r.filters(f -> f.name("attachment.vpc-id").values(vpc))).internetGateways())
                .hasSize(1);
        ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder());
        LoadBalancer alb = elb.describeLoadBalancers(r -> r.names("skewless-checkout")).loadBalancers().getFirst();
        assertThat(elb.describeListeners(r -> r.loadBalancerArn(alb.loadBalancerArn())).listeners())
                .extracting(Listener::port).containsExactlyInAnyOrder(80, 443);
        assertThat(parameter("checkout", ParameterNames.LISTENER_ARN)).contains(":listener/app/skewless-checkout/");
    }

    @Test
    void everyEntryOfTheUnsupportedListIsNeededByOneOfTheShapes() {
        Set<String> needed = new HashSet<>(LEFT_OUT_OF_THE_DEFAULT_SHAPE);
        needed.addAll(LEFT_OUT_OF_THE_VARIANT);
        assertThat(MotoTemplate.UNSUPPORTED).extracting(Object::toString).containsExactlyInAnyOrderElementsOf(needed);
    }

    private static Set<String> names(MotoTemplate.Prepared... prepared) {
        Set<String> names = new HashSet<>();
        for (MotoTemplate.Prepared p : prepared) {
            p.matched().forEach(u -> names.add(u.toString()));
        }
        return names;
    }

    /** Both stacks with {@code settings}, the lookups answered by moto: its default VPC and its CloudFront prefix list. */
    private static SkewlessInfraApp.Stacks synthesizeForMoto(Map<String, Object> settings) {
        List<OfflineFixture.LookedUpSubnet> subnets = defaultSubnets.stream()
                .map(s -> new OfflineFixture.LookedUpSubnet(s.subnetId(), s.cidrBlock(), s.availabilityZone())).toList();
        Map<String, Object> context = new HashMap<>(settings);
        // Answers given in the context win over the fixture's (SkewlessInfraApp.define only fills in missing keys).
        context.put(OfflineFixture.defaultVpcKey(), OfflineFixture.defaultVpc(defaultVpc.vpcId(), defaultVpc.cidrBlock(), subnets));
        context.put(OfflineFixture.cloudFrontPrefixListKey(), OfflineFixture.prefixListLookup(cloudFrontPrefixList));
        return Synthesized.stacks(context);
    }

    /** Creates the stack and waits for a final status; every resource sent must have been created. */
    private static void create(String name, MotoTemplate.Prepared template) {
        cfn.createStack(r -> r.stackName(name).templateBody(template.body())
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM));
        Stack stack = awaitFinalStatus(name);
        assertThat(stack.stackStatus()).as("%s: %s; failed events: %s", name, stack.stackStatusReason(), failures(name))
                .isEqualTo(StackStatus.CREATE_COMPLETE);
        Set<String> created = cfn.listStackResources(r -> r.stackName(name)).stackResourceSummaries().stream()
                .map(StackResourceSummary::logicalResourceId).collect(Collectors.toSet());
        assertThat(created).as("resources moto created in %s", name).isEqualTo(template.sent());
    }

    /** moto creates a stack within the CreateStack call; a real CloudFormation would still be working. */
    private static Stack awaitFinalStatus(String name) {
        for (int attempt = 0; ; attempt++) {
            Stack stack = cfn.describeStacks(r -> r.stackName(name)).stacks().getFirst();
            if (!stack.stackStatusAsString().endsWith("_IN_PROGRESS") || attempt >= 300) {
                return stack;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<String> failures(String name) {
        return cfn.describeStackEvents(r -> r.stackName(name)).stackEvents().stream()
                .filter(e -> e.resourceStatusAsString().endsWith("FAILED"))
                .map((StackEvent e) -> e.logicalResourceId() + ": " + e.resourceStatusReason()).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static List<String> subnetIds() {
        return defaultSubnets.stream().map(Subnet::subnetId).toList();
    }

    private static String parameter(String name) {
        return parameter(APP, name);
    }

    private static String parameter(String app, String name) {
        return ssm.getParameter(r -> r.name(ParameterNames.path(app, name))).parameter().value();
    }

    private static URI endpoint() {
        return MotoServer.shared().endpoint();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
    }

    private static <B extends AwsClientBuilder<B, C>, C extends AutoCloseable> C client(B builder) {
        C c = builder.endpointOverride(endpoint()).region(REGION).credentialsProvider(credentials()).build();
        clients.add(c);
        return c;
    }
}
