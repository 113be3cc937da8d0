package dev.skewless.platform.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skewless.aws.MotoAccount;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedService.Rollout;
import dev.skewless.plan.observed.ObservedService.Status;
import dev.skewless.platform.ComputePlatform.Observation;
import dev.skewless.testing.MotoServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * {@link EcsComputePlatform} against a real moto_server. moto does not run containers; with
 * {@code MOTO_ECS_SERVICE_RUNNING=2} every service reports two running tasks and a COMPLETED
 * primary deployment.
 */
class EcsComputePlatformTest {
    private static final String CLUSTER = "apps";

    private MotoAccount account;
    private EcsClient ecs;
    private EcsComputePlatform platform;
    private String targetGroupArn;

    @BeforeEach
    void setUp() {
        account = MotoAccount.fresh().withNetwork();
        ecs = account.clients.ecs();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        platform = new EcsComputePlatform(ecs, account.clients.applicationAutoScaling(), null);
        try (ElasticLoadBalancingV2Client elb = account.setupElb()) {
            targetGroupArn = elb.createTargetGroup(b -> b.name("skl-shop-1").protocol(ProtocolEnum.HTTP).port(8080)
                    .vpcId(account.vpcId).targetType(TargetTypeEnum.IP)).targetGroups().getFirst().targetGroupArn();
        }
    }

    @AfterEach
    void tearDown() {
        ecs.close();
        account.close();
    }

    @Test
    void registersATaskDefinitionWithEverythingTheSpecSays() {
        VersionKey key = new VersionKey("shop", "v1.2");
        String arn = platform.registerTaskDefinition(taskDefinition(key, "nginx:1"));

        DescribeTaskDefinitionResponse r = ecs.describeTaskDefinition(b -> b.taskDefinition(arn).include(TaskDefinitionField.TAGS));
        assertThat(r.taskDefinition().family()).isEqualTo(ResourceNames.taskFamily(key));
        assertThat(r.taskDefinition().requiresCompatibilitiesAsStrings()).containsExactly("FARGATE");
        assertThat(r.taskDefinition().networkModeAsString()).isEqualTo("awsvpc");
        assertThat(r.taskDefinition().cpu()).isEqualTo("256");
        assertThat(r.taskDefinition().memory()).isEqualTo("512");
        assertThat(r.taskDefinition().executionRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/exec");
        assertThat(r.taskDefinition().taskRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/task");
        ContainerDefinition c = r.taskDefinition().containerDefinitions().getFirst();
        assertThat(c.name()).isEqualTo("shop");
        assertThat(c.image()).isEqualTo("nginx:1");
        assertThat(c.portMappings().getFirst().containerPort()).isEqualTo(8080);
        assertThat(c.environment()).extracting(e -> e.name() + "=" + e.value()).containsExactly("A=1", "B=2");
        assertThat(c.secrets()).extracting(s -> s.name() + "=" + s.valueFrom())
                .containsExactly("TOKEN=arn:aws:secretsmanager:us-east-1:123456789012:secret:t");
        assertThat(c.logConfiguration().logDriverAsString()).isEqualTo("awslogs");
        assertThat(c.logConfiguration().options()).containsEntry("awslogs-group", "/skewless/shop")
                .containsEntry("awslogs-region", "us-east-1").containsEntry("awslogs-stream-prefix", "v1.2");
        assertThat(c.healthCheck().command()).first().isEqualTo("CMD-SHELL");
        assertThat(c.healthCheck().command().get(1)).contains("curl").contains("wget").contains("http://localhost:8080/healthz");
        assertThat(c.healthCheck().interval()).isEqualTo(10);
        assertThat(r.tags()).extracting(t -> t.key() + "=" + t.value()).contains("skewless.dev/managed-by=skewless",
                "skewless.dev/app=shop", "skewless.dev/version=v1.2", "skewless.dev/spec-hash=hash-nginx:1");
    }

    @Test
    void createsAFargateServiceWithTargetGroupCircuitBreakerAndTags() {
        VersionKey key = new VersionKey("shop", "v1");
        String td = platform.registerTaskDefinition(taskDefinition(key, "nginx:1"));
        String arn = platform.createService(service(key, td, 2));

        Service s = ecs.describeServices(b -> b.cluster(CLUSTER).services(arn).include(ServiceField.TAGS)).services().getFirst();
        assertThat(s.serviceName()).isEqualTo(ResourceNames.service(key));
        assertThat(s.launchTypeAsString()).isEqualTo("FARGATE");
        assertThat(s.desiredCount()).isEqualTo(2);
        assertThat(s.networkConfiguration().awsvpcConfiguration().subnets()).containsExactly(account.subnetA, account.subnetB);
        assertThat(s.networkConfiguration().awsvpcConfiguration().securityGroups()).containsExactly(account.securityGroup);
        assertThat(s.loadBalancers()).singleElement().satisfies(lb -> {
            assertThat(lb.targetGroupArn()).isEqualTo(targetGroupArn);
            assertThat(lb.containerName()).isEqualTo("shop");
            assertThat(lb.containerPort()).isEqualTo(8080);
        });
        // moto does not echo deploymentConfiguration back; check the request instead.
        var request = EcsComputePlatform.createServiceRequest(service(key, td, 2));
        assertThat(request.deploymentConfiguration().deploymentCircuitBreaker().enable()).isTrue();
        assertThat(request.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isTrue();
        assertThat(request.enableECSManagedTags()).isTrue();
        assertThat(s.propagateTagsAsString()).isEqualTo("SERVICE");
        assertThat(s.tags()).extracting(t -> t.key() + "=" + t.value())
                .contains("skewless.dev/managed-by=skewless", "skewless.dev/app=shop", "skewless.dev/version=v1");
    }

    @Test
    void observeReportsTheAppsServicesAndTaskDefinitionsOnly() {
        VersionKey v1 = new VersionKey("shop", "v1");
        String td = platform.registerTaskDefinition(taskDefinition(v1, "nginx:1"));
        String arn = platform.createService(service(v1, td, 2));
        // Another App whose name shares the prefix, and an untagged service of the same prefix.
        VersionKey other = new VersionKey("shop-admin", "v1");
        String otherTd = platform.registerTaskDefinition(taskDefinition(other, "nginx:2"));
        platform.createService(service(other, otherTd, 1));
        ecs.createService(b -> b.cluster(CLUSTER).serviceName("shop-handmade").taskDefinition(td).desiredCount(1));

        Observation o = platform.observe(app("shop"));

        assertThat(o.services()).singleElement().satisfies(s -> {
            assertThat(s.arn()).isEqualTo(arn);
            assertThat(s.name()).isEqualTo(ResourceNames.service(v1));
            assertThat(s.cluster()).isEqualTo(CLUSTER);
            assertThat(s.status()).isEqualTo(Status.ACTIVE);
            assertThat(s.desiredCount()).isEqualTo(2);
            assertThat(s.runningCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
            assertThat(s.rollout()).isEqualTo(Rollout.COMPLETED);
            assertThat(s.taskDefinitionArn()).isEqualTo(td);
            assertThat(s.targetGroupArn()).isEqualTo(targetGroupArn);
            assertThat(OwnershipTags.isVersionResource(s.tags(), OwnershipTags.DEFAULT_OWNER)).isTrue();
        });
        assertThat(o.taskDefinitions()).singleElement().satisfies(t -> {
            assertThat(t.arn()).isEqualTo(td);
            assertThat(t.family()).isEqualTo(ResourceNames.taskFamily(v1));
            assertThat(t.tags()).containsEntry(OwnershipTags.SPEC_HASH, "hash-nginx:1");
        });
    }

    @Test
    void observeBatchesDescribeServicesByTenAndDescribesEachRevisionOnce() {
        for (int i = 0; i < 25; i++) {
            VersionKey key = new VersionKey("shop", "v" + i);
            String td = platform.registerTaskDefinition(taskDefinition(key, "nginx:" + i));
            platform.createService(service(key, td, 1));
        }
        double describeServices = account.metrics.count("DescribeServices");
        double describeTaskDefinitions = account.metrics.count("DescribeTaskDefinition");

        assertThat(platform.observe(app("shop")).services()).hasSize(25);
        assertThat(account.metrics.count("DescribeServices") - describeServices).isEqualTo(3);
        assertThat(account.metrics.count("DescribeTaskDefinition") - describeTaskDefinitions).isEqualTo(25);
        assertThat(account.metrics.count("ListServices")).isEqualTo(1);

        Observation again = platform.observe(app("shop"));
        assertThat(again.taskDefinitions()).hasSize(25);
        assertThat(account.metrics.count("DescribeTaskDefinition") - describeTaskDefinitions)
                .as("revisions are immutable: a second pass describes none").isEqualTo(25);
    }

    @Test
    void updatesScalesDeletesAndTreatsGoneAsDone() {
        VersionKey key = new VersionKey("shop", "v1");
        String td1 = platform.registerTaskDefinition(taskDefinition(key, "nginx:1"));
        String arn = platform.createService(service(key, td1, 2));
        String td2 = platform.registerTaskDefinition(taskDefinition(key, "nginx:2"));

        platform.updateService(arn, service(key, td2, 3));
        ObservedService updated = platform.observe(app("shop")).services().getFirst();
        assertThat(updated.taskDefinitionArn()).isEqualTo(td2);
        assertThat(updated.desiredCount()).isEqualTo(3);

        platform.scaleService(CLUSTER, arn, 1);
        assertThat(platform.observe(app("shop")).services().getFirst().desiredCount()).isEqualTo(1);

        assertThatThrownBy(() -> platform.deleteService(CLUSTER, arn)).isInstanceOfSatisfying(ActionException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.code()).isEqualTo("InvalidParameterException");
        });
        platform.scaleService(CLUSTER, arn, 0);
        platform.deleteService(CLUSTER, arn);
        assertThat(platform.observe(app("shop")).services()).as("INACTIVE counts as gone").isEmpty();
        platform.deleteService(CLUSTER, arn);
        platform.deleteService(CLUSTER, "arn:aws:ecs:us-east-1:123456789012:service/apps/never-was");

        platform.deregisterTaskDefinition(td1);
        assertThat(platform.observe(app("shop")).taskDefinitions()).extracting(t -> t.arn()).containsExactly(td2);
    }

    @Test
    void failuresCarryKindAndCode() {
        VersionKey key = new VersionKey("shop", "v1");
        String td = platform.registerTaskDefinition(taskDefinition(key, "nginx:1"));
        assertThatThrownBy(() -> platform.scaleService(CLUSTER, "arn:aws:ecs:us-east-1:123456789012:service/apps/nope", 1))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                    assertThat(e.code()).isEqualTo("ServiceNotFoundException");
                });
        assertThatThrownBy(() -> platform.createService(new ServiceSpec("no-such-cluster", "shop-x", td, 1,
                List.of(account.subnetA), List.of(account.securityGroup), false, null, "shop", 8080, Map.of())))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.code()).isEqualTo("ClusterNotFoundException");
                });
        assertThatThrownBy(() -> platform.deregisterTaskDefinition("arn:aws:ecs:us-east-1:123456789012:task-definition/nope:1"))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.kind()).isIn(Kind.NOT_FOUND, Kind.INVALID));
    }

    @Test
    void aMissingClusterHasNoServices() {
        App lost = new App(app("shop").metadata(), new AppSpec(new PlatformSpec("no-such-cluster", List.of(account.subnetA),
                List.of(account.securityGroup), "arn:aws:iam::123456789012:role/exec", null, null, false, 1),
                app("shop").spec().router(), null, null, null, null), null);
        assertThat(platform.observe(lost).services()).isEmpty();
    }

    private TaskDefinitionSpec taskDefinition(VersionKey key, String image) {
        Map<String, String> tags = new HashMap<>(OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, key));
        tags.put(OwnershipTags.SPEC_HASH, "hash-" + image);
        return new TaskDefinitionSpec(ResourceNames.taskFamily(key), ResourceNames.container(key), image, 256, 512, 8080,
                Map.of("B", "2", "A", "1"), Map.of("TOKEN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:t"),
                "arn:aws:iam::123456789012:role/exec", "arn:aws:iam::123456789012:role/task", "/skewless/shop",
                new HealthCheckSpec("/healthz", Duration.ofSeconds(10), Duration.ofSeconds(5), 2, 3, "200"), "hash-" + image, tags);
    }

    private ServiceSpec service(VersionKey key, String taskDefinitionArn, int desired) {
        return new ServiceSpec(CLUSTER, ResourceNames.service(key), taskDefinitionArn, desired, List.of(account.subnetA, account.subnetB),
                List.of(account.securityGroup), false, targetGroupArn, ResourceNames.container(key), 8080,
                OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, key));
    }

    private App app(String name) {
        PlatformSpec platformSpec = new PlatformSpec(CLUSTER, List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                "arn:aws:iam::123456789012:role/exec", null, "/skewless/" + name, false, 1);
        RouterSpec router = new RouterSpec(account.listenerArn, new PriorityRange(100, 199), List.of("/api/*"), List.of(), null, false, null);
        return new App(new ObjectMeta(name, null, Map.of(), 1, null), new AppSpec(platformSpec, router, null, null, null, null), null);
    }
}
