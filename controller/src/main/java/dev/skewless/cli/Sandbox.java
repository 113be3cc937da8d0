package dev.skewless.cli;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.RecordValidator;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The cloud the README tutorial needs, on a local emulator (moto, LocalStack): a VPC with two
 * subnets and a security group, an application load balancer with an HTTP listener, an ECS
 * cluster and a task execution role; and an App manifest that points at them. Idempotent: what exists (found by the
 * {@code skewless.dev/sandbox} tag or by name) is reused, so running it twice creates nothing new.
 *
 * <p>Refuses to run unless {@code AWS_ENDPOINT_URL} is a loopback address: these calls would
 * otherwise create billable resources in a real account.
 */
final class Sandbox {
    /** Name of the load balancer, the security group and the ECS cluster. */
    static final String NAME = "skewless-sandbox";
    /** Tag marking the sandbox VPC. */
    static final String TAG = "skewless.dev/sandbox";
    static final String VPC_CIDR = "10.77.0.0/16";
    static final List<String> SUBNET_CIDRS = List.of("10.77.1.0/24", "10.77.2.0/24");
    /** The tasks' execution role (apply checks that it exists, decision 031). */
    static final String EXECUTION_ROLE = NAME + "-task-execution";
    /** Lets ECS tasks assume the execution role. */
    private static final String ECS_TASKS_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    /** Short, so versions leave the tutorial's listener quickly. */
    static final Duration DEREGISTRATION_DELAY = Duration.ofSeconds(5);

    private Sandbox() {}

    /**
     * The ids of the sandbox.
     *
     * @param vpcId          the VPC
     * @param subnets        two subnets in two availability zones
     * @param securityGroup  the tasks' and load balancer's security group
     * @param loadBalancerArn the load balancer
     * @param listenerArn    its HTTP:80 listener (default action: 404)
     * @param cluster        the ECS cluster name
     * @param accountId      the emulator's account id (from the load balancer ARN)
     */
    record Ids(String vpcId, List<String> subnets, String securityGroup, String loadBalancerArn, String listenerArn, String cluster,
            String accountId) {}

    /**
     * What {@link #ensure} found or created.
     *
     * @param ids     the resources
     * @param actions one line per resource: {@code created ...} or {@code found ...}
     */
    record Result(Ids ids, List<String> actions) {}

    /**
     * Refuses unless AWS calls go to a loopback address.
     *
     * @return the endpoint
     */
    static String requireEmulator(CliEnvironment env, String what) {
        Optional<String> endpoint = env.awsEndpoint();
        String[] next = {
            "Start moto:     MOTO_ECS_SERVICE_RUNNING=2 moto_server -H 127.0.0.1 -p 5000",
            "Then point at it: export AWS_ENDPOINT_URL=http://127.0.0.1:5000 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"
        };
        if (endpoint.isEmpty()) {
            throw CliFailure.failed(what + " only runs against a local emulator (moto or LocalStack), and AWS_ENDPOINT_URL is not set: "
                    + "it would have created resources in your real AWS account. Nothing was done.", next);
        }
        String host;
        try {
            host = URI.create(endpoint.get()).getHost();
        } catch (IllegalArgumentException e) {
            host = null;
        }
        if (host == null) {
            throw CliFailure.usage("AWS_ENDPOINT_URL=" + endpoint.get() + " is not a URL like http://127.0.0.1:5000.", next);
        }
        if (!isLoopback(host)) {
            throw CliFailure.failed(what + " only runs against an emulator on this machine, and AWS_ENDPOINT_URL=" + endpoint.get()
                    + " is not a loopback address (127.0.0.1, ::1 or localhost). Nothing was done.", next);
        }
        return endpoint.get();
    }

    /** Whether {@code host} is loopback. Names other than {@code localhost} are not resolved: a DNS answer is not proof. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = h.matches("[0-9.]+") || h.contains(":");
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Finds or creates every sandbox resource. */
    static Result ensure(Ec2Client ec2, ElasticLoadBalancingV2Client elb, EcsClient ecs, IamClient iam) {
        List<String> actions = new ArrayList<>();
        Tag sandboxTag = Tag.builder().key(TAG).value("true").build();
        Tag nameTag = Tag.builder().key("Name").value(NAME).build();

        Optional<Vpc> existingVpc = ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:" + TAG).values("true").build()))
                .vpcs().stream().findFirst();
        String vpcId;
        if (existingVpc.isPresent()) {
            vpcId = existingVpc.get().vpcId();
            actions.add("found VPC " + vpcId);
        } else {
            vpcId = ec2.createVpc(b -> b.cidrBlock(VPC_CIDR).tagSpecifications(
                    TagSpecification.builder().resourceType(ResourceType.VPC).tags(sandboxTag, nameTag).build())).vpc().vpcId();
            actions.add("created VPC " + vpcId + " (" + VPC_CIDR + ")");
        }

        Filter inVpc = Filter.builder().name("vpc-id").values(vpcId).build();
        List<Subnet> subnets = new ArrayList<>(ec2.describeSubnets(b -> b.filters(inVpc)).subnets());
        subnets.sort((a, b) -> a.cidrBlock().compareTo(b.cidrBlock()));
        if (subnets.size() >= 2) {
            actions.add("found subnets " + subnets.get(0).subnetId() + ", " + subnets.get(1).subnetId());
        } else {
            List<String> zones = ec2.describeAvailabilityZones().availabilityZones().stream().map(AvailabilityZone::zoneName).sorted()
                    .toList();
            if (zones.size() < 2) {
                throw CliFailure.failed("The emulator offers " + zones.size() + " availability zone(s) in this region; a load balancer needs two.",
                        "Use another region: export AWS_REGION=us-east-1");
            }
            for (int i = subnets.size(); i < 2; i++) {
                String cidr = SUBNET_CIDRS.get(i);
                String zone = zones.get(i);
                Subnet s = ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone).tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.SUBNET).tags(sandboxTag, nameTag).build())).subnet();
                subnets.add(s);
                actions.add("created subnet " + s.subnetId() + " (" + cidr + ", " + zone + ")");
            }
        }
        List<String> subnetIds = subnets.stream().limit(2).map(Subnet::subnetId).toList();

        Optional<SecurityGroup> existingSg = ec2.describeSecurityGroups(b -> b.filters(inVpc,
                Filter.builder().name("group-name").values(NAME).build())).securityGroups().stream().findFirst();
        String sg;
        if (existingSg.isPresent()) {
            sg = existingSg.get().groupId();
            actions.add("found security group " + sg);
        } else {
            sg = ec2.createSecurityGroup(b -> b.vpcId(vpcId).groupName(NAME).description("skewless sandbox: tasks and load balancer"))
                    .groupId();
            actions.add("created security group " + sg);
        }

        LoadBalancer lb;
        try {
            lb = elb.describeLoadBalancers(b -> b.names(NAME)).loadBalancers().getFirst();
            actions.add("found load balancer " + NAME);
        } catch (LoadBalancerNotFoundException e) {
            lb = elb.createLoadBalancer(b -> b.name(NAME).subnets(subnetIds).securityGroups(sg)).loadBalancers().getFirst();
            actions.add("created load balancer " + NAME);
        }
        String lbArn = lb.loadBalancerArn();

        Optional<Listener> existingListener = elb.describeListeners(b -> b.loadBalancerArn(lbArn)).listeners().stream()
                .filter(l -> l.port() != null && l.port() == 80).findFirst();
        String listenerArn;
        if (existingListener.isPresent()) {
            listenerArn = existingListener.get().listenerArn();
            actions.add("found listener HTTP:80");
        } else {
            listenerArn = elb.createListener(b -> b.loadBalancerArn(lbArn).protocol(ProtocolEnum.HTTP).port(80)
                    .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE)
                            .fixedResponseConfig(f -> f.statusCode("404").contentType("text/plain").messageBody("no route"))))
                    .listeners().getFirst().listenerArn();
            actions.add("created listener HTTP:80 (default: 404 \"no route\")");
        }

        List<Cluster> clusters = ecs.describeClusters(b -> b.clusters(NAME)).clusters();
        if (clusters.stream().anyMatch(c -> "ACTIVE".equals(c.status()))) {
            actions.add("found ECS cluster " + NAME);
        } else {
            ecs.createCluster(b -> b.clusterName(NAME).tags(t -> t.key(TAG).value("true")));
            actions.add("created ECS cluster " + NAME);
        }

        try {
            iam.getRole(b -> b.roleName(EXECUTION_ROLE));
            actions.add("found IAM role " + EXECUTION_ROLE);
        } catch (NoSuchEntityException e) {
            iam.createRole(b -> b.roleName(EXECUTION_ROLE).assumeRolePolicyDocument(ECS_TASKS_TRUST)
                    .description("skewless sandbox: task execution role"));
            actions.add("created IAM role " + EXECUTION_ROLE);
        }

        return new Result(new Ids(vpcId, subnetIds, sg, lbArn, listenerArn, NAME, accountOf(lbArn)), actions);
    }

    /** The account id in an ARN ({@code arn:aws:service:region:account:...}). */
    static String accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : "123456789012";
    }

    /**
     * The App the tutorial applies: {@code /api/*} on the sandbox listener, priorities
     * 1000..1099, {@code release.live: latest} (each new Ready version goes live by itself),
     * a 5 s deregistration delay so revoked and expired versions leave quickly.
     */
    static App app(String name, Ids ids) {
        App app = new App(new ObjectMeta(name, null, Map.of("skewless.dev/sandbox", "true"), 0, null), new AppSpec(
                new PlatformSpec(ids.cluster(), ids.subnets(), List.of(ids.securityGroup()),
                        "arn:aws:iam::" + ids.accountId() + ":role/" + EXECUTION_ROLE, null, "/skewless/" + name, false, 1),
                new RouterSpec(ids.listenerArn(), new PriorityRange(1000, 1099), List.of("/api/*"), List.of(), DEREGISTRATION_DELAY, false,
                        ids.vpcId()),
                null, RetentionSpec.DEFAULT, ReleaseSpec.LATEST, null), null);
        List<Problem> problems = RecordValidator.checkApp(app);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the sandbox App does not validate: " + problems);
        }
        return app;
    }
}
