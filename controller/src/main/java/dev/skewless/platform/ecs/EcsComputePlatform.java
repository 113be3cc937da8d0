package dev.skewless.platform.ecs;

import dev.skewless.aws.AwsFailures;
import dev.skewless.model.App;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.ScalingPolicySpec;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedService.Rollout;
import dev.skewless.plan.observed.ObservedService.Status;
import dev.skewless.plan.observed.ObservedTaskDefinition;
import dev.skewless.platform.ComputePlatform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * {@link ComputePlatform} on ECS Fargate: one task definition family and one service per version.
 *
 * <p>Observing an App costs one paginated ListServices per cluster, DescribeServices in batches of
 * 10 (with tags), one paginated ListTaskDefinitions and a DescribeTaskDefinition only for revisions
 * never seen before: revisions are immutable, so their tags are cached by ARN; and the services'
 * Application Auto Scaling targets and policies ({@link EcsAutoscaling}). Nothing is described per
 * version.
 *
 * <p>Every call is one AWS request (or two, for registering with tags); every failure is an
 * {@link ActionException} classified by {@link AwsFailures}. Thread-safe.
 */
public final class EcsComputePlatform implements ComputePlatform {
    private static final Logger LOG = LoggerFactory.getLogger(EcsComputePlatform.class);
    /** DescribeServices takes at most 10 services per call. */
    static final int DESCRIBE_SERVICES_BATCH = 10;
    /** ECS container health check bounds (seconds). */
    private static final int HC_INTERVAL_MIN = 5;
    private static final int HC_INTERVAL_MAX = 300;
    private static final int HC_TIMEOUT_MIN = 2;
    private static final int HC_TIMEOUT_MAX = 60;
    private static final int HC_START_PERIOD = 30;

    private final EcsClient ecs;
    private final EcsAutoscaling autoscaling;
    private final String region;
    /** Revision ARN → its family and tags; revisions never change, so they are described once. */
    private final Map<String, ObservedTaskDefinition> taskDefinitions = new ConcurrentHashMap<>();

    /**
     * @param ecs    the ECS client (from {@link dev.skewless.aws.AwsClientFactory})
     * @param aas    the Application Auto Scaling client (same factory)
     * @param region region for the awslogs driver; the client's own region when null
     */
    public EcsComputePlatform(EcsClient ecs, ApplicationAutoScalingClient aas, String region) {
        this.ecs = ecs;
        this.autoscaling = new EcsAutoscaling(aas);
        this.region = region != null ? region : ecs.serviceClientConfiguration().region().id();
    }

    // ---- observe ----

    @Override
    public Observation observe(App app) {
        String cluster = app.spec().platform().cluster();
        String namePrefix = app.name() + "-";
        return call("observe " + app.name(), () -> {
            // Service names are <app>-<version>-<hash> (ResourceNames), so the prefix narrows the
            // listing before any describe; the app tag decides.
            List<String> arns = new ArrayList<>();
            try {
                ecs.listServicesPaginator(b -> b.cluster(cluster).maxResults(100)).serviceArns().forEach(arn -> {
                    if (lastSegment(arn).startsWith(namePrefix)) {
                        arns.add(arn);
                    }
                });
            } catch (ClusterNotFoundException e) {
                // No cluster, no services: the pass goes on, and creating one reports the bad cluster
                // on the version (INVALID) instead of failing every pass of the App.
                LOG.atWarn().setMessage("cluster not found").addKeyValue("app", app.name()).addKeyValue("cluster", cluster).log();
            }
            List<ObservedService> services = new ArrayList<>();
            for (int i = 0; i < arns.size(); i += DESCRIBE_SERVICES_BATCH) {
                List<String> batch = arns.subList(i, Math.min(arns.size(), i + DESCRIBE_SERVICES_BATCH));
                DescribeServicesResponse r = ecs.describeServices(b -> b.cluster(cluster).services(batch).include(ServiceField.TAGS));
                for (Service s : r.services()) {
                    Map<String, String> tags = tags(s.tags());
                    Status status = status(s.status());
                    if (status != Status.INACTIVE && app.name().equals(tags.get(OwnershipTags.APP))) {
                        services.add(observed(s, cluster, status, tags));
                    }
                }
            }
            // Scalable targets of the App's services, by resource id: no service, no call.
            List<String> resourceIds = services.stream().map(s -> ScalableTargetSpec.resourceId(s.cluster(), s.name())).toList();
            EcsAutoscaling.Observed scaling = resourceIds.isEmpty()
                    ? new EcsAutoscaling.Observed(List.of(), List.of()) : autoscaling.observe(resourceIds);
            return new Observation(services, taskDefinitionsOf(app), scaling.targets(), scaling.policies());
        });
    }

    /**
     * ACTIVE revisions tagged for the App. ListTaskDefinitions' {@code familyPrefix} is an exact
     * family name despite its name, so the App's families are found by listing all ACTIVE
     * revisions (100 per page) and keeping the {@code <app>-} families; only revisions never seen
     * before are described.
     */
    private List<ObservedTaskDefinition> taskDefinitionsOf(App app) {
        String familyPrefix = app.name() + "-";
        List<ObservedTaskDefinition> out = new ArrayList<>();
        for (String arn : ecs.listTaskDefinitionsPaginator(b -> b.status(TaskDefinitionStatus.ACTIVE).maxResults(100))
                .taskDefinitionArns()) {
            String family = family(arn);
            if (!family.startsWith(familyPrefix)) {
                continue;
            }
            ObservedTaskDefinition td = taskDefinitions.get(arn);
            if (td == null) {
                // Not computeIfAbsent: that would hold a map lock across a network call.
                td = describeTaskDefinition(arn);
                taskDefinitions.put(arn, td);
            }
            if (td != null && app.name().equals(td.tags().get(OwnershipTags.APP))) {
                out.add(td);
            }
        }
        return out;
    }

    private ObservedTaskDefinition describeTaskDefinition(String arn) {
        DescribeTaskDefinitionResponse r = ecs.describeTaskDefinition(b -> b.taskDefinition(arn).include(TaskDefinitionField.TAGS));
        return new ObservedTaskDefinition(arn, r.taskDefinition().family(), tags(r.tags()));
    }

    static ObservedService observed(Service s, String cluster, Status status, Map<String, String> tags) {
        Deployment primary = s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst().orElse(null);
        // ECS makes the new deployment PRIMARY as UpdateService returns, so the service's task
        // definition is the primary's; moto only updates the former, so prefer it.
        String taskDefinition = s.taskDefinition() != null ? s.taskDefinition() : primary == null ? null : primary.taskDefinition();
        String targetGroup = s.loadBalancers().isEmpty() ? null : s.loadBalancers().getFirst().targetGroupArn();
        return new ObservedService(s.serviceArn(), s.serviceName(), cluster, status, s.desiredCount(), s.runningCount(),
                rollout(primary, s), taskDefinition, targetGroup, tags);
    }

    /**
     * The primary deployment's rollout state. Services not using the ECS deployment controller's
     * rollout tracking report none; there a single deployment with all tasks running is as
     * complete as ECS can say.
     */
    private static Rollout rollout(Deployment primary, Service s) {
        if (primary == null) {
            return Rollout.IN_PROGRESS;
        }
        DeploymentRolloutState state = primary.rolloutState();
        if (state == null || state == DeploymentRolloutState.UNKNOWN_TO_SDK_VERSION) {
            return s.deployments().size() == 1 && s.runningCount() >= s.desiredCount() ? Rollout.COMPLETED : Rollout.IN_PROGRESS;
        }
        return switch (state) {
            case COMPLETED -> Rollout.COMPLETED;
            case FAILED -> Rollout.FAILED;
            default -> Rollout.IN_PROGRESS;
        };
    }

    static Status status(String status) {
        return switch (status == null ? "" : status) {
            case "ACTIVE" -> Status.ACTIVE;
            case "DRAINING" -> Status.DRAINING;
            default -> Status.INACTIVE;
        };
    }

    // ---- task definitions ----

    @Override
    public String registerTaskDefinition(TaskDefinitionSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.putIfAbsent(OwnershipTags.SPEC_HASH, spec.specHash());
        ContainerDefinition container = ContainerDefinition.builder()
                .name(spec.containerName())
                .image(spec.image())
                .essential(true)
                .portMappings(p -> p.containerPort(spec.containerPort()).protocol(TransportProtocol.TCP))
                // Sorted: the same spec always renders the same revision.
                .environment(new TreeMap<>(spec.env()).entrySet().stream()
                        .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .secrets(new TreeMap<>(spec.secrets()).entrySet().stream()
                        .map(e -> Secret.builder().name(e.getKey()).valueFrom(e.getValue()).build()).toList())
                .logConfiguration(spec.logGroup() == null ? null : logConfiguration(spec, tags))
                .healthCheck(spec.healthCheck() == null ? null : healthCheck(spec.healthCheck(), spec.containerPort()))
                .build();
        String arn = call("register task definition " + spec.family(), () -> ecs.registerTaskDefinition(b -> b
                .family(spec.family())
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC)
                .cpu(Integer.toString(spec.cpu()))
                .memory(Integer.toString(spec.memory()))
                .executionRoleArn(spec.executionRoleArn())
                .taskRoleArn(spec.taskRoleArn())
                .containerDefinitions(container)
                .tags(ecsTags(tags))).taskDefinition().taskDefinitionArn());
        LOG.atInfo().setMessage("registered task definition").addKeyValue("family", spec.family()).addKeyValue("arn", arn).log();
        return arn;
    }

    private software.amazon.awssdk.services.ecs.model.LogConfiguration logConfiguration(TaskDefinitionSpec spec,
            Map<String, String> tags) {
        // Streams are <prefix>/<container>/<task id>: prefixing with the version keeps each
        // version's logs together in the App's group.
        String prefix = tags.getOrDefault(OwnershipTags.VERSION, spec.family());
        return software.amazon.awssdk.services.ecs.model.LogConfiguration.builder().logDriver(LogDriver.AWSLOGS)
                .options(Map.of("awslogs-group", spec.logGroup(), "awslogs-region", region, "awslogs-stream-prefix", prefix))
                .build();
    }

    /**
     * The container health check probes the same path as the target group, with curl or (in
     * slim images without curl) wget, so ECS replaces a wedged task even between ALB probes.
     * Public for the image tests, which keep the sample image's HEALTHCHECK equal to it.
     */
    public static software.amazon.awssdk.services.ecs.model.HealthCheck healthCheck(HealthCheckSpec hc, int port) {
        String url = "http://localhost:" + port + hc.path();
        String command = "curl -fsS -o /dev/null " + url + " || wget -q -O /dev/null " + url + " || exit 1";
        return software.amazon.awssdk.services.ecs.model.HealthCheck.builder()
                .command("CMD-SHELL", command)
                .interval(clamp((int) hc.interval().toSeconds(), HC_INTERVAL_MIN, HC_INTERVAL_MAX))
                .timeout(clamp((int) hc.timeout().toSeconds(), HC_TIMEOUT_MIN, HC_TIMEOUT_MAX))
                .retries(clamp(hc.unhealthyThreshold(), 1, 10))
                .startPeriod(HC_START_PERIOD)
                .build();
    }

    @Override
    public void deregisterTaskDefinition(String taskDefinitionArn) {
        try {
            call("deregister task definition " + taskDefinitionArn,
                    () -> ecs.deregisterTaskDefinition(b -> b.taskDefinition(taskDefinitionArn)));
        } catch (ActionException e) {
            // ECS answers a missing revision with a generic ClientException; the test cloud (and the
            // engine) know it as NOT_FOUND.
            if ("ClientException".equals(e.code()) && e.getMessage().toLowerCase().contains("not exist")) {
                throw new ActionException(Kind.NOT_FOUND, e.code(), e.getMessage(), e);
            }
            throw e;
        }
        taskDefinitions.remove(taskDefinitionArn);
    }

    // ---- services ----

    @Override
    public String createService(ServiceSpec spec) {
        String arn = call("create service " + spec.name(), () -> ecs.createService(createServiceRequest(spec)).service().serviceArn());
        LOG.atInfo().setMessage("created service").addKeyValue("service", spec.name()).addKeyValue("cluster", spec.cluster())
                .addKeyValue("desired", spec.desiredCount()).log();
        return arn;
    }

    /** The CreateService request for a spec (package-visible: moto does not echo every field back). */
    static CreateServiceRequest createServiceRequest(ServiceSpec spec) {
        CreateServiceRequest.Builder b = CreateServiceRequest.builder()
                .cluster(spec.cluster())
                .serviceName(spec.name())
                .taskDefinition(spec.taskDefinitionArn())
                .desiredCount(spec.desiredCount())
                .launchType(LaunchType.FARGATE)
                .networkConfiguration(network(spec))
                // A version whose tasks never get healthy fails its deployment instead of retrying forever.
                .deploymentConfiguration(d -> d.deploymentCircuitBreaker(c -> c.enable(true).rollback(true)))
                .propagateTags(PropagateTags.SERVICE)
                .enableECSManagedTags(true)
                .tags(ecsTags(spec.tags()));
        if (spec.targetGroupArn() != null) {
            b.loadBalancers(loadBalancer(spec));
        }
        return b.build();
    }

    @Override
    public void updateService(String serviceArn, ServiceSpec spec) {
        call("update service " + spec.name(), () -> ecs.updateService(b -> {
            b.cluster(spec.cluster())
                    .service(serviceArn)
                    .taskDefinition(spec.taskDefinitionArn())
                    .desiredCount(spec.desiredCount())
                    .networkConfiguration(network(spec));
            if (spec.targetGroupArn() != null) {
                b.loadBalancers(loadBalancer(spec));
            }
        }));
    }

    @Override
    public void scaleService(String cluster, String serviceArn, int desiredCount) {
        call("scale service " + serviceArn, () -> ecs.updateService(b -> b.cluster(cluster).service(serviceArn).desiredCount(desiredCount)));
        LOG.atInfo().setMessage("scaled service").addKeyValue("service", serviceArn).addKeyValue("desired", desiredCount).log();
    }

    @Override
    public void deleteService(String cluster, String serviceArn) {
        try {
            call("delete service " + serviceArn, () -> ecs.deleteService(b -> b.cluster(cluster).service(serviceArn)));
        } catch (ActionException e) {
            // Gone (INACTIVE, DRAINING after an earlier delete, or never there) is what we wanted.
            if ("ServiceNotFoundException".equals(e.code()) || "ServiceNotActiveException".equals(e.code())
                    || "ClusterNotFoundException".equals(e.code())) {
                return;
            }
            throw e;
        }
        LOG.atInfo().setMessage("deleted service").addKeyValue("service", serviceArn).log();
    }

    private static NetworkConfiguration network(ServiceSpec spec) {
        return NetworkConfiguration.builder().awsvpcConfiguration(a -> a.subnets(spec.subnets())
                .securityGroups(spec.securityGroups())
                .assignPublicIp(spec.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)).build();
    }

    private static LoadBalancer loadBalancer(ServiceSpec spec) {
        return LoadBalancer.builder().targetGroupArn(spec.targetGroupArn()).containerName(spec.containerName())
                .containerPort(spec.containerPort()).build();
    }

    // ---- Application Auto Scaling ----

    @Override
    public void registerScalableTarget(ScalableTargetSpec spec) {
        call("register scalable target " + spec.resourceId(), () -> {
            autoscaling.registerScalableTarget(spec);
            return null;
        });
    }

    @Override
    public void putScalingPolicy(ScalingPolicySpec spec) {
        call("put scaling policy " + spec.name(), () -> {
            autoscaling.putScalingPolicy(spec);
            return null;
        });
    }

    @Override
    public void deleteScalingPolicy(String resourceId, String policyName) {
        call("delete scaling policy " + policyName, () -> {
            autoscaling.deleteScalingPolicy(resourceId, policyName);
            return null;
        });
    }

    @Override
    public void deregisterScalableTarget(String resourceId) {
        call("deregister scalable target " + resourceId, () -> {
            autoscaling.deregisterScalableTarget(resourceId);
            return null;
        });
    }

    // ---- plumbing ----

    private static <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            ActionException failure = AwsFailures.classify(e, what);
            LOG.atDebug().setMessage("ECS call failed").addKeyValue("action", what).addKeyValue("kind", failure.kind())
                    .addKeyValue("code", failure.code()).log();
            throw failure;
        }
    }

    private static List<Tag> ecsTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            out.put(t.key(), t.value());
        }
        return out;
    }

    /** {@code arn:aws:ecs:r:a:task-definition/family:3} → {@code family}. */
    static String family(String taskDefinitionArn) {
        String s = lastSegment(taskDefinitionArn);
        int colon = s.lastIndexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    private static String lastSegment(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
