package dev.skewless.infra;

import dev.skewless.model.DurationText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ec2.IPrefixList;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.PrefixList;
import software.amazon.awscdk.services.ec2.PrefixListLookupOptions;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecr.TagStatus;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.PropagatedTagSource;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.RedirectOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

/**
 * What lives for the life of the App: network, registries, cluster, load balancer and listener,
 * the records table, log groups, the roles the versions run with, and the controller.
 *
 * <p>What lives for the life of a version (target groups, services, task definitions, listener
 * rules) is the controller's. The two never touch the same property: the stack owns the
 * listener and its default action (a fixed 503 that unmatched requests get), the controller
 * owns the rules inside the App's priority range; the App record says {@code ownsListener:
 * false}, so the controller never changes the default action, and its IAM policy could not.
 * See {@code docs/decisions/021-cdk-and-controller-ownership.md}.
 *
 * <p>By default only the App's CloudFront distribution reaches the ALB: its security group admits
 * CloudFront's origin-facing prefix list, and a WAF web ACL refuses requests without the secret
 * origin header the frontend stack makes CloudFront add ({@code docs/decisions/029-alb-only-from-cloudfront.md}).
 */
public final class BackendStack extends Stack {
    /** Body of the listener's default action: what a request no rule matches gets. */
    static final String NO_ROUTE_BODY = "{\"error\":\"no route\",\"message\":\"no version of this app is routed here (yet)\"}";

    /** The AWS-managed prefix list of the addresses CloudFront reaches origins from. */
    public static final String CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
    /** The header CloudFront adds to every request to the ALB; the ALB's web ACL refuses requests without it. */
    public static final String ORIGIN_HEADER = "x-skewless-origin-verify";
    /** What the web ACL answers a request without the origin header. */
    static final String NOT_FROM_CLOUDFRONT_BODY =
            "{\"error\":\"forbidden\",\"message\":\"this load balancer answers its CloudFront distribution only\"}";

    /** What the controller container runs: {@code java -jar skewless.jar controller}. */
    public static final String CONTROLLER_COMMAND = "controller";

    private final InfraSettings settings;
    private final IVpc vpc;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationListener appListener;
    private final Cluster cluster;
    private final Table table;
    private final Repository apiRepository;
    private final Repository controllerRepository;
    private final SecurityGroup loadBalancerSecurityGroup;
    private final SecurityGroup taskSecurityGroup;
    private final SecurityGroup controllerSecurityGroup;
    private final Role executionRole;
    private final Role taskRole;
    private final LogGroup versionLogGroup;
    private final LogGroup controllerLogGroup;
    private final FargateService controllerService;
    private final Policy controllerPolicy;
    private final String appManifestJson;
    private final CfnWebACL originWebAcl;

    public BackendStack(Construct scope, String id, StackProps props, InfraSettings settings) {
        super(scope, id, props);
        this.settings = settings;
        String app = settings.appName();
        RemovalPolicy removal = settings.removal() == InfraSettings.Removal.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
        Tags.of(this).add("skewless.dev/stack", id);

        // ---- network ----
        this.vpc = switch (settings.vpc()) {
            case DEFAULT -> Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().isDefault(true).build());
            // Public subnets only, like a default VPC: no NAT gateway to pay for; tasks get a public
            // IP for egress (image pulls, AWS APIs) and accept traffic from the ALB only.
            case NEW -> Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(0)
                    .subnetConfiguration(List.of(SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC)
                            .cidrMask(24).build()))
                    .build();
        };
        SubnetSelection publicSubnets = SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build();

        this.loadBalancerSecurityGroup = SecurityGroup.Builder.create(this, "LoadBalancerSecurityGroup").vpc(vpc)
                .description("skewless " + app + " ALB: reaches the tasks of the versions on the container port only")
                .allowAllOutbound(false).build();
        if (settings.cloudFrontOnly()) {
            // CloudFront's origin-facing addresses, by the managed prefix list (its id differs per
            // region: looked up like the VPC and cached in cdk.context.json). The list weighs about 55
            // rules against the group's quota of 60, so it is referenced once: on the port CloudFront
            // uses to reach the origin (HTTPS with a certificate, else HTTP).
            IPrefixList cloudFront = PrefixList.fromLookup(this, "CloudFrontOriginFacing", PrefixListLookupOptions.builder()
                    .prefixListName(CLOUDFRONT_PREFIX_LIST).build());
            loadBalancerSecurityGroup.addIngressRule(Peer.prefixList(cloudFront.getPrefixListId()),
                    Port.tcp(settings.https() ? 443 : 80),
                    (settings.https() ? "HTTPS" : "HTTP") + " from CloudFront origin-facing addresses only");
        } else {
            loadBalancerSecurityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), "HTTP from anywhere (albAccess=public)");
            if (settings.https()) {
                loadBalancerSecurityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS from anywhere (albAccess=public)");
            }
        }
        this.taskSecurityGroup = SecurityGroup.Builder.create(this, "TaskSecurityGroup").vpc(vpc)
                .description("skewless " + app + " versions: only the ALB may connect, on the container port")
                .allowAllOutbound(true).build();
        loadBalancerSecurityGroup.getConnections().allowTo(taskSecurityGroup, Port.tcp(InfraSettings.CONTAINER_PORT),
                "ALB to the container port of the versions");
        this.controllerSecurityGroup = SecurityGroup.Builder.create(this, "ControllerSecurityGroup").vpc(vpc)
                .description("skewless " + app + " controller: no inbound traffic, outbound to AWS APIs")
                .allowAllOutbound(true).build();

        // ---- registries ----
        // A version id names exactly one image, forever: clients pinned to it must get the code
        // they were built against, so the api repository refuses to move a tag.
        this.apiRepository = Repository.Builder.create(this, "ApiRepository").repositoryName("skewless/" + app + "-api")
                .imageTagMutability(TagMutability.IMMUTABLE).imageScanOnPush(true).removalPolicy(removal)
                .emptyOnDelete(removal == RemovalPolicy.DESTROY)
                .lifecycleRules(List.of(LifecycleRule.builder().description("untagged layers of interrupted pushes")
                        .tagStatus(TagStatus.UNTAGGED).maxImageAge(Duration.days(7)).build()))
                .build();
        this.controllerRepository = Repository.Builder.create(this, "ControllerRepository")
                .repositoryName("skewless/" + app + "-controller").imageTagMutability(TagMutability.MUTABLE)
                .imageScanOnPush(true).removalPolicy(removal).emptyOnDelete(removal == RemovalPolicy.DESTROY)
                .lifecycleRules(List.of(LifecycleRule.builder().description("keep the 20 newest controller images")
                        .tagStatus(TagStatus.ANY).maxImageCount(20).build()))
                .build();

        // ---- cluster and load balancer ----
        this.cluster = Cluster.Builder.create(this, "Cluster").clusterName("skewless-" + app).vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED).build();
        this.loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer").loadBalancerName("skewless-" + app)
                .vpc(vpc).internetFacing(true).securityGroup(loadBalancerSecurityGroup).vpcSubnets(publicSubnets).build();
        ListenerAction noRoute = ListenerAction.fixedResponse(503, FixedResponseOptions.builder()
                .contentType("application/json").messageBody(NO_ROUTE_BODY).build());
        if (settings.https()) {
            loadBalancer.addListener("HttpListener", BaseApplicationListenerProps.builder().port(80)
                    .protocol(ApplicationProtocol.HTTP).open(false)
                    .defaultAction(ListenerAction.redirect(RedirectOptions.builder().protocol("HTTPS").port("443").permanent(true).build()))
                    .build());
            this.appListener = loadBalancer.addListener("HttpsListener", BaseApplicationListenerProps.builder().port(443)
                    .protocol(ApplicationProtocol.HTTPS).open(false).sslPolicy(SslPolicy.RECOMMENDED_TLS)
                    .certificates(List.of(ListenerCertificate.fromArn(settings.certificateArn()))).defaultAction(noRoute).build());
        } else {
            this.appListener = loadBalancer.addListener("HttpListener", BaseApplicationListenerProps.builder().port(80)
                    .protocol(ApplicationProtocol.HTTP).open(false).defaultAction(noRoute).build());
        }

        // Any CloudFront distribution comes from the prefix list's addresses: the secret header
        // CloudFront adds (FrontendStack) tells this App's distribution from the others.
        this.originWebAcl = settings.cloudFrontOnly() ? originHeaderCheck(app, settings.originSecretGeneration()) : null;

        // ---- records ----
        // Same layout as `skewless init` creates (docs/store.md): pk/sk, on demand, stream with
        // both images, TTL on expiresAtEpoch; plus point-in-time recovery for the records.
        this.table = Table.Builder.create(this, "Table").tableName("skewless-" + app)
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST).stream(StreamViewType.NEW_AND_OLD_IMAGES)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute("expiresAtEpoch").removalPolicy(removal)
                .deletionProtection(removal == RemovalPolicy.RETAIN).build();

        // ---- logs ----
        RetentionDays retention = retentionDays(settings.logRetentionDays());
        this.versionLogGroup = LogGroup.Builder.create(this, "VersionLogGroup").logGroupName("/skewless/" + app)
                .retention(retention).removalPolicy(removal).build();
        this.controllerLogGroup = LogGroup.Builder.create(this, "ControllerLogGroup").logGroupName("/skewless/" + app + "/controller")
                .retention(retention).removalPolicy(removal).build();

        // ---- roles the versions run with (the controller passes them, nothing else) ----
        this.executionRole = Role.Builder.create(this, "VersionExecutionRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("skewless " + app + ": starts a version's tasks (image pull, logs, the App's secrets)").build();
        apiRepository.grantPull(executionRole);
        versionLogGroup.grantWrite(executionRole);
        // Versions may reference secrets of this App by ARN (spec.secrets); by convention they live
        // under "<app>/" in Secrets Manager and "/<app>/" in Parameter Store.
        executionRole.addToPrincipalPolicy(PolicyStatement.Builder.create().sid("ReadAppSecrets").effect(Effect.ALLOW)
                .actions(List.of("secretsmanager:GetSecretValue", "ssm:GetParameters"))
                .resources(List.of(
                        formatArn(ArnComponents.builder().service("secretsmanager").resource("secret")
                                .resourceName(app + "/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()),
                        formatArn(ArnComponents.builder().service("ssm").resource("parameter")
                                .resourceName(app + "/*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())))
                .build());
        this.taskRole = Role.Builder.create(this, "VersionTaskRole").assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("skewless " + app + ": what the app's code may call; add the app's own permissions here").build();

        // ---- the controller ----
        FargateTaskDefinition controllerTask = FargateTaskDefinition.Builder.create(this, "ControllerTask")
                .family("skewless-" + app + "-controller").cpu(512).memoryLimitMiB(1024)
                .runtimePlatform(RuntimePlatform.builder().cpuArchitecture(CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX).build())
                .build();
        controllerTask.addContainer("controller", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(controllerRepository, settings.controllerImageTag()))
                // The image (controller/Dockerfile) runs the skewless jar; this is its verb.
                .command(List.of(CONTROLLER_COMMAND))
                .portMappings(List.of(PortMapping.builder().containerPort(InfraSettings.CONTAINER_PORT).build()))
                .environment(Map.of("SKEWLESS_TABLE", table.getTableName()))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(controllerLogGroup).streamPrefix("controller").build()))
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", "curl -fsS http://localhost:" + InfraSettings.CONTAINER_PORT
                                + "/health/liveness || exit 1"))
                        .interval(Duration.seconds(15)).timeout(Duration.seconds(5)).retries(3).startPeriod(Duration.seconds(60)).build())
                .build());
        this.controllerService = FargateService.Builder.create(this, "ControllerService").serviceName("skewless-controller")
                .cluster(cluster).taskDefinition(controllerTask).desiredCount(settings.controllerDesiredCount())
                // One replica leads (DynamoDB lease), the others stand by; a rolling deploy keeps
                // one running so leadership moves instead of lapsing.
                .minHealthyPercent(50).maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .securityGroups(List.of(controllerSecurityGroup)).vpcSubnets(publicSubnets).assignPublicIp(true)
                .enableEcsManagedTags(true).propagateTags(PropagatedTagSource.SERVICE).build();
        this.controllerPolicy = Policy.Builder.create(this, "ControllerPolicy")
                .statements(ControllerPolicy.statements(this, new ControllerPolicy.Targets(settings.owner(), cluster.getClusterName(),
                        cluster.getClusterArn(), appListener.getListenerArn(), loadBalancer.getLoadBalancerFullName(),
                        executionRole.getRoleArn(), taskRole.getRoleArn(), table.getTableArn(), table.getTableStreamArn())))
                .build();
        controllerPolicy.attachToRole(controllerTask.getTaskRole());

        // ---- wiring: the App record and the values the deploy commands need ----
        this.appManifestJson = toJsonString(appRecord());
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(ParameterNames.CLUSTER, cluster.getClusterName());
        parameters.put(ParameterNames.SUBNETS, Fn.join(",", vpc.selectSubnets(publicSubnets).getSubnetIds()));
        parameters.put(ParameterNames.TASK_SECURITY_GROUP, taskSecurityGroup.getSecurityGroupId());
        parameters.put(ParameterNames.EXECUTION_ROLE_ARN, executionRole.getRoleArn());
        parameters.put(ParameterNames.TASK_ROLE_ARN, taskRole.getRoleArn());
        parameters.put(ParameterNames.LOG_GROUP, versionLogGroup.getLogGroupName());
        parameters.put(ParameterNames.LISTENER_ARN, appListener.getListenerArn());
        parameters.put(ParameterNames.VPC_ID, vpc.getVpcId());
        parameters.put(ParameterNames.TABLE, table.getTableName());
        parameters.put(ParameterNames.API_REPOSITORY_URI, apiRepository.getRepositoryUri());
        parameters.put(ParameterNames.CONTROLLER_REPOSITORY_URI, controllerRepository.getRepositoryUri());
        parameters.put(ParameterNames.CONTROLLER_IMAGE_TAG, settings.controllerImageTag());
        parameters.put(ParameterNames.CONTROLLER_SERVICE, controllerService.getServiceName());
        parameters.put(ParameterNames.LOAD_BALANCER_DNS, loadBalancer.getLoadBalancerDnsName());
        parameters.put(ParameterNames.APP_MANIFEST, appManifestJson);
        writeParameters(this, app, parameters);

        CfnOutput.Builder.create(this, "ListenerArn").value(appListener.getListenerArn()).build();
        CfnOutput.Builder.create(this, "LoadBalancerDns").value(loadBalancer.getLoadBalancerDnsName()).build();
        CfnOutput.Builder.create(this, "TableName").value(table.getTableName()).build();
        CfnOutput.Builder.create(this, "ApiRepositoryUri").value(apiRepository.getRepositoryUri()).build();
    }

    /**
     * The App record as the controller reads it, with every infrastructure field filled in from
     * this stack. Only {@code platform} and {@code router} come from here; routing, retention,
     * release and local are the release manager's, so they are left out (defaults) and
     * {@code deploy:backend} keeps whatever the stored App says for them.
     */
    private Map<String, Object> appRecord() {
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("cluster", cluster.getClusterName());
        platform.put("subnets", vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build()).getSubnetIds());
        platform.put("securityGroups", List.of(taskSecurityGroup.getSecurityGroupId()));
        platform.put("executionRoleArn", executionRole.getRoleArn());
        platform.put("taskRoleArn", taskRole.getRoleArn());
        platform.put("logGroup", versionLogGroup.getLogGroupName());
        platform.put("assignPublicIp", true);
        platform.put("retainedDesiredCount", 1);
        Map<String, Object> router = new LinkedHashMap<>();
        router.put("listenerArn", appListener.getListenerArn());
        // Ordered maps throughout: the record (and so the template) must be the same on every synthesis.
        Map<String, Object> priorities = new LinkedHashMap<>();
        priorities.put("from", settings.priorityFrom());
        priorities.put("to", settings.priorityTo());
        router.put("priorities", priorities);
        router.put("pathPatterns", settings.pathPatterns());
        router.put("deregistrationDelay", DurationText.format(settings.deregistrationDelay()));
        router.put("ownsListener", false);
        router.put("vpcId", vpc.getVpcId());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("platform", platform);
        spec.put("router", router);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", settings.appName());
        metadata.put("labels", Map.of("skewless.dev/stack", getStackName()));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("apiVersion", "skewless.dev/v1alpha1");
        record.put("kind", "App");
        record.put("metadata", metadata);
        record.put("spec", spec);
        return record;
    }

    /**
     * Name of the Secrets Manager secret holding the origin header's value of one generation. The
     * dot keeps it out of {@code <app>/*}, the secrets the versions' execution role may read (App
     * names have no dot).
     */
    public static String originSecretName(String app, int generation) {
        return "skewless.dev/" + app + "/origin-header-" + generation;
    }

    /**
     * The origin-header check: a secret per accepted generation (the current one, which CloudFront
     * sends, and the one before it, so a rotation never refuses CloudFront while its new header
     * propagates), and a web ACL on the ALB that allows a request only when the header equals one
     * of them. The values are generated by Secrets Manager and reach the web ACL as dynamic
     * references: they are never in the template or the cloud assembly.
     */
    private CfnWebACL originHeaderCheck(String app, int generation) {
        List<CfnWebACL.StatementProperty> accepted = new ArrayList<>();
        for (int g = Math.max(1, generation - 1); g <= generation; g++) {
            Secret secret = Secret.Builder.create(this, "OriginSecret" + g).secretName(originSecretName(app, g))
                    .description("skewless " + app + ": value of the " + ORIGIN_HEADER + " header CloudFront adds (generation " + g + ")")
                    .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
                    // A generated value holds no data: nothing to keep after the stack.
                    .removalPolicy(RemovalPolicy.DESTROY).build();
            accepted.add(CfnWebACL.StatementProperty.builder().byteMatchStatement(CfnWebACL.ByteMatchStatementProperty.builder()
                            .fieldToMatch(CfnWebACL.FieldToMatchProperty.builder()
                                    .singleHeader(Map.of("Name", ORIGIN_HEADER)).build())
                            .positionalConstraint("EXACTLY")
                            // A dynamic reference, resolved by CloudFormation at deploy time (checkSecretUsage asks for the unwrap).
                            .searchString(secret.getSecretValue().unsafeUnwrap())
                            .textTransformations(List.of(CfnWebACL.TextTransformationProperty.builder().priority(0).type("NONE").build()))
                            .build())
                    .build());
        }
        CfnWebACL.StatementProperty fromCloudFront = accepted.size() == 1 ? accepted.getFirst()
                : CfnWebACL.StatementProperty.builder().orStatement(CfnWebACL.OrStatementProperty.builder().statements(accepted).build()).build();
        CfnWebACL acl = CfnWebACL.Builder.create(this, "OriginWebAcl").name("skewless-" + app + "-origin").scope("REGIONAL")
                .description("skewless " + app + ": the ALB answers only requests with the origin header of its CloudFront distribution")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder().block(CfnWebACL.BlockActionProperty.builder()
                        .customResponse(CfnWebACL.CustomResponseProperty.builder().responseCode(403)
                                .customResponseBodyKey("not-from-cloudfront").build()).build()).build())
                .customResponseBodies(Map.of("not-from-cloudfront", CfnWebACL.CustomResponseBodyProperty.builder()
                        .contentType("APPLICATION_JSON").content(NOT_FROM_CLOUDFRONT_BODY).build()))
                .rules(List.of(CfnWebACL.RuleProperty.builder().name("from-cloudfront").priority(0)
                        .action(CfnWebACL.RuleActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                        .statement(fromCloudFront)
                        .visibilityConfig(visibility("skewless-" + app + "-from-cloudfront")).build()))
                .visibilityConfig(visibility("skewless-" + app + "-origin"))
                .build();
        CfnWebACLAssociation.Builder.create(this, "OriginWebAclAssociation")
                .resourceArn(loadBalancer.getLoadBalancerArn()).webAclArn(acl.getAttrArn()).build();
        return acl;
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
        return CfnWebACL.VisibilityConfigProperty.builder().metricName(metric)
                .cloudWatchMetricsEnabled(true).sampledRequestsEnabled(true).build();
    }

    /** One String parameter per value, under {@code /skewless/<app>/}. */
    static void writeParameters(Stack stack, String app, Map<String, String> values) {
        values.forEach((name, value) -> StringParameter.Builder.create(stack, "Parameter-" + name)
                .parameterName(ParameterNames.path(app, name)).stringValue(value)
                .description("skewless " + app + ": " + name + " (written by " + stack.getStackName() + ")").build());
    }

    static RetentionDays retentionDays(int days) {
        return switch (days) {
            case 1 -> RetentionDays.ONE_DAY;
            case 3 -> RetentionDays.THREE_DAYS;
            case 5 -> RetentionDays.FIVE_DAYS;
            case 7 -> RetentionDays.ONE_WEEK;
            case 14 -> RetentionDays.TWO_WEEKS;
            case 30 -> RetentionDays.ONE_MONTH;
            case 60 -> RetentionDays.TWO_MONTHS;
            case 90 -> RetentionDays.THREE_MONTHS;
            case 120 -> RetentionDays.FOUR_MONTHS;
            case 150 -> RetentionDays.FIVE_MONTHS;
            case 180 -> RetentionDays.SIX_MONTHS;
            case 365 -> RetentionDays.ONE_YEAR;
            case 400 -> RetentionDays.THIRTEEN_MONTHS;
            case 545 -> RetentionDays.EIGHTEEN_MONTHS;
            case 731 -> RetentionDays.TWO_YEARS;
            case 1096 -> RetentionDays.THREE_YEARS;
            case 1827 -> RetentionDays.FIVE_YEARS;
            case 2192 -> RetentionDays.SIX_YEARS;
            case 2557 -> RetentionDays.SEVEN_YEARS;
            case 2922 -> RetentionDays.EIGHT_YEARS;
            case 3288 -> RetentionDays.NINE_YEARS;
            case 3653 -> RetentionDays.TEN_YEARS;
            default -> throw new IllegalArgumentException(days + " is not a CloudWatch Logs retention");
        };
    }

    public InfraSettings settings() {
        return settings;
    }

    public IVpc vpc() {
        return vpc;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** The listener the App's rules go on (HTTPS when a certificate is configured, else HTTP). */
    public ApplicationListener appListener() {
        return appListener;
    }

    public Cluster cluster() {
        return cluster;
    }

    public Table table() {
        return table;
    }

    public Repository apiRepository() {
        return apiRepository;
    }

    public Repository controllerRepository() {
        return controllerRepository;
    }

    public SecurityGroup loadBalancerSecurityGroup() {
        return loadBalancerSecurityGroup;
    }

    public SecurityGroup taskSecurityGroup() {
        return taskSecurityGroup;
    }

    public SecurityGroup controllerSecurityGroup() {
        return controllerSecurityGroup;
    }

    public Role executionRole() {
        return executionRole;
    }

    public Role taskRole() {
        return taskRole;
    }

    public LogGroup versionLogGroup() {
        return versionLogGroup;
    }

    public LogGroup controllerLogGroup() {
        return controllerLogGroup;
    }

    public FargateService controllerService() {
        return controllerService;
    }

    public Policy controllerPolicy() {
        return controllerPolicy;
    }

    /** The web ACL that checks the origin header; null with {@code albAccess=public}. */
    public CfnWebACL originWebAcl() {
        return originWebAcl;
    }

    /** The App record JSON (with CloudFormation references until deployed). */
    public String appManifestJson() {
        return appManifestJson;
    }
}
