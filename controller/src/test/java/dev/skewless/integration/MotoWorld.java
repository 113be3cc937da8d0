package dev.skewless.integration;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.CallRates;
import dev.skewless.aws.MotoAccount;
import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.routing.AlbListenerModel;
import dev.skewless.plan.routing.HttpRequest;
import dev.skewless.plan.routing.RouteDecision;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.platform.ecs.EcsComputePlatform;
import dev.skewless.router.TrafficRouter;
import dev.skewless.router.alb.AlbTrafficRouter;
import dev.skewless.store.VersionStore;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import dev.skewless.testing.MotoServer;
import dev.skewless.testing.TestingClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * One moto "cloud" and one DynamoDB table for the whole-engine acceptance tests: the account's
 * network (VPC, subnets, security group, ALB, listener), an ECS cluster, the store on a moto table,
 * controllers wired like production (counted clients, real providers, real planner), and
 * uncounted admin clients to arrange, break and inspect the cloud behind the controllers' back.
 */
final class MotoWorld implements AutoCloseable {
    static final String APP = "shop";
    static final String CLUSTER = "apps";
    static final String TABLE = "skewless-accept";
    static final Duration STEP = Duration.ofSeconds(10);

    final MotoAccount account;
    final TestingClock clock = new TestingClock();
    final EcsClient ecs;
    final ElasticLoadBalancingV2Client elb;
    final DynamoDbClient ddb;
    final DynamoVersionStore store;
    private final List<AutoCloseable> closing = new ArrayList<>();
    /** Run after every pass of {@link #converge}, e.g. to check every resource seen on the way. */
    final List<java.util.function.Consumer<MotoWorld>> afterEachPass = new ArrayList<>();

    /** Empties moto and builds the account, the cluster and the table. */
    MotoWorld() {
        account = MotoAccount.fresh().withNetwork();
        ecs = EcsClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials()).build();
        elb = account.setupElb();
        ddb = DynamoDbClient.builder().endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials()).build();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        TableSetup.create(ddb, TABLE);
        store = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(TABLE), clock);
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
    }

    // ---------------------------------------------------------------- controllers

    /** A controller instance: its own counted clients (own registry), providers and reconciler. */
    final class Controller implements AutoCloseable {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final AwsCallMetrics metrics = new AwsCallMetrics(registry);
        final AwsClientFactory clients;
        final EcsClient ecsClient;
        final ElasticLoadBalancingV2Client elbClient;
        final EcsComputePlatform compute;
        final AlbTrafficRouter router;
        AppReconciler reconciler;

        Controller(URI endpoint, VersionStore records, BooleanSupplier mayAct, UnaryOperator<ComputePlatform> wrapCompute,
                UnaryOperator<TrafficRouter> wrapRouter) {
            clients = new AwsClientFactory(MotoAccount.settings(endpoint), metrics);
            ecsClient = clients.ecs();
            elbClient = clients.elbv2();
            compute = new EcsComputePlatform(ecsClient, clients.applicationAutoScaling(), null);
            router = new AlbTrafficRouter(elbClient, null, OwnershipTags.DEFAULT_OWNER, clock, Duration.ofMinutes(5));
            reconciler = new AppReconciler(records, wrapCompute.apply(compute), wrapRouter.apply(router),
                    new Planner(PlannerConfig.DEFAULT)::plan, clock, mayAct);
            closing.add(this);
        }

        PassResult pass() {
            return reconciler.reconcile(APP);
        }

        /** Mutating AWS calls this instance made (by operation name: not Describe/List/Get). */
        double mutations() {
            return registry.find(AwsCallMetrics.CALLS).counters().stream()
                    .filter(c -> !CallRates.isRead(c.getId().getTag("operation"))).mapToDouble(Counter::count).sum();
        }

        /** All calls by operation. */
        Map<String, Double> callsByOperation() {
            Map<String, Double> out = new TreeMap<>();
            registry.find(AwsCallMetrics.CALLS).counters().forEach(c -> out.merge(c.getId().getTag("operation"), c.count(), Double::sum));
            return out;
        }

        @Override
        public void close() {
            ecsClient.close();
            elbClient.close();
            clients.close();
        }
    }

    /** A controller that always may act, talking to moto directly. */
    Controller controller() {
        return new Controller(MotoServer.shared().endpoint(), store, () -> true, c -> c, r -> r);
    }

    // ---------------------------------------------------------------- records

    App app(String live, RetentionSpec retention) {
        return new App(ObjectMeta.ofApp(APP), new AppSpec(
                new PlatformSpec(CLUSTER, List.of(account.subnetA, account.subnetB), List.of(account.securityGroup),
                        "arn:aws:iam::123456789012:role/exec", null, "/skewless/shop", false, 1),
                new RouterSpec(account.listenerArn, new PriorityRange(100, 199), List.of("/api/*"), List.of(), Duration.ofSeconds(5),
                        false, null),
                null, retention, new ReleaseSpec(live, null), null), null);
    }

    void applyApp(String live) {
        store.applyApp(app(live, new RetentionSpec(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofDays(1), null, 10)));
    }

    void applyVersion(String version) {
        store.applyVersion(new AppVersion(ObjectMeta.ofVersion(APP, version),
                new AppVersionSpec("repo/api:" + version, 256, 512, 2, 8080, Map.of("MODE", "prod"), Map.of(), null, null, false), null));
    }

    /** A version like {@link #applyVersion(String)} that autoscales while live or canary. */
    void applyVersion(String version, dev.skewless.model.AutoscalingSpec autoscaling) {
        store.applyVersion(new AppVersion(ObjectMeta.ofVersion(APP, version),
                new AppVersionSpec("repo/api:" + version, 256, 512, 2, 8080, Map.of("MODE", "prod"), Map.of(), null, null, false,
                        autoscaling), null));
    }

    void revoke(String version) {
        AppVersion v = store.getVersion(new VersionKey(APP, version)).orElseThrow();
        store.applyVersion(new AppVersion(ObjectMeta.ofVersion(APP, version), v.spec().withRevoked(true), null));
    }

    Phase phase(String version) {
        return store.getVersion(new VersionKey(APP, version)).orElseThrow().status().phase();
    }

    // ---------------------------------------------------------------- passes

    /**
     * Passes {@code STEP} apart (registering made-up task IPs after each, as ECS would) until one
     * succeeds with no action and {@code done} holds; returns the number of passes.
     */
    int converge(Controller c, Predicate<MotoWorld> done, int maxPasses) {
        for (int pass = 1; pass <= maxPasses; pass++) {
            clock.advance(STEP);
            PassResult r = c.pass();
            if (r.outcome() == PassResult.Outcome.SUCCEEDED && r.actionsExecuted() == 0 && done.test(this)) {
                afterEachPass.forEach(check -> check.accept(this));
                return pass;
            }
            afterEachPass.forEach(check -> check.accept(this));
            registerTargets();
        }
        throw new AssertionError("no convergence in " + maxPasses + " passes; phases " + phases() + "; inventory " + inventory());
    }

    Map<String, Phase> phases() {
        Map<String, Phase> out = new TreeMap<>();
        store.listVersions(APP).forEach(v -> out.put(v.id(), v.status().phase()));
        return out;
    }

    /** Target groups that have targets (a deleted group's ARN never comes back). */
    private final java.util.Set<String> registered = new java.util.HashSet<>();

    /** moto never registers ECS tasks in target groups: register two made-up IPs in any empty group. */
    void registerTargets() {
        for (TargetGroup tg : elb.describeTargetGroups().targetGroups()) {
            if (registered.contains(tg.targetGroupArn())) {
                continue;
            }
            if (elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions().isEmpty()) {
                int n = Math.floorMod(tg.targetGroupArn().hashCode(), 200) + 10;
                elb.registerTargets(b -> b.targetGroupArn(tg.targetGroupArn())
                        .targets(t -> t.id("10.0.1." + n).port(tg.port()), t -> t.id("10.0.2." + n).port(tg.port())));
            }
            registered.add(tg.targetGroupArn());
        }
    }

    // ---------------------------------------------------------------- inspection (uncounted)

    /** The listener's non-default rules, by priority, read with DescribeRules. */
    List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeRulesResponse r = elb.describeRules(b -> b.listenerArn(account.listenerArn).pageSize(400).marker(m));
            r.rules().stream().filter(x -> !Boolean.TRUE.equals(x.isDefault())).forEach(out::add);
            marker = r.nextMarker();
        } while (marker != null && !marker.isEmpty());
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a.priority()), Integer.parseInt(b.priority())));
        return out;
    }

    Rule defaultRule() {
        return elb.describeRules(b -> b.listenerArn(account.listenerArn).pageSize(400)).rules().stream()
                .filter(x -> Boolean.TRUE.equals(x.isDefault())).findFirst().orElseThrow();
    }

    /** Tags of ELB resources, 20 ARNs a call. */
    Map<String, Map<String, String>> elbTags(List<String> arns) {
        Map<String, Map<String, String>> out = new HashMap<>();
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

    /** A resource and its tags. */
    record Res(String kind, String arn, String name, Map<String, String> tags) {
        boolean ours() {
            return OwnershipTags.DEFAULT_OWNER.equals(tags.get(OwnershipTags.MANAGED_BY));
        }

        String version() {
            return tags.get(OwnershipTags.VERSION);
        }

        String role() {
            return tags.get(OwnershipTags.RULE_ROLE);
        }
    }

    /** Everything in the cloud: rules, target groups, live (ACTIVE/DRAINING) services, ACTIVE task definitions. */
    record Inventory(List<Res> rules, List<Res> targetGroups, List<Res> services, List<Res> taskDefinitions) {
        List<Res> all() {
            List<Res> out = new ArrayList<>(rules);
            out.addAll(targetGroups);
            out.addAll(services);
            out.addAll(taskDefinitions);
            return out;
        }

        List<Res> ours() {
            return all().stream().filter(Res::ours).toList();
        }

        List<Res> foreign() {
            return all().stream().filter(r -> !r.ours()).toList();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Res r : all()) {
                sb.append("\n  ").append(r.kind()).append(' ').append(r.name()).append(' ').append(r.tags());
            }
            return sb.toString();
        }
    }

    /** A revision's tags never change. */
    private final Map<String, Map<String, String>> taskDefinitionTags = new HashMap<>();

    Inventory inventory() {
        List<Rule> rules = rules();
        List<TargetGroup> tgs = elb.describeTargetGroups().targetGroups();
        List<String> arns = new ArrayList<>(rules.stream().map(Rule::ruleArn).toList());
        arns.addAll(tgs.stream().map(TargetGroup::targetGroupArn).toList());
        Map<String, Map<String, String>> tags = elbTags(arns);
        List<Res> ruleRes = rules.stream().map(r -> new Res("rule", r.ruleArn(), r.priority(), tags.getOrDefault(r.ruleArn(), Map.of())))
                .toList();
        List<Res> tgRes = tgs.stream().map(t -> new Res("targetGroup", t.targetGroupArn(), t.targetGroupName(),
                tags.getOrDefault(t.targetGroupArn(), Map.of()))).toList();
        List<Res> services = new ArrayList<>();
        List<String> serviceArns = ecs.listServices(b -> b.cluster(CLUSTER).maxResults(100)).serviceArns();
        for (int i = 0; i < serviceArns.size(); i += 10) {
            List<String> batch = serviceArns.subList(i, Math.min(serviceArns.size(), i + 10));
            for (Service s : ecs.describeServices(b -> b.cluster(CLUSTER).services(batch).include(ServiceField.TAGS)).services()) {
                if (!"INACTIVE".equals(s.status())) {
                    Map<String, String> t = new TreeMap<>();
                    s.tags().forEach(x -> t.put(x.key(), x.value()));
                    services.add(new Res("service", s.serviceArn(), s.serviceName() + " desired=" + s.desiredCount(), t));
                }
            }
        }
        List<Res> tds = new ArrayList<>();
        for (String arn : ecs.listTaskDefinitions(b -> b.status(TaskDefinitionStatus.ACTIVE).maxResults(100)).taskDefinitionArns()) {
            Map<String, String> t = taskDefinitionTags.computeIfAbsent(arn, a -> {
                Map<String, String> m = new TreeMap<>();
                ecs.describeTaskDefinition(b -> b.taskDefinition(a).include(TaskDefinitionField.TAGS)).tags()
                        .forEach(x -> m.put(x.key(), x.value()));
                return m;
            });
            tds.add(new Res("taskDefinition", arn, arn.substring(arn.lastIndexOf('/') + 1), t));
        }
        return new Inventory(ruleRes, tgRes, services, tds);
    }

    // ---------------------------------------------------------------- routing over the real rules

    /**
     * What the listener does with {@code request}: the ALB model over the rules DescribeRules
     * returns, converted here independently of the provider, with target groups translated back
     * to version ids through their tags.
     */
    RouteDecision route(HttpRequest request) {
        List<Rule> rules = rules();
        List<TargetGroup> tgs = elb.describeTargetGroups().targetGroups();
        Map<String, Map<String, String>> tgTags = elbTags(tgs.stream().map(TargetGroup::targetGroupArn).toList());
        Map<String, String> versionByTg = new HashMap<>();
        tgs.forEach(t -> versionByTg.put(t.targetGroupArn(),
                tgTags.getOrDefault(t.targetGroupArn(), Map.of()).getOrDefault(OwnershipTags.VERSION, "foreign:" + t.targetGroupName())));
        List<AlbListenerModel.Rule> model = new ArrayList<>();
        for (Rule r : rules) {
            model.add(new AlbListenerModel.Rule(Integer.parseInt(r.priority()), conditions(r), decision(r.actions(), versionByTg),
                    r.ruleArn()));
        }
        return new AlbListenerModel(model, decision(defaultRule().actions(), versionByTg)).evaluate(request).action();
    }

    /** The single version a request reaches, or the status of a fixed response. */
    String target(HttpRequest request) {
        return switch (route(request)) {
            case RouteDecision.Forward f when f.targets().size() == 1 -> f.targets().getFirst().version();
            case RouteDecision.Forward f -> f.targets().toString();
            case RouteDecision.Respond r -> Integer.toString(r.status());
            case RouteDecision.NotMatched n -> "not matched";
        };
    }

    private static List<RuleCondition> conditions(Rule r) {
        List<RuleCondition> out = new ArrayList<>();
        for (var c : r.conditions()) {
            switch (c.field()) {
                case "path-pattern" -> out.add(new RuleCondition.PathPattern(
                        c.pathPatternConfig() != null && c.pathPatternConfig().hasValues() ? c.pathPatternConfig().values() : c.values()));
                case "host-header" -> out.add(new RuleCondition.HostHeader(
                        c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues() ? c.hostHeaderConfig().values() : c.values()));
                case "http-header" -> out.add(new RuleCondition.HttpHeader(c.httpHeaderConfig().httpHeaderName(),
                        c.httpHeaderConfig().values()));
                case "query-string" -> out.add(new RuleCondition.QueryString(c.queryStringConfig().values().stream()
                        .map(kv -> new RuleCondition.KeyValue(kv.key(), kv.value())).toList()));
                default -> throw new AssertionError("condition the model does not know: " + c);
            }
        }
        return out;
    }

    private static RouteDecision decision(List<Action> actions, Map<String, String> versionByTg) {
        Action a = actions.getFirst();
        return switch (a.typeAsString()) {
            case "forward" -> {
                List<RouteDecision.WeightedVersion> targets = new ArrayList<>();
                if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
                    a.forwardConfig().targetGroups().forEach(t -> targets.add(new RouteDecision.WeightedVersion(
                            versionByTg.getOrDefault(t.targetGroupArn(), "missing:" + t.targetGroupArn()),
                            t.weight() == null ? 100 : t.weight())));
                } else {
                    targets.add(new RouteDecision.WeightedVersion(
                            versionByTg.getOrDefault(a.targetGroupArn(), "missing:" + a.targetGroupArn()), 100));
                }
                yield new RouteDecision.Forward(targets);
            }
            case "fixed-response" -> new RouteDecision.Respond(Integer.parseInt(a.fixedResponseConfig().statusCode()),
                    a.fixedResponseConfig().contentType(), a.fixedResponseConfig().messageBody());
            default -> throw new AssertionError("action the model does not know: " + a);
        };
    }

    static Map<String, Long> countBy(List<Res> resources, java.util.function.Function<Res, String> key) {
        Map<String, Long> out = new LinkedHashMap<>();
        resources.forEach(r -> out.merge(String.valueOf(key.apply(r)), 1L, Long::sum));
        return out;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closing.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        ecs.close();
        elb.close();
        ddb.close();
        account.close();
    }
}
