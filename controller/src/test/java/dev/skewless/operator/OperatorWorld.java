package dev.skewless.operator;

import dev.skewless.api.ControllerServer;
import dev.skewless.api.ServerOptions;
import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.MotoAccount;
import dev.skewless.engine.Backoff;
import dev.skewless.engine.EngineConfig;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.store.kubernetes.KubernetesVersionStore;
import dev.skewless.testing.KubeApiServer;
import dev.skewless.testing.MotoServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * One moto account (network, ALB listener, ECS cluster) and one namespace on a test API server
 * with the CRDs installed, for the operator's story tests: operators started as
 * {@code skewless operator} starts them ({@link OperatorProviders}, served by
 * {@link ControllerServer}), records written as the CLI writes them ({@link KubernetesVersionStore}),
 * and uncounted admin clients to inspect AWS.
 */
final class OperatorWorld implements AutoCloseable {
    static final String CLUSTER = "apps";
    /** Short enough that a revoked version drains in seconds. */
    static final Duration DEREGISTRATION_DELAY = Duration.ofSeconds(5);

    final KubeApiServer kube;
    final String namespace;
    final KubernetesClient admin;
    final KubernetesVersionStore cli;
    final MotoAccount account;
    final EcsClient ecs;
    final ElasticLoadBalancingV2Client elb;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Set<String> registered = new HashSet<>();

    OperatorWorld(KubeApiServer kube, String namespace) {
        this.kube = kube;
        this.namespace = namespace;
        this.admin = kube.client(namespace);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).createOr(n -> n.update());
        this.cli = new KubernetesVersionStore(admin, namespace, InstantSource.system());
        this.account = MotoAccount.fresh().withNetwork();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        this.ecs = EcsClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials).build();
        this.elb = account.setupElb();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
    }

    /** An operator replica as {@code skewless operator} composes it, against moto, serving HTTP on a free port. */
    ControllerServer.Running<SkewlessOperator> startOperator(String identity, Runnable lostLeadership) {
        KubernetesClient client = kube.client(namespace);
        OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of(OperatorSettings.NAMESPACES_ENV, namespace,
                        OperatorSettings.LEASE_NAMESPACE_ENV, namespace))
                .withIdentity(identity)
                .withLeaseTimings(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1))
                .withEngine(EngineConfig.DEFAULT.withResyncPeriod(Duration.ofSeconds(20))
                        .withBackoff(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5), Backoff.Jitter.EQUAL)))
                .withStatusRefresh(Duration.ofSeconds(5));
        SkewlessOperator operator = OperatorProviders.with(MotoAccount.settings(MotoServer.shared().endpoint()),
                Map.of(OperatorSettings.NAMESPACES_ENV, namespace), client)
                .settings(settings).lostLeadership(lostLeadership).closing(client).build();
        return ControllerServer.start(operator, ServerOptions.DEFAULT.withPort(0));
    }

    // ---------------------------------------------------------------- records, as the CLI writes them

    App app(String name, String live, PriorityRange priorities, List<String> paths) {
        return new App(ObjectMeta.ofApp(name), new AppSpec(
                new PlatformSpec(CLUSTER, List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                        "arn:aws:iam::123456789012:role/exec", null, "/skewless/" + name, false, 1),
                new RouterSpec(account.listenerArn, priorities, paths, List.of(), DEREGISTRATION_DELAY, false, null),
                null, new RetentionSpec(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofDays(1), null, 10),
                new ReleaseSpec(live, null), null), null);
    }

    void applyApp(String name) {
        cli.applyApp(app(name, "latest", new PriorityRange(100, 199), List.of("/api/*")));
    }

    void applyVersion(String app, String version) {
        cli.applyVersion(new AppVersion(ObjectMeta.ofVersion(app, version),
                new AppVersionSpec("repo/api:" + version, 256, 512, 2, 8080, Map.of("MODE", "prod"), Map.of(), null, null, false), null));
    }

    void revoke(String app, String version) {
        AppVersion v = cli.getVersion(new VersionKey(app, version)).orElseThrow();
        cli.applyVersion(new AppVersion(ObjectMeta.ofVersion(app, version), v.spec().withRevoked(true), null));
    }

    // ---------------------------------------------------------------- AWS, uncounted

    /** moto never registers ECS tasks in target groups: register two made-up IPs in each new group, as ECS would. */
    void registerTargets() {
        for (TargetGroup tg : elb.describeTargetGroups().targetGroups()) {
            if (registered.add(tg.targetGroupArn())) {
                elb.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                        .targets(t -> t.id("10.0.1.10").port(tg.port()), t -> t.id("10.0.2.10").port(tg.port())));
            }
        }
    }

    /** The listener's non-default rules. */
    List<Rule> rules() {
        return elb.describeRules(b -> b.listenerArn(account.listenerArn).pageSize(400)).rules().stream()
                .filter(r -> !Boolean.TRUE.equals(r.isDefault())).toList();
    }

    /** Tags of ELB resources by ARN. */
    Map<String, Map<String, String>> elbTags(List<String> arns) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (int i = 0; i < arns.size(); i += 20) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 20));
            for (TagDescription d : elb.describeTags(b -> b.resourceArns(batch)).tagDescriptions()) {
                Map<String, String> tags = new TreeMap<>();
                d.tags().forEach(t -> tags.put(t.key(), t.value()));
                out.put(d.resourceArn(), tags);
            }
        }
        return out;
    }

    /** Every AWS resource tagged for {@code app}: "kind version" lines (rules, target groups, live services, active task definitions). */
    List<String> owned(String app) {
        List<String> out = new ArrayList<>();
        List<Rule> rules = rules();
        List<TargetGroup> tgs = elb.describeTargetGroups().targetGroups();
        List<String> arns = new ArrayList<>(rules.stream().map(Rule::ruleArn).toList());
        arns.addAll(tgs.stream().map(TargetGroup::targetGroupArn).toList());
        Map<String, Map<String, String>> tags = elbTags(arns);
        rules.forEach(r -> ownedBy(app, tags.get(r.ruleArn())).ifPresent(v -> out.add("rule " + v)));
        tgs.forEach(t -> ownedBy(app, tags.get(t.targetGroupArn())).ifPresent(v -> out.add("targetGroup " + v)));
        List<String> serviceArns = ecs.listServices(b -> b.cluster(CLUSTER).maxResults(100)).serviceArns();
        if (!serviceArns.isEmpty()) {
            for (Service s : ecs.describeServices(b -> b.cluster(CLUSTER).services(serviceArns).include(ServiceField.TAGS)).services()) {
                Map<String, String> t = new TreeMap<>();
                s.tags().forEach(x -> t.put(x.key(), x.value()));
                if (!"INACTIVE".equals(s.status())) {
                    ownedBy(app, t).ifPresent(v -> out.add("service " + v));
                }
            }
        }
        ecs.listTaskDefinitions(b -> b.status("ACTIVE").maxResults(100)).taskDefinitionArns().forEach(arn -> {
            Map<String, String> t = new TreeMap<>();
            ecs.describeTaskDefinition(b -> b.taskDefinition(arn).include(software.amazon.awssdk.services.ecs.model.TaskDefinitionField.TAGS))
                    .tags().forEach(x -> t.put(x.key(), x.value()));
            ownedBy(app, t).ifPresent(v -> out.add("taskDefinition " + v));
        });
        return out;
    }

    private static java.util.Optional<String> ownedBy(String app, Map<String, String> tags) {
        if (tags == null || !OwnershipTags.DEFAULT_OWNER.equals(tags.get(OwnershipTags.MANAGED_BY)) || !app.equals(tags.get(OwnershipTags.APP))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(tags.getOrDefault(OwnershipTags.VERSION, "-"));
    }

    /** AWS calls an operator replica made, all operations. */
    static double awsCalls(SkewlessOperator operator) {
        return operator.registry().find(AwsCallMetrics.CALLS).counters().stream().mapToDouble(Counter::count).sum();
    }

    void closeLater(AutoCloseable c) {
        closing.add(c);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closing.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the next test starts from a fresh account and namespace
            }
        }
        cli.close();
        ecs.close();
        elb.close();
        account.close();
        admin.close();
    }
}
