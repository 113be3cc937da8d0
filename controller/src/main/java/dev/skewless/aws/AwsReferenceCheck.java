package dev.skewless.aws;

import dev.skewless.model.App;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.validation.FieldPaths;
import dev.skewless.model.validation.Problem;
import dev.skewless.plan.action.ActionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Reads whether the AWS resources an App names exist and are usable: its listener (an HTTP or
 * HTTPS listener), the load balancer's VPC, the ECS cluster (ACTIVE), every subnet and security
 * group (in one VPC, the load balancer's), and the execution and task roles. One read per
 * resource kind and App, each answer cached for the life of this object (one {@code apply}), so
 * Apps sharing a listener or subnets cost one read.
 *
 * <p>A reader only: it reports what AWS answered, with the field path of the spec that names the
 * resource, and decides nothing. An answer that says the resource is not there (or not usable) is a
 * {@link Problem}; an answer that says nothing about the resource (access denied, throttled,
 * unreachable) is a warning, because the caller may lack describe permissions and the controller
 * reports the same mistake later anyway (decision 031).
 */
public final class AwsReferenceCheck {
    /** Codes that say "you may not look", not "it is not there". */
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "UnauthorizedException", "AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId");

    private final ElasticLoadBalancingV2Client elb;
    private final EcsClient ecs;
    private final Ec2Client ec2;
    private final IamClient iam;

    private final Map<String, Answer<Listener>> listeners = new HashMap<>();
    private final Map<String, Answer<LoadBalancer>> loadBalancers = new HashMap<>();
    private final Map<String, Answer<Cluster>> clusters = new HashMap<>();
    /** Subnet id → its VPC. */
    private final Map<String, Answer<String>> subnets = new HashMap<>();
    /** Security group id → its VPC. */
    private final Map<String, Answer<String>> securityGroups = new HashMap<>();
    private final Map<String, Answer<String>> roles = new HashMap<>();

    /**
     * What the check found.
     *
     * @param problems every reference that AWS says is missing or unusable, with its field path
     *                 ({@code spec.router.listenerArn}, {@code spec.platform.subnets[1]})
     * @param warnings references that could not be checked, and why, one sentence each
     */
    public record Result(List<Problem> problems, List<String> warnings) {
        public Result {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }
    }

    /** What AWS answered about one resource. */
    private sealed interface Answer<T> {
        record Found<T>(T value) implements Answer<T> {}

        record Missing<T>(String code) implements Answer<T> {}

        record Unknown<T>(String why) implements Answer<T> {}
    }

    public AwsReferenceCheck(ElasticLoadBalancingV2Client elb, EcsClient ecs, Ec2Client ec2, IamClient iam) {
        this.elb = Objects.requireNonNull(elb, "elb");
        this.ecs = Objects.requireNonNull(ecs, "ecs");
        this.ec2 = Objects.requireNonNull(ec2, "ec2");
        this.iam = Objects.requireNonNull(iam, "iam");
    }

    /** Checks every reference of {@code app}; never throws for an AWS answer. */
    public synchronized Result check(App app) {
        List<Problem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        RouterSpec router = app.spec().router();
        PlatformSpec platform = app.spec().platform();

        // The VPC the target groups live in: the App's vpcId, else the load balancer's.
        String loadBalancerVpc = null;
        String listenerPath = "spec.router.listenerArn";
        switch (listener(router.listenerArn())) {
            case Answer.Found<Listener> f -> {
                String protocol = f.value().protocolAsString();
                if (!"HTTP".equals(protocol) && !"HTTPS".equals(protocol)) {
                    problems.add(new Problem(listenerPath, "listener " + router.listenerArn() + " is a " + protocol
                            + " listener; skewless writes path and header rules, which only HTTP and HTTPS listeners of an"
                            + " Application Load Balancer have"));
                }
                switch (loadBalancer(f.value().loadBalancerArn())) {
                    case Answer.Found<LoadBalancer> lb -> loadBalancerVpc = lb.value().vpcId();
                    case Answer.Missing<LoadBalancer> m -> { } // deleted between the two reads: the listener went with it
                    case Answer.Unknown<LoadBalancer> u -> warnings.add("could not check the VPC of the load balancer of "
                            + listenerPath + ": " + u.why());
                }
            }
            case Answer.Missing<Listener> m -> problems.add(new Problem(listenerPath,
                    "listener " + router.listenerArn() + " does not exist (" + m.code() + ")"));
            case Answer.Unknown<Listener> u -> warnings.add("could not check " + listenerPath + ": " + u.why());
        }
        if (router.vpcId() != null && loadBalancerVpc != null && !router.vpcId().equals(loadBalancerVpc)) {
            problems.add(new Problem("spec.router.vpcId", "is " + router.vpcId() + ", but the listener's load balancer is in "
                    + loadBalancerVpc + "; target groups must be in the load balancer's VPC"));
        }
        String targetVpc = router.vpcId() != null ? router.vpcId() : loadBalancerVpc;

        String clusterPath = "spec.platform.cluster";
        switch (cluster(platform.cluster())) {
            case Answer.Found<Cluster> f -> {
                if (!"ACTIVE".equals(f.value().status())) {
                    problems.add(new Problem(clusterPath, "ECS cluster " + platform.cluster() + " is " + f.value().status()
                            + "; services can only be created in an ACTIVE cluster"));
                }
            }
            case Answer.Missing<Cluster> m -> problems.add(new Problem(clusterPath,
                    "ECS cluster " + platform.cluster() + " does not exist (" + m.code() + ")"));
            case Answer.Unknown<Cluster> u -> warnings.add("could not check " + clusterPath + ": " + u.why());
        }

        lookUp(subnets, platform.subnets(), "InvalidSubnetID.NotFound", ids -> ec2.describeSubnets(b -> b.filters(filter("subnet-id", ids)))
                .subnets().stream().collect(HashMap::new, (m, s) -> m.put(s.subnetId(), s.vpcId()), HashMap::putAll));
        String subnetVpc = null;
        for (int i = 0; i < platform.subnets().size(); i++) {
            String id = platform.subnets().get(i);
            String path = FieldPaths.index("spec.platform.subnets", i);
            switch (subnets.get(id)) {
                case Answer.Found<String> f -> {
                    if (targetVpc != null && !targetVpc.equals(f.value())) {
                        problems.add(new Problem(path, "subnet " + id + " is in " + f.value() + ", but the target groups are in "
                                + targetVpc + " (the " + (router.vpcId() != null ? "spec.router.vpcId" : "listener's load balancer")
                                + "); tasks must run in that VPC to be registered"));
                    } else if (subnetVpc != null && !subnetVpc.equals(f.value())) {
                        problems.add(new Problem(path, "subnet " + id + " is in " + f.value() + ", the first subnet in " + subnetVpc
                                + "; a service's subnets must all be in one VPC"));
                    }
                    subnetVpc = subnetVpc == null ? f.value() : subnetVpc;
                }
                case Answer.Missing<String> m -> problems.add(new Problem(path, "subnet " + id + " does not exist (" + m.code() + ")"));
                case Answer.Unknown<String> u -> warnings.add("could not check " + path + ": " + u.why());
                case null -> { }
            }
        }
        String tasksVpc = targetVpc != null ? targetVpc : subnetVpc;

        lookUp(securityGroups, platform.securityGroups(), "InvalidGroup.NotFound", ids -> ec2.describeSecurityGroups(b -> b.filters(filter("group-id", ids)))
                .securityGroups().stream().collect(HashMap::new, (m, g) -> m.put(g.groupId(), g.vpcId()), HashMap::putAll));
        for (int i = 0; i < platform.securityGroups().size(); i++) {
            String id = platform.securityGroups().get(i);
            String path = FieldPaths.index("spec.platform.securityGroups", i);
            switch (securityGroups.get(id)) {
                case Answer.Found<String> f -> {
                    if (tasksVpc != null && f.value() != null && !tasksVpc.equals(f.value())) {
                        problems.add(new Problem(path, "security group " + id + " is in " + f.value() + ", the tasks run in "
                                + tasksVpc + "; a task's security groups must be in its VPC"));
                    }
                }
                case Answer.Missing<String> m -> problems.add(new Problem(path,
                        "security group " + id + " does not exist (" + m.code() + ")"));
                case Answer.Unknown<String> u -> warnings.add("could not check " + path + ": " + u.why());
                case null -> { }
            }
        }

        checkRole("spec.platform.executionRoleArn", platform.executionRoleArn(), problems, warnings);
        checkRole("spec.platform.taskRoleArn", platform.taskRoleArn(), problems, warnings);
        return new Result(problems, warnings);
    }

    private void checkRole(String path, String arn, List<Problem> problems, List<String> warnings) {
        if (arn == null || arn.isBlank()) {
            return;
        }
        String name = roleName(arn);
        Answer<String> answer = roles.computeIfAbsent(name, n -> read(() -> iam.getRole(b -> b.roleName(n)).role().arn()));
        switch (answer) {
            case Answer.Found<String> f -> { }
            case Answer.Missing<String> m -> problems.add(new Problem(path, "IAM role " + name + " does not exist (" + m.code() + ")"));
            case Answer.Unknown<String> u -> warnings.add("could not check " + path + ": " + u.why());
        }
    }

    /**
     * The role name in a role ARN: the last segment of its resource, since a path may precede it
     * ({@code arn:aws:iam::123:role/service/name} → {@code name}).
     */
    static String roleName(String arn) {
        int role = arn.indexOf(":role/");
        String resource = role < 0 ? arn : arn.substring(role + ":role/".length());
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    private Answer<Listener> listener(String arn) {
        return listeners.computeIfAbsent(arn, a -> read(() -> elb.describeListeners(b -> b.listenerArns(a)).listeners().getFirst()));
    }

    private Answer<LoadBalancer> loadBalancer(String arn) {
        return loadBalancers.computeIfAbsent(arn, a -> read(() -> elb.describeLoadBalancers(b -> b.loadBalancerArns(a)).loadBalancers().getFirst()));
    }

    private Answer<Cluster> cluster(String nameOrArn) {
        return clusters.computeIfAbsent(nameOrArn, n -> {
            Answer<DescribeClustersResponse> r = read(() -> ecs.describeClusters(b -> b.clusters(n)));
            return switch (r) {
                // ECS answers a missing cluster with a failure entry ("MISSING"), not an error.
                case Answer.Found<DescribeClustersResponse> f -> f.value().clusters().isEmpty()
                        ? new Answer.Missing<>(f.value().failures().isEmpty() ? "MISSING" : f.value().failures().getFirst().reason())
                        : new Answer.Found<>(f.value().clusters().getFirst());
                case Answer.Missing<DescribeClustersResponse> m -> new Answer.Missing<>(m.code());
                case Answer.Unknown<DescribeClustersResponse> u -> new Answer.Unknown<>(u.why());
            };
        });
    }

    /** A reader of {@code ids → (id → VPC)} for the ids it finds; ids it does not return are missing. */
    private interface BatchRead {
        Map<String, String> read(List<String> ids);
    }

    /**
     * Looks up the uncached {@code ids} in one filtered read: a filter answers only the ones that
     * exist, where asking by id fails the whole call at the first missing one. Those not answered
     * are missing, reported with the code EC2 would have used ({@code missingCode}).
     */
    private void lookUp(Map<String, Answer<String>> cache, List<String> ids, String missingCode, BatchRead reader) {
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(ids));
        wanted.removeIf(cache::containsKey);
        if (wanted.isEmpty()) {
            return;
        }
        Answer<Map<String, String>> answer = read(() -> reader.read(wanted));
        for (String id : wanted) {
            cache.put(id, switch (answer) {
                case Answer.Found<Map<String, String>> f -> f.value().containsKey(id)
                        ? new Answer.Found<>(f.value().get(id)) : new Answer.Missing<>(missingCode);
                case Answer.Missing<Map<String, String>> m -> new Answer.Missing<>(m.code());
                case Answer.Unknown<Map<String, String>> u -> new Answer.Unknown<>(u.why());
            });
        }
    }

    private static Filter filter(String name, List<String> values) {
        return Filter.builder().name(name).values(values).build();
    }

    /** One read: found, or what the error says about the resource. */
    private static <T> Answer<T> read(Supplier<T> call) {
        try {
            return new Answer.Found<>(call.get());
        } catch (SdkException e) {
            return classify(e);
        }
    }

    /**
     * A 4xx that is neither a denial nor throttling is AWS saying the name is wrong: missing, or
     * malformed ({@code ValidationError} for a listener ARN of another shape). Anything else says
     * nothing about the resource.
     */
    static <T> Answer<T> classify(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = AwsFailures.code(ase);
            if (DENIED.contains(code) || ase.statusCode() == 403) {
                return new Answer.Unknown<>("access denied (" + code + "); checked by the controller when it acts");
            }
            // Not found and invalid (a malformed name) are answers about the resource; throttling,
            // 5xx and conflicts are not.
            ActionException.Kind kind = AwsFailures.classify(e, "check").kind();
            if (kind == ActionException.Kind.NOT_FOUND || kind == ActionException.Kind.INVALID) {
                return new Answer.Missing<>(code);
            }
            return new Answer.Unknown<>(code + " (" + ase.statusCode() + "); not checked");
        }
        return new Answer.Unknown<>("AWS could not be reached (" + e.getMessage() + "); not checked");
    }
}
