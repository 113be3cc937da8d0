package dev.skewless.testing;

import dev.skewless.model.App;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.ScalableTargetSpec;
import dev.skewless.plan.action.ScalingPolicySpec;
import dev.skewless.plan.action.ServiceSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.action.TaskDefinitionSpec;
import dev.skewless.plan.observed.ObservedListener;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedScalableTarget;
import dev.skewless.plan.observed.ObservedScalingPolicy;
import dev.skewless.plan.observed.ObservedService;
import dev.skewless.plan.observed.ObservedService.Rollout;
import dev.skewless.plan.observed.ObservedService.Status;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.observed.ObservedTaskDefinition;
import dev.skewless.plan.routing.RuleCondition;
import dev.skewless.platform.ComputePlatform;
import dev.skewless.router.TrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One in-memory AWS account (an ALB with listeners, rules and target groups; ECS with clusters,
 * task definitions and services) behind the two ports: {@link #compute()} and {@link #router()}.
 *
 * <p>It enforces the AWS constraints the planner must live with: unique rule priorities in
 * 1..50000, 100 rules and 100 target groups per load balancer, 5 condition values (and 5
 * wildcards) per rule, 5 target groups per forward, target group name rules and idempotent
 * creation, no deleting a target group in use, unique service names among ACTIVE and DRAINING
 * services, deletion only at desired count 0, valid Fargate sizes. ECS rollouts and scaling take
 * {@link #startupDelay(Duration) a delay} on the injected clock; a {@link #failImage bad image}
 * never starts.
 *
 * <p>For robustness tests it can lag listings ({@link #listLag(int)}), inject seeded faults per
 * operation ({@link #faults(Operation, FaultRates)}: throttling and 5xx before applying, timeouts
 * after applying) and simulate a process crash ({@link #crashAfterMutations}), which throws
 * {@link SimulatedCrash}, an {@link Error}.
 *
 * <p>It counts every call by operation and outcome and journals every applied mutation with the
 * touched resource's tags, so tests can prove that nothing foreign was ever changed
 * ({@link #foreignMutations(String)}) and that nothing leaked ({@link #resources()}).
 *
 * <p>Thread-safe: every call holds the cloud's lock.
 */
public final class TestingCloud {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    /** VPC of load balancers added without one. */
    public static final String DEFAULT_VPC = "vpc-0testing";

    private static final Pattern TARGET_GROUP_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");
    private static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Set<String> FIXED_RESPONSE_TYPES =
            Set.of("text/plain", "text/css", "text/html", "application/javascript", "application/json");
    private static final int WILDCARDS_PER_RULE = 5;
    private static final int MAX_FORWARD_WEIGHT = 999;

    /** Every call the fake answers, named after the port method. */
    public enum Operation {
        OBSERVE_ROUTER(false),
        CREATE_TARGET_GROUP(true),
        UPDATE_TARGET_GROUP(true),
        DELETE_TARGET_GROUP(true),
        CREATE_RULE(true),
        MODIFY_RULE(true),
        SET_RULE_PRIORITIES(true),
        DELETE_RULE(true),
        SET_DEFAULT_ACTION(true),
        OBSERVE_COMPUTE(false),
        REGISTER_TASK_DEFINITION(true),
        DEREGISTER_TASK_DEFINITION(true),
        CREATE_SERVICE(true),
        UPDATE_SERVICE(true),
        SCALE_SERVICE(true),
        DELETE_SERVICE(true),
        REGISTER_SCALABLE_TARGET(true),
        PUT_SCALING_POLICY(true),
        DELETE_SCALING_POLICY(true),
        DEREGISTER_SCALABLE_TARGET(true);

        private final boolean mutating;

        Operation(boolean mutating) {
            this.mutating = mutating;
        }

        /** Whether the call can change the cloud (describe calls cannot). */
        public boolean mutating() {
            return mutating;
        }
    }

    /** How a call ended, for the call counts. */
    public enum CallOutcome {
        OK,
        /** Injected throttling, nothing applied. */
        THROTTLED,
        /** Injected 5xx, nothing applied. */
        TRANSIENT,
        /** Injected timeout: the change WAS applied, the caller got TRANSIENT. */
        TIMEOUT,
        /** {@link SimulatedCrash} thrown. */
        CRASHED,
        NOT_FOUND,
        CONFLICT,
        QUOTA,
        INVALID
    }

    /** When a simulated crash hits a mutating call. */
    public enum CrashPoint {
        /** The call has no effect. */
        BEFORE_APPLY,
        /** The change is applied, then the process dies before it learns so. */
        AFTER_APPLY
    }

    /**
     * Per-call fault probabilities, each in [0, 1].
     *
     * @param throttle       THROTTLED before applying
     * @param transientError TRANSIENT (a 5xx) before applying
     * @param timeout        on mutating calls: applied, then TRANSIENT (the caller cannot know);
     *                       on describe calls: TRANSIENT
     */
    public record FaultRates(double throttle, double transientError, double timeout) {
        /** No faults. */
        public static final FaultRates NONE = new FaultRates(0, 0, 0);

        public FaultRates {
            for (double p : new double[] {throttle, transientError, timeout}) {
                if (p < 0 || p > 1) {
                    throw new IllegalArgumentException("probabilities are in [0, 1], got " + p);
                }
            }
        }
    }

    /**
     * One applied mutation.
     *
     * @param sequence    order of application, from 1
     * @param at          clock time
     * @param operation   the call
     * @param resourceArn the resource it changed (one entry per rule for SET_RULE_PRIORITIES)
     * @param tags        that resource's tags when it was touched
     */
    public record Mutation(long sequence, Instant at, Operation operation, String resourceArn, Map<String, String> tags) {
        public Mutation {
            tags = Map.copyOf(tags);
        }

        /** Whether the resource carried {@code skewless.dev/managed-by=owner}. */
        public boolean managedBy(String owner) {
            return owner.equals(tags.get(OwnershipTags.MANAGED_BY));
        }
    }

    /** A listener rule as stored (with its listener, unlike {@link ObservedRule}). */
    public record RuleResource(String arn, String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags) {
        public RuleResource {
            tags = Map.copyOf(tags);
        }
    }

    /**
     * Everything that exists right now, ignoring list lag: target groups, non-INACTIVE services,
     * non-default rules, ACTIVE task definitions.
     */
    public record Resources(List<ObservedTargetGroup> targetGroups, List<ObservedService> services,
            List<RuleResource> rules, List<ObservedTaskDefinition> taskDefinitions) {
        public Resources {
            targetGroups = List.copyOf(targetGroups);
            services = List.copyOf(services);
            rules = List.copyOf(rules);
            taskDefinitions = List.copyOf(taskDefinitions);
        }

        /** Only resources tagged {@code skewless.dev/app=app}. */
        public Resources ofApp(String app) {
            return new Resources(
                    targetGroups.stream().filter(r -> app.equals(r.tags().get(OwnershipTags.APP))).toList(),
                    services.stream().filter(r -> app.equals(r.tags().get(OwnershipTags.APP))).toList(),
                    rules.stream().filter(r -> app.equals(r.tags().get(OwnershipTags.APP))).toList(),
                    taskDefinitions.stream().filter(r -> app.equals(r.tags().get(OwnershipTags.APP))).toList());
        }

        /** Only resources tagged {@code skewless.dev/version=key.version()} of {@code key.app()}. */
        public Resources ofVersion(VersionKey key) {
            Resources a = ofApp(key.app());
            return new Resources(
                    a.targetGroups.stream().filter(r -> key.version().equals(r.tags().get(OwnershipTags.VERSION))).toList(),
                    a.services.stream().filter(r -> key.version().equals(r.tags().get(OwnershipTags.VERSION))).toList(),
                    a.rules.stream().filter(r -> key.version().equals(r.tags().get(OwnershipTags.VERSION))).toList(),
                    a.taskDefinitions.stream().filter(r -> key.version().equals(r.tags().get(OwnershipTags.VERSION))).toList());
        }

        /** Whether there is nothing at all. */
        public boolean isEmpty() {
            return targetGroups.isEmpty() && services.isEmpty() && rules.isEmpty() && taskDefinitions.isEmpty();
        }
    }

    /** A simulated process crash: an {@link Error}, so only a worker boundary should catch it. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash(String message) {
            super(message);
        }
    }

    // ---- state (all guarded by this) ----

    private final InstantSource clock;
    private final Random random;
    private final Compute compute = new Compute();
    private final Router router = new Router();

    private final Map<String, String> vpcByLoadBalancer = new LinkedHashMap<>();
    private final Map<String, ListenerState> listeners = new LinkedHashMap<>();
    private final Map<String, RuleState> rules = new LinkedHashMap<>();
    private final Map<String, TargetGroupState> targetGroups = new LinkedHashMap<>();
    private final Set<String> clusters = new LinkedHashSet<>();
    private final Map<String, TaskDefinitionState> taskDefinitions = new LinkedHashMap<>();
    private final Map<String, Integer> lastRevision = new HashMap<>();
    private final List<ServiceState> services = new ArrayList<>();
    private final Set<String> failedImages = new HashSet<>();
    private final Map<VersionKey, Instant> lastRequests = new HashMap<>();
    /** Application Auto Scaling: targets by resource id, policies by resource id and name. */
    private final Map<String, ScalableTargetState> scalableTargets = new LinkedHashMap<>();
    private final Map<String, ObservedScalingPolicy> scalingPolicies = new LinkedHashMap<>();

    private final Map<Operation, FaultRates> faults = new EnumMap<>(Operation.class);
    private final Map<Operation, Map<CallOutcome, Integer>> calls = new EnumMap<>(Operation.class);
    private final List<Mutation> journal = new ArrayList<>();

    private Duration startupDelay = Duration.ofSeconds(30);
    private Duration drainDelay = Duration.ofSeconds(30);
    private int rulesPerLoadBalancer = 100;
    private int targetGroupsPerLoadBalancer = 100;
    private int conditionValuesPerRule = 5;
    private int targetGroupsPerForward = 5;
    private boolean listInactiveServices;
    private boolean requireTargetGroupOnLoadBalancer;
    private int listLag;
    private int ruleListLag;
    private int crashCountdown;
    private CrashPoint crashPoint = CrashPoint.BEFORE_APPLY;
    private long routerObserves;
    private long computeObserves;
    private long ids;

    /** A cloud with fault seed 0. */
    public TestingCloud(InstantSource clock) {
        this(clock, 0L);
    }

    /** A cloud whose injected faults are drawn from {@code new Random(seed)}. */
    public TestingCloud(InstantSource clock, long seed) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new Random(seed);
    }

    /** The ECS facade. */
    public ComputePlatform compute() {
        return compute;
    }

    /** The ALB facade. */
    public TrafficRouter router() {
        return router;
    }

    // ---- ARNs for setting up tests ----

    /** A realistic ALB ARN for {@code name}. */
    public static String loadBalancerArn(String name) {
        return "arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT + ":loadbalancer/app/" + name + "/"
                + ResourceNames.shortHash("lb/" + name, 16);
    }

    /** A realistic listener ARN on the ALB {@code lbName}, for {@code port}. */
    public static String listenerArn(String lbName, int port) {
        return "arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT + ":listener/app/" + lbName + "/"
                + ResourceNames.shortHash("lb/" + lbName, 16) + "/" + ResourceNames.shortHash("listener/" + lbName + port, 16);
    }

    // ---- setup (not counted, not journaled, no faults) ----

    /** Adds a load balancer in {@link #DEFAULT_VPC}. */
    public synchronized TestingCloud addLoadBalancer(String loadBalancerArn) {
        return addLoadBalancer(loadBalancerArn, DEFAULT_VPC);
    }

    /** Adds a load balancer in {@code vpcId}. */
    public synchronized TestingCloud addLoadBalancer(String loadBalancerArn, String vpcId) {
        vpcByLoadBalancer.put(loadBalancerArn, vpcId);
        return this;
    }

    /** Adds an untagged listener. */
    public TestingCloud addListener(String listenerArn, String loadBalancerArn, AlbAction defaultAction) {
        return addListener(listenerArn, loadBalancerArn, defaultAction, Map.of());
    }

    /** Adds a listener with tags (tag it with ownership tags when an App owns the whole listener). */
    public synchronized TestingCloud addListener(String listenerArn, String loadBalancerArn, AlbAction defaultAction,
            Map<String, String> tags) {
        if (!vpcByLoadBalancer.containsKey(loadBalancerArn)) {
            throw new IllegalStateException("add load balancer " + loadBalancerArn + " first");
        }
        listeners.put(listenerArn, new ListenerState(listenerArn, loadBalancerArn, defaultAction, Map.copyOf(tags)));
        return this;
    }

    /** Adds an ECS cluster. */
    public synchronized TestingCloud addCluster(String name) {
        clusters.add(name);
        return this;
    }

    /**
     * Adds a rule someone else owns (another App, the AWS Load Balancer Controller). Priorities
     * must be free; quotas apply as for any rule. Visible at once.
     */
    public synchronized String addForeignRule(String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags) {
        ListenerState listener = requireListener(listenerArn);
        checkRule(listener, priority, spec, null);
        RuleState rule = new RuleState(ruleArn(listenerArn), listenerArn, priority, spec, Map.copyOf(tags), 0);
        rules.put(rule.arn, rule);
        return rule.arn;
    }

    /** Adds a target group someone else owns, in the default VPC. Visible at once. */
    public synchronized String addForeignTargetGroup(String name, int port, Map<String, String> tags) {
        checkTargetGroupName(name);
        if (targetGroups.values().stream().anyMatch(t -> t.name.equals(name))) {
            throw new IllegalStateException("target group " + name + " exists");
        }
        TargetGroupState tg = new TargetGroupState(targetGroupArn(name), name, port, DEFAULT_VPC, HealthCheckSpec.DEFAULT,
                Duration.ofSeconds(300), Map.copyOf(tags), clock.instant(), 0);
        targetGroups.put(tg.arn, tg);
        return tg.arn;
    }

    /** Deletes a rule behind the controller's back (a person in the console). Not journaled. */
    public synchronized void deleteRuleOutOfBand(String ruleArn) {
        rules.remove(ruleArn);
    }

    /** Records that {@code version} served a request at {@code at} (feeds {@code lastRequestAt}). */
    public synchronized void recordRequest(VersionKey version, Instant at) {
        lastRequests.merge(version, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    // ---- knobs ----

    /** How long a rollout or a scaling step takes (default 30s). */
    public synchronized TestingCloud startupDelay(Duration d) {
        startupDelay = d;
        return this;
    }

    /** How long a deleted service stays DRAINING before it is INACTIVE (default 30s). */
    public synchronized TestingCloud drainDelay(Duration d) {
        drainDelay = d;
        return this;
    }

    /** Non-default rules per load balancer (default 100; adjustable in AWS). */
    public synchronized TestingCloud rulesPerLoadBalancer(int n) {
        rulesPerLoadBalancer = n;
        return this;
    }

    /** Target groups per load balancer (default 100; hard in AWS, lowered here to test quotas cheaply). */
    public synchronized TestingCloud targetGroupsPerLoadBalancer(int n) {
        targetGroupsPerLoadBalancer = n;
        return this;
    }

    /** Condition values per rule (default 5). */
    public synchronized TestingCloud conditionValuesPerRule(int n) {
        conditionValuesPerRule = n;
        return this;
    }

    /** Target groups per forward action (default 5). */
    public synchronized TestingCloud targetGroupsPerForward(int n) {
        targetGroupsPerForward = n;
        return this;
    }

    /** Whether observe lists INACTIVE services (as DescribeServices does for a while); default false. */
    public synchronized TestingCloud listInactiveServices(boolean v) {
        listInactiveServices = v;
        return this;
    }

    /**
     * Whether creating or updating a service needs its target group to be used by a rule or
     * default action already, as real ECS does ("The target group ... does not have an associated
     * load balancer", InvalidParameterException). Default false for now, because the planner
     * creates a version's service before its rules (target group → service → healthy → rules);
     * turn it on once the planner attaches new target groups to the listener first.
     */
    public synchronized TestingCloud requireTargetGroupOnLoadBalancer(boolean v) {
        requireTargetGroupOnLoadBalancer = v;
        return this;
    }

    /**
     * A target group, task definition or service created from now on shows up in observe only
     * after {@code n} further observe calls (ECS listings and tag-based lookups are eventually
     * consistent). Listener rules are not affected: see {@link #ruleListLag(int)}.
     */
    public synchronized TestingCloud listLag(int n) {
        listLag = n;
        return this;
    }

    /**
     * The same lag for listener rules. ELBv2's DescribeRules reads its own writes, so the default
     * is 0; a lag here lets tests show what the planner does if that ever stops being true.
     */
    public synchronized TestingCloud ruleListLag(int n) {
        ruleListLag = n;
        return this;
    }

    /** Makes every service running {@code image} fail: rollout FAILED after the delay, 0 running. */
    public synchronized TestingCloud failImage(String image) {
        failedImages.add(image);
        return this;
    }

    /** Fault rates for one operation. */
    public synchronized TestingCloud faults(Operation operation, FaultRates rates) {
        faults.put(operation, rates);
        return this;
    }

    /** The same fault rates for every operation. */
    public synchronized TestingCloud faults(FaultRates rates) {
        for (Operation op : Operation.values()) {
            faults.put(op, rates);
        }
        return this;
    }

    /**
     * The {@code n}-th mutating call from now (1 = the next) throws {@link SimulatedCrash}, before
     * or after applying its change. One-shot.
     */
    public synchronized TestingCloud crashAfterMutations(int n, CrashPoint point) {
        if (n < 1) {
            throw new IllegalArgumentException("n starts at 1");
        }
        crashCountdown = n;
        crashPoint = Objects.requireNonNull(point);
        return this;
    }

    /** Removes injected faults and any armed crash (failed images and lag stay). */
    public synchronized TestingCloud clearFaults() {
        faults.clear();
        crashCountdown = 0;
        return this;
    }

    // ---- accounting ----

    /** Calls of {@code op}, any outcome. */
    public synchronized int calls(Operation op) {
        return calls.getOrDefault(op, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Calls of {@code op} that ended with {@code outcome}. */
    public synchronized int calls(Operation op, CallOutcome outcome) {
        return calls.getOrDefault(op, Map.of()).getOrDefault(outcome, 0);
    }

    /** Calls that ended with {@code outcome}, any operation. */
    public synchronized int calls(CallOutcome outcome) {
        return calls.values().stream().mapToInt(m -> m.getOrDefault(outcome, 0)).sum();
    }

    /** Describe (observe) calls. */
    public synchronized int describeCalls() {
        return calls.entrySet().stream().filter(e -> !e.getKey().mutating())
                .mapToInt(e -> e.getValue().values().stream().mapToInt(Integer::intValue).sum()).sum();
    }

    /** Mutating calls, whatever their outcome. */
    public synchronized int mutatingCalls() {
        return calls.entrySet().stream().filter(e -> e.getKey().mutating())
                .mapToInt(e -> e.getValue().values().stream().mapToInt(Integer::intValue).sum()).sum();
    }

    /** A copy of all counts: operation → outcome → calls. */
    public synchronized Map<Operation, Map<CallOutcome, Integer>> callCounts() {
        Map<Operation, Map<CallOutcome, Integer>> out = new TreeMap<>();
        calls.forEach((op, m) -> out.put(op, Map.copyOf(m)));
        return out;
    }

    /** Every applied mutation, in order. */
    public synchronized List<Mutation> journal() {
        return List.copyOf(journal);
    }

    /** Applied mutations of resources not carrying {@code skewless.dev/managed-by=owner}. */
    public synchronized List<Mutation> foreignMutations(String owner) {
        return journal.stream().filter(m -> !m.managedBy(owner)).toList();
    }

    /** Scalable targets registered now, with the tags they were registered with. */
    public synchronized Map<String, ScalableTargetView> scalableTargets() {
        Map<String, ScalableTargetView> out = new LinkedHashMap<>();
        scalableTargets.forEach((id, t) -> out.put(id, new ScalableTargetView(t.observed(), t.tags)));
        return out;
    }

    /** Scaling policies now. */
    public synchronized List<ObservedScalingPolicy> scalingPolicies() {
        return List.copyOf(scalingPolicies.values());
    }

    /**
     * A registered target as stored.
     *
     * @param target what an observation shows
     * @param tags   the tags it was registered with
     */
    public record ScalableTargetView(ObservedScalableTarget target, Map<String, String> tags) {
        public ScalableTargetView {
            tags = Map.copyOf(tags);
        }
    }

    /**
     * What Application Auto Scaling's target tracking does: sets the desired count of a service
     * that has a registered target and a policy to {@code desired} clamped to the target's bounds.
     * Not a call of ours: not counted, not journaled. Returns whether anything scaled.
     */
    public synchronized boolean autoscale(String resourceId, int desired) {
        ScalableTargetState t = scalableTargets.get(resourceId);
        Instant now = clock.instant();
        if (t == null || scalingPolicies.values().stream().noneMatch(p -> p.spec().resourceId().equals(resourceId))) {
            return false;
        }
        ServiceState s = activeServiceByResourceId(resourceId, now);
        if (s == null) {
            return false;
        }
        setDesired(s, Math.max(t.min, Math.min(t.max, desired)), now);
        return true;
    }

    /** Deregisters a scalable target by hand (out of band: not counted, not journaled). */
    public synchronized void deregisterScalableTargetOutOfBand(String resourceId) {
        scalableTargets.remove(resourceId);
        scalingPolicies.values().removeIf(p -> p.spec().resourceId().equals(resourceId));
    }

    private ServiceState activeServiceByResourceId(String resourceId, Instant now) {
        for (ServiceState s : services) {
            if (s.status(now, drainDelay) == Status.ACTIVE && ScalableTargetSpec.resourceId(s.cluster, s.name).equals(resourceId)) {
                return s;
            }
        }
        return null;
    }

    private void setDesired(ServiceState s, int desired, Instant now) {
        s.runningFrom = running(s, now);
        s.runningTo = desired;
        s.runningChangesAt = now.plus(startupDelay);
        s.desired = desired;
    }

    /** What exists now (no lag). */
    public synchronized Resources resources() {
        Instant now = clock.instant();
        return new Resources(
                targetGroups.values().stream().map(this::observed).toList(),
                services.stream().filter(s -> s.status(now, drainDelay) != Status.INACTIVE).map(s -> observed(s, now)).toList(),
                rules.values().stream().sorted(Comparator.comparing((RuleState r) -> r.listenerArn).thenComparingInt(r -> r.priority))
                        .map(r -> new RuleResource(r.arn, r.listenerArn, r.priority, r.spec, r.tags)).toList(),
                taskDefinitions.values().stream().filter(t -> t.active)
                        .map(t -> new ObservedTaskDefinition(t.arn, t.family, t.tags)).toList());
    }

    /** A listener's default action now. */
    public synchronized AlbAction defaultAction(String listenerArn) {
        return requireListener(listenerArn).defaultAction;
    }

    // ---- the call wrapper: accounting, faults, crashes ----

    private synchronized <T> T call(Operation op, Supplier<T> body) {
        boolean crashAfter = false;
        if (op.mutating() && crashCountdown > 0 && --crashCountdown == 0) {
            if (crashPoint == CrashPoint.BEFORE_APPLY) {
                count(op, CallOutcome.CRASHED);
                throw new SimulatedCrash("simulated crash before " + op);
            }
            crashAfter = true;
        }
        FaultRates rates = faults.getOrDefault(op, FaultRates.NONE);
        if (happens(rates.throttle())) {
            count(op, CallOutcome.THROTTLED);
            throw new ActionException(Kind.THROTTLED, "Throttling", "Rate exceeded (" + op + ")");
        }
        if (happens(rates.transientError())) {
            count(op, CallOutcome.TRANSIENT);
            throw new ActionException(Kind.TRANSIENT, "ServiceUnavailable", "injected 503 (" + op + ")");
        }
        boolean timeout = happens(rates.timeout());
        if (timeout && !op.mutating()) {
            count(op, CallOutcome.TIMEOUT);
            throw new ActionException(Kind.TRANSIENT, "RequestTimeout", "injected timeout (" + op + ")");
        }
        T result;
        try {
            result = body.get();
        } catch (ActionException e) {
            if (crashAfter) {
                count(op, CallOutcome.CRASHED);
                throw new SimulatedCrash("simulated crash after " + op + " failed with " + e.code());
            }
            count(op, CallOutcome.valueOf(e.kind().name()));
            throw e;
        }
        if (crashAfter) {
            count(op, CallOutcome.CRASHED);
            throw new SimulatedCrash("simulated crash after " + op + " was applied");
        }
        if (timeout) {
            count(op, CallOutcome.TIMEOUT);
            throw new ActionException(Kind.TRANSIENT, "RequestTimeout", "injected timeout after applying " + op);
        }
        count(op, CallOutcome.OK);
        return result;
    }

    private void run(Operation op, Runnable body) {
        call(op, () -> {
            body.run();
            return null;
        });
    }

    private boolean happens(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    private void count(Operation op, CallOutcome outcome) {
        calls.computeIfAbsent(op, o -> new EnumMap<>(CallOutcome.class)).merge(outcome, 1, Integer::sum);
    }

    private void journal(Operation op, String arn, Map<String, String> tags) {
        journal.add(new Mutation(journal.size() + 1, clock.instant(), op, arn, tags));
    }

    private static ActionException fail(Kind kind, String code, String message) {
        return new ActionException(kind, code, message);
    }

    // ---- ALB ----

    private final class Router implements TrafficRouter {
        @Override
        public Observation observe(App app) {
            return call(Operation.OBSERVE_ROUTER, () -> observeRouter(app));
        }

        @Override
        public String createTargetGroup(TargetGroupSpec spec) {
            return call(Operation.CREATE_TARGET_GROUP, () -> doCreateTargetGroup(spec));
        }

        @Override
        public void updateTargetGroup(String targetGroupArn, TargetGroupSpec spec) {
            run(Operation.UPDATE_TARGET_GROUP, () -> {
                TargetGroupState tg = targetGroups.get(targetGroupArn);
                if (tg == null) {
                    throw fail(Kind.NOT_FOUND, "TargetGroupNotFound", "target group " + targetGroupArn + " not found");
                }
                // The port cannot change on a target group; the health check and attributes can.
                tg.healthCheck = spec.healthCheck();
                tg.deregistrationDelay = spec.deregistrationDelay();
                journal(Operation.UPDATE_TARGET_GROUP, tg.arn, tg.tags);
            });
        }

        @Override
        public void deleteTargetGroup(String targetGroupArn) {
            run(Operation.DELETE_TARGET_GROUP, () -> {
                TargetGroupState tg = targetGroups.get(targetGroupArn);
                if (tg == null) {
                    return;
                }
                if (attachedAnywhere(targetGroupArn)) {
                    throw fail(Kind.CONFLICT, "ResourceInUse",
                            "target group " + tg.name + " is currently in use by a listener or a rule");
                }
                targetGroups.remove(targetGroupArn);
                journal(Operation.DELETE_TARGET_GROUP, tg.arn, tg.tags);
            });
        }

        @Override
        public String createRule(String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags) {
            return call(Operation.CREATE_RULE, () -> {
                ListenerState listener = requireListener(listenerArn);
                checkRule(listener, priority, spec, null);
                RuleState rule = new RuleState(ruleArn(listenerArn), listenerArn, priority, spec, Map.copyOf(tags),
                        routerObserves + ruleListLag + 1);
                rules.put(rule.arn, rule);
                journal(Operation.CREATE_RULE, rule.arn, rule.tags);
                return rule.arn;
            });
        }

        @Override
        public void modifyRule(String ruleArn, ListenerRuleSpec spec) {
            run(Operation.MODIFY_RULE, () -> {
                RuleState rule = rules.get(ruleArn);
                if (rule == null) {
                    throw fail(Kind.NOT_FOUND, "RuleNotFound", "rule " + ruleArn + " not found");
                }
                checkRule(listeners.get(rule.listenerArn), rule.priority, spec, rule);
                rule.spec = spec;
                journal(Operation.MODIFY_RULE, rule.arn, rule.tags);
            });
        }

        @Override
        public void setRulePriorities(String listenerArn, Map<String, Integer> priorityByRuleArn) {
            run(Operation.SET_RULE_PRIORITIES, () -> {
                requireListener(listenerArn);
                for (Map.Entry<String, Integer> e : priorityByRuleArn.entrySet()) {
                    RuleState rule = rules.get(e.getKey());
                    if (rule == null) {
                        throw fail(Kind.NOT_FOUND, "RuleNotFound", "rule " + e.getKey() + " not found");
                    }
                    if (!rule.listenerArn.equals(listenerArn)) {
                        throw fail(Kind.INVALID, "ValidationError", "rule " + e.getKey() + " is not on " + listenerArn);
                    }
                    checkPriority(e.getValue());
                }
                Map<Integer, String> taken = new HashMap<>();
                for (RuleState rule : rules.values()) {
                    if (!rule.listenerArn.equals(listenerArn)) {
                        continue;
                    }
                    int priority = priorityByRuleArn.getOrDefault(rule.arn, rule.priority);
                    String other = taken.putIfAbsent(priority, rule.arn);
                    if (other != null) {
                        throw fail(Kind.CONFLICT, "PriorityInUse",
                                "priority " + priority + " would be held by both " + other + " and " + rule.arn);
                    }
                }
                priorityByRuleArn.forEach((arn, priority) -> {
                    RuleState rule = rules.get(arn);
                    rule.priority = priority;
                    journal(Operation.SET_RULE_PRIORITIES, arn, rule.tags);
                });
            });
        }

        @Override
        public void deleteRule(String ruleArn) {
            run(Operation.DELETE_RULE, () -> {
                RuleState rule = rules.remove(ruleArn);
                if (rule != null) {
                    journal(Operation.DELETE_RULE, rule.arn, rule.tags);
                }
            });
        }

        @Override
        public void setDefaultAction(String listenerArn, AlbAction action) {
            run(Operation.SET_DEFAULT_ACTION, () -> {
                ListenerState listener = requireListener(listenerArn);
                checkAction(action);
                Set<String> attached = attachedTargetGroups(listener.loadBalancerArn, null, listener);
                attached.addAll(targetGroupsOf(action));
                checkTargetGroupQuota(attached);
                listener.defaultAction = action;
                journal(Operation.SET_DEFAULT_ACTION, listener.arn, listener.tags);
            });
        }
    }

    private TrafficRouter.Observation observeRouter(App app) {
        long observation = ++routerObserves;
        ListenerState listener = listeners.get(app.spec().router().listenerArn());
        ObservedListener observedListener = null;
        if (listener != null) {
            List<ObservedRule> listed = rules.values().stream()
                    .filter(r -> r.listenerArn.equals(listener.arn) && r.visibleFrom <= observation)
                    .sorted(Comparator.comparingInt(r -> r.priority))
                    .map(r -> new ObservedRule(r.arn, r.priority, r.spec, r.tags)).toList();
            int lbRules = (int) rules.values().stream()
                    .filter(r -> r.visibleFrom <= observation && loadBalancerOf(r).equals(listener.loadBalancerArn)).count();
            int lbTargetGroups = attachedTargetGroups(listener.loadBalancerArn, null, null).size();
            observedListener = new ObservedListener(listener.arn, listed, listener.defaultAction, lbRules, lbTargetGroups);
        }
        List<ObservedTargetGroup> groups = targetGroups.values().stream()
                .filter(t -> t.visibleFrom <= observation && app.name().equals(t.tags.get(OwnershipTags.APP)))
                .map(this::observed).toList();
        Map<VersionKey, Instant> lastRequestAt = new HashMap<>();
        for (ObservedTargetGroup tg : groups) {
            String version = tg.tags().get(OwnershipTags.VERSION);
            if (version != null) {
                VersionKey key = new VersionKey(app.name(), version);
                lastRequestAt.put(key, lastRequests.getOrDefault(key, targetGroups.get(tg.arn()).createdAt));
            }
        }
        return new TrafficRouter.Observation(observedListener, groups, lastRequestAt);
    }

    private String doCreateTargetGroup(TargetGroupSpec spec) {
        checkTargetGroupName(spec.name());
        if (spec.port() < 1 || spec.port() > 65535) {
            throw fail(Kind.INVALID, "ValidationError", "port " + spec.port() + " is outside 1..65535");
        }
        String vpc = spec.vpcId();
        if (vpc == null && spec.listenerArn() != null && listeners.containsKey(spec.listenerArn())) {
            vpc = vpcByLoadBalancer.get(listeners.get(spec.listenerArn()).loadBalancerArn);
        }
        if (vpc == null) {
            throw fail(Kind.INVALID, "ValidationError", "a VPC ID must be specified for target group " + spec.name());
        }
        for (TargetGroupState existing : targetGroups.values()) {
            if (existing.name.equals(spec.name())) {
                // AWS answers an identical create with the existing group, and refuses a different one.
                if (existing.port == spec.port() && existing.vpcId.equals(vpc) && existing.healthCheck.equals(spec.healthCheck())) {
                    return existing.arn;
                }
                throw fail(Kind.CONFLICT, "DuplicateTargetGroupName",
                        "a target group named " + spec.name() + " exists with different settings");
            }
        }
        TargetGroupState tg = new TargetGroupState(targetGroupArn(spec.name()), spec.name(), spec.port(), vpc,
                spec.healthCheck(), spec.deregistrationDelay(), spec.tags(), clock.instant(), routerObserves + listLag + 1);
        targetGroups.put(tg.arn, tg);
        journal(Operation.CREATE_TARGET_GROUP, tg.arn, tg.tags);
        return tg.arn;
    }

    /** Validates a new or modified rule ({@code existing} is the rule being modified, else null). */
    private void checkRule(ListenerState listener, int priority, ListenerRuleSpec spec, RuleState existing) {
        checkPriority(priority);
        checkConditions(spec.conditions());
        checkAction(spec.action());
        if (existing == null) {
            rules.values().stream().filter(r -> r.listenerArn.equals(listener.arn) && r.priority == priority).findFirst()
                    .ifPresent(r -> {
                        throw fail(Kind.CONFLICT, "PriorityInUse", "priority " + priority + " is in use by " + r.arn);
                    });
            long onLoadBalancer = rules.values().stream().filter(r -> loadBalancerOf(r).equals(listener.loadBalancerArn)).count();
            if (onLoadBalancer >= rulesPerLoadBalancer) {
                throw fail(Kind.QUOTA, "TooManyRules",
                        "load balancer " + listener.loadBalancerArn + " has " + onLoadBalancer + " rules, the quota");
            }
        }
        Set<String> attached = attachedTargetGroups(listener.loadBalancerArn, existing, null);
        attached.addAll(targetGroupsOf(spec.action()));
        checkTargetGroupQuota(attached);
    }

    private static void checkPriority(int priority) {
        if (priority < PriorityRange.MIN || priority > PriorityRange.MAX) {
            throw fail(Kind.INVALID, "ValidationError", "priority " + priority + " is outside 1..50000");
        }
    }

    private void checkConditions(List<RuleCondition> conditions) {
        if (conditions.isEmpty()) {
            throw fail(Kind.INVALID, "ValidationError", "a rule needs at least one condition");
        }
        int values = 0;
        int wildcards = 0;
        int paths = 0;
        int hosts = 0;
        for (RuleCondition c : conditions) {
            if (c.valueCount() == 0) {
                throw fail(Kind.INVALID, "ValidationError", "condition " + c + " has no values");
            }
            values += c.valueCount();
            List<String> texts = switch (c) {
                case RuleCondition.PathPattern p -> {
                    paths++;
                    yield p.values();
                }
                case RuleCondition.HostHeader h -> {
                    hosts++;
                    yield h.values();
                }
                case RuleCondition.HttpHeader h -> {
                    if (h.name() == null || h.name().isBlank()) {
                        throw fail(Kind.INVALID, "ValidationError", "http-header condition without a header name");
                    }
                    yield h.values();
                }
                case RuleCondition.QueryString q -> q.values().stream()
                        .flatMap(kv -> java.util.stream.Stream.of(kv.key() == null ? "" : kv.key(), kv.value())).toList();
            };
            for (String t : texts) {
                wildcards += (int) t.chars().filter(ch -> ch == '*' || ch == '?').count();
            }
        }
        if (paths > 1 || hosts > 1) {
            throw fail(Kind.INVALID, "ValidationError", "a rule takes at most one path-pattern and one host-header condition");
        }
        if (values > conditionValuesPerRule) {
            throw fail(Kind.INVALID, "ValidationError",
                    "a rule can have at most " + conditionValuesPerRule + " condition values, got " + values);
        }
        if (wildcards > WILDCARDS_PER_RULE) {
            throw fail(Kind.INVALID, "ValidationError",
                    "a rule can have at most " + WILDCARDS_PER_RULE + " wildcards, got " + wildcards);
        }
    }

    private void checkAction(AlbAction action) {
        switch (action) {
            case AlbAction.Forward f -> {
                List<AlbAction.TargetGroupWeight> groups = f.targetGroups();
                if (groups.isEmpty() || groups.size() > targetGroupsPerForward) {
                    throw fail(Kind.INVALID, "ValidationError",
                            "a forward action takes 1.." + targetGroupsPerForward + " target groups, got " + groups.size());
                }
                if (groups.stream().map(AlbAction.TargetGroupWeight::targetGroupArn).distinct().count() != groups.size()) {
                    throw fail(Kind.INVALID, "ValidationError", "a forward action names a target group twice");
                }
                for (AlbAction.TargetGroupWeight g : groups) {
                    if (g.weight() < 0 || g.weight() > MAX_FORWARD_WEIGHT) {
                        throw fail(Kind.INVALID, "ValidationError", "weight " + g.weight() + " is outside 0..999");
                    }
                    if (!targetGroups.containsKey(g.targetGroupArn())) {
                        throw fail(Kind.NOT_FOUND, "TargetGroupNotFound", "target group " + g.targetGroupArn() + " not found");
                    }
                }
            }
            case AlbAction.FixedResponse r -> {
                if (r.statusCode() < 200 || r.statusCode() > 599) {
                    throw fail(Kind.INVALID, "ValidationError", "fixed response status " + r.statusCode() + " is outside 2XX..5XX");
                }
                if (r.contentType() != null && !FIXED_RESPONSE_TYPES.contains(r.contentType())) {
                    throw fail(Kind.INVALID, "ValidationError", "fixed response content type " + r.contentType() + " is not allowed");
                }
                if (r.body() != null && r.body().length() > 1024) {
                    throw fail(Kind.INVALID, "ValidationError", "fixed response body is longer than 1024 characters");
                }
            }
        }
    }

    private void checkTargetGroupQuota(Set<String> attached) {
        if (attached.size() > targetGroupsPerLoadBalancer) {
            throw fail(Kind.QUOTA, "TooManyTargetGroups", "the load balancer would have " + attached.size()
                    + " target groups; the quota is " + targetGroupsPerLoadBalancer);
        }
    }

    private static void checkTargetGroupName(String name) {
        if (name == null || !TARGET_GROUP_NAME.matcher(name).matches()) {
            throw fail(Kind.INVALID, "ValidationError", "target group name '" + name
                    + "' must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen");
        }
    }

    /**
     * Target groups used by the rules and default actions of a load balancer's listeners, leaving
     * out {@code exceptRule}'s rule and {@code exceptListener}'s default action (they are being
     * replaced).
     */
    private Set<String> attachedTargetGroups(String loadBalancerArn, RuleState exceptRule, ListenerState exceptListener) {
        Set<String> out = new HashSet<>();
        for (ListenerState l : listeners.values()) {
            if (l.loadBalancerArn.equals(loadBalancerArn) && l != exceptListener) {
                out.addAll(targetGroupsOf(l.defaultAction));
            }
        }
        for (RuleState r : rules.values()) {
            if (r != exceptRule && loadBalancerOf(r).equals(loadBalancerArn)) {
                out.addAll(targetGroupsOf(r.spec.action()));
            }
        }
        return out;
    }

    private boolean attachedAnywhere(String targetGroupArn) {
        return listeners.values().stream().anyMatch(l -> targetGroupsOf(l.defaultAction).contains(targetGroupArn))
                || rules.values().stream().anyMatch(r -> targetGroupsOf(r.spec.action()).contains(targetGroupArn));
    }

    private static List<String> targetGroupsOf(AlbAction action) {
        return action instanceof AlbAction.Forward f
                ? f.targetGroups().stream().map(AlbAction.TargetGroupWeight::targetGroupArn).toList()
                : List.of();
    }

    private String loadBalancerOf(RuleState rule) {
        return listeners.get(rule.listenerArn).loadBalancerArn;
    }

    private ListenerState requireListener(String listenerArn) {
        ListenerState l = listeners.get(listenerArn);
        if (l == null) {
            throw fail(Kind.NOT_FOUND, "ListenerNotFound", "listener " + listenerArn + " not found");
        }
        return l;
    }

    private ObservedTargetGroup observed(TargetGroupState tg) {
        Instant now = clock.instant();
        int registered = services.stream()
                .filter(s -> tg.arn.equals(s.targetGroupArn) && s.status(now, drainDelay) == Status.ACTIVE)
                .mapToInt(s -> running(s, now)).sum();
        return new ObservedTargetGroup(tg.arn, tg.name, tg.port, tg.healthCheck, tg.deregistrationDelay, registered,
                registered, tg.tags);
    }

    private String ruleArn(String listenerArn) {
        String base = listenerArn.contains(":listener/") ? listenerArn.replace(":listener/", ":listener-rule/") : listenerArn + "/rule";
        return base + "/" + nextId();
    }

    private String targetGroupArn(String name) {
        return "arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT + ":targetgroup/" + name + "/" + nextId();
    }

    private String nextId() {
        return String.format("%016x", ++ids);
    }

    // ---- ECS ----

    private final class Compute implements ComputePlatform {
        @Override
        public Observation observe(App app) {
            return call(Operation.OBSERVE_COMPUTE, () -> observeCompute(app));
        }

        @Override
        public String registerTaskDefinition(TaskDefinitionSpec spec) {
            return call(Operation.REGISTER_TASK_DEFINITION, () -> {
                if (spec.family() == null || !ECS_NAME.matcher(spec.family()).matches()) {
                    throw fail(Kind.INVALID, "ClientException", "family '" + spec.family() + "' must be 1-255 letters, digits, - or _");
                }
                if (spec.image() == null || spec.image().isBlank()) {
                    throw fail(Kind.INVALID, "ClientException", "container image is required");
                }
                if (!validFargateSize(spec.cpu(), spec.memory())) {
                    throw fail(Kind.INVALID, "ClientException",
                            "No Fargate configuration exists for given values: " + spec.cpu() + " CPU, " + spec.memory() + " memory");
                }
                int revision = lastRevision.merge(spec.family(), 1, Integer::sum);
                String arn = "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":task-definition/" + spec.family() + ":" + revision;
                taskDefinitions.put(arn, new TaskDefinitionState(arn, spec.family(), spec.image(), spec.tags(),
                        computeObserves + listLag + 1));
                journal(Operation.REGISTER_TASK_DEFINITION, arn, spec.tags());
                return arn;
            });
        }

        @Override
        public void deregisterTaskDefinition(String taskDefinitionArn) {
            run(Operation.DEREGISTER_TASK_DEFINITION, () -> {
                TaskDefinitionState td = taskDefinitions.get(taskDefinitionArn);
                if (td == null) {
                    throw fail(Kind.NOT_FOUND, "ClientException", "task definition " + taskDefinitionArn + " does not exist");
                }
                if (td.active) {
                    td.active = false;
                    journal(Operation.DEREGISTER_TASK_DEFINITION, td.arn, td.tags);
                }
            });
        }

        @Override
        public String createService(ServiceSpec spec) {
            return call(Operation.CREATE_SERVICE, () -> {
                Instant now = clock.instant();
                if (!clusters.contains(spec.cluster())) {
                    throw fail(Kind.INVALID, "ClusterNotFoundException", "cluster " + spec.cluster() + " not found");
                }
                if (spec.name() == null || !ECS_NAME.matcher(spec.name()).matches()) {
                    throw fail(Kind.INVALID, "InvalidParameterException", "service name '" + spec.name() + "' is invalid");
                }
                if (spec.desiredCount() < 0) {
                    throw fail(Kind.INVALID, "InvalidParameterException", "desired count must be at least 0");
                }
                for (ServiceState s : services) {
                    if (s.cluster.equals(spec.cluster()) && s.name.equals(spec.name()) && s.status(now, drainDelay) != Status.INACTIVE) {
                        throw fail(Kind.CONFLICT, "ServiceAlreadyExists",
                                "service " + spec.name() + " is " + s.status(now, drainDelay) + " in " + spec.cluster());
                    }
                }
                TaskDefinitionState td = activeTaskDefinition(spec.taskDefinitionArn());
                checkServiceTargetGroup(spec.targetGroupArn());
                ServiceState s = new ServiceState("arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":service/" + spec.cluster() + "/" + spec.name(),
                        spec.cluster(), spec.name(), spec.tags(), computeObserves + listLag + 1);
                s.desired = spec.desiredCount();
                s.taskDefinitionArn = td.arn;
                s.image = td.image;
                s.targetGroupArn = spec.targetGroupArn();
                s.runningFrom = 0;
                s.runningTo = spec.desiredCount();
                s.runningChangesAt = now.plus(startupDelay);
                s.rolloutDoneAt = now.plus(startupDelay);
                services.add(s);
                journal(Operation.CREATE_SERVICE, s.arn, s.tags);
                return s.arn;
            });
        }

        @Override
        public void updateService(String serviceArn, ServiceSpec spec) {
            run(Operation.UPDATE_SERVICE, () -> {
                Instant now = clock.instant();
                ServiceState s = requireActiveService(serviceArn, null, now);
                if (spec.desiredCount() < 0) {
                    throw fail(Kind.INVALID, "InvalidParameterException", "desired count must be at least 0");
                }
                TaskDefinitionState td = activeTaskDefinition(spec.taskDefinitionArn());
                checkServiceTargetGroup(spec.targetGroupArn());
                boolean newDeployment = !td.arn.equals(s.taskDefinitionArn) || !Objects.equals(spec.targetGroupArn(), s.targetGroupArn);
                s.runningFrom = running(s, now);
                s.runningTo = spec.desiredCount();
                s.runningChangesAt = now.plus(startupDelay);
                s.desired = spec.desiredCount();
                if (newDeployment) {
                    s.taskDefinitionArn = td.arn;
                    s.image = td.image;
                    s.targetGroupArn = spec.targetGroupArn();
                    s.rolloutDoneAt = now.plus(startupDelay);
                }
                journal(Operation.UPDATE_SERVICE, s.arn, s.tags);
            });
        }

        @Override
        public void scaleService(String cluster, String serviceArn, int desiredCount) {
            run(Operation.SCALE_SERVICE, () -> {
                Instant now = clock.instant();
                ServiceState s = requireActiveService(serviceArn, cluster, now);
                if (desiredCount < 0) {
                    throw fail(Kind.INVALID, "InvalidParameterException", "desired count must be at least 0");
                }
                s.runningFrom = running(s, now);
                s.runningTo = desiredCount;
                s.runningChangesAt = now.plus(startupDelay);
                s.desired = desiredCount;
                journal(Operation.SCALE_SERVICE, s.arn, s.tags);
            });
        }

        @Override
        public void deleteService(String cluster, String serviceArn) {
            run(Operation.DELETE_SERVICE, () -> {
                Instant now = clock.instant();
                ServiceState s = findService(serviceArn, now);
                if (s == null || !s.cluster.equals(cluster) || s.status(now, drainDelay) != Status.ACTIVE) {
                    return;
                }
                if (s.desired > 0) {
                    throw fail(Kind.INVALID, "InvalidParameterException",
                            "The service cannot be stopped while it is scaled above 0.");
                }
                // Application Auto Scaling does not stop a service with a registered target from being
                // deleted; the property tests check skewless never leaves one behind.
                s.deletedAt = now;
                journal(Operation.DELETE_SERVICE, s.arn, s.tags);
            });
        }

        @Override
        public void registerScalableTarget(ScalableTargetSpec spec) {
            run(Operation.REGISTER_SCALABLE_TARGET, () -> doRegisterScalableTarget(spec));
        }

        @Override
        public void putScalingPolicy(ScalingPolicySpec spec) {
            run(Operation.PUT_SCALING_POLICY, () -> doPutScalingPolicy(spec));
        }

        @Override
        public void deleteScalingPolicy(String resourceId, String policyName) {
            run(Operation.DELETE_SCALING_POLICY, () -> {
                ObservedScalingPolicy p = scalingPolicies.remove(resourceId + "|" + policyName);
                if (p != null) {
                    ScalableTargetState t = scalableTargets.get(resourceId);
                    journal(Operation.DELETE_SCALING_POLICY, p.arn(), t == null ? Map.of() : t.tags);
                }
            });
        }

        @Override
        public void deregisterScalableTarget(String resourceId) {
            run(Operation.DEREGISTER_SCALABLE_TARGET, () -> {
                ScalableTargetState t = scalableTargets.remove(resourceId);
                if (t != null) {
                    // Deregistering a target deletes its policies.
                    scalingPolicies.values().removeIf(p -> p.spec().resourceId().equals(resourceId));
                    journal(Operation.DEREGISTER_SCALABLE_TARGET, t.arn, t.tags);
                }
            });
        }
    }

    private void doRegisterScalableTarget(ScalableTargetSpec spec) {
        Instant now = clock.instant();
        ServiceState s = activeServiceByResourceId(spec.resourceId(), now);
        if (s == null) {
            throw fail(Kind.INVALID, "ValidationException", "ECS service doesn't exist: " + spec.resourceId());
        }
        if (spec.minCount() < 0 || spec.maxCount() < spec.minCount()) {
            throw fail(Kind.INVALID, "ValidationException", "Minimum capacity cannot be greater than maximum capacity");
        }
        ScalableTargetState t = scalableTargets.get(spec.resourceId());
        if (t == null) {
            t = new ScalableTargetState(spec.resourceId(), "arn:aws:application-autoscaling:" + REGION + ":" + ACCOUNT
                    + ":scalable-target/" + nextId(), spec.tags());
            scalableTargets.put(t.resourceId, t);
        }
        t.min = spec.minCount();
        t.max = spec.maxCount();
        // Registering bounds that exclude the current count makes Application Auto Scaling move it inside them.
        if (s.desired < t.min || s.desired > t.max) {
            setDesired(s, Math.max(t.min, Math.min(t.max, s.desired)), now);
        }
        journal(Operation.REGISTER_SCALABLE_TARGET, t.arn, s.tags);
    }

    private void doPutScalingPolicy(ScalingPolicySpec spec) {
        ScalableTargetState t = scalableTargets.get(spec.resourceId());
        if (t == null) {
            throw fail(Kind.NOT_FOUND, "ObjectNotFoundException", "No scalable target registered for service namespace: ecs, "
                    + "resource ID: " + spec.resourceId() + ", scalable dimension: ecs:service:DesiredCount");
        }
        if (spec.metric() == null || spec.targetValue() <= 0 || spec.scaleInCooldownSeconds() < 0 || spec.scaleOutCooldownSeconds() < 0) {
            throw fail(Kind.INVALID, "ValidationException", "invalid target tracking configuration " + spec);
        }
        if (spec.metric() == AutoscalingSpec.Metric.REQUESTS) {
            // app/<lb>/<id>/targetgroup/<tg>/<id>, naming a target group that exists.
            String label = spec.resourceLabel();
            int at = label == null ? -1 : label.indexOf("/targetgroup/");
            if (at < 0 || !label.startsWith("app/") || targetGroups.keySet().stream().noneMatch(a -> a.endsWith(":" + label.substring(at + 1)))) {
                throw fail(Kind.INVALID, "ValidationException", "invalid resource label " + label);
            }
        } else if (spec.resourceLabel() != null) {
            throw fail(Kind.INVALID, "ValidationException", "ECSServiceAverageCPUUtilization takes no resource label");
        }
        ObservedScalingPolicy existing = scalingPolicies.get(spec.resourceId() + "|" + spec.name());
        String arn = existing != null ? existing.arn() : "arn:aws:autoscaling:" + REGION + ":" + ACCOUNT + ":scalingPolicy:"
                + nextId() + ":resource/ecs/" + spec.resourceId() + ":policyName/" + spec.name();
        scalingPolicies.put(spec.resourceId() + "|" + spec.name(), new ObservedScalingPolicy(arn, spec));
        journal(Operation.PUT_SCALING_POLICY, arn, t.tags);
    }

    private ComputePlatform.Observation observeCompute(App app) {
        long observation = ++computeObserves;
        Instant now = clock.instant();
        List<ObservedService> listed = services.stream()
                .filter(s -> s.visibleFrom <= observation && app.name().equals(s.tags.get(OwnershipTags.APP)))
                .filter(s -> listInactiveServices || s.status(now, drainDelay) != Status.INACTIVE)
                .map(s -> observed(s, now)).toList();
        List<ObservedTaskDefinition> defs = taskDefinitions.values().stream()
                .filter(t -> t.active && t.visibleFrom <= observation && app.name().equals(t.tags.get(OwnershipTags.APP)))
                .map(t -> new ObservedTaskDefinition(t.arn, t.family, t.tags)).toList();
        List<String> resourceIds = listed.stream().map(o -> ScalableTargetSpec.resourceId(o.cluster(), o.name())).toList();
        List<ObservedScalableTarget> targets = scalableTargets.values().stream()
                .filter(t -> resourceIds.contains(t.resourceId)).map(ScalableTargetState::observed).toList();
        List<ObservedScalingPolicy> policies = scalingPolicies.values().stream()
                .filter(p -> resourceIds.contains(p.spec().resourceId())).toList();
        return new ComputePlatform.Observation(listed, defs, targets, policies);
    }

    private ObservedService observed(ServiceState s, Instant now) {
        return new ObservedService(s.arn, s.name, s.cluster, s.status(now, drainDelay), s.desired, running(s, now),
                rollout(s, now), s.taskDefinitionArn, s.targetGroupArn, s.tags);
    }

    private int running(ServiceState s, Instant now) {
        if (failedImages.contains(s.image) || s.status(now, drainDelay) == Status.INACTIVE) {
            return 0;
        }
        return now.isBefore(s.runningChangesAt) ? s.runningFrom : s.runningTo;
    }

    private Rollout rollout(ServiceState s, Instant now) {
        if (now.isBefore(s.rolloutDoneAt)) {
            return Rollout.IN_PROGRESS;
        }
        return failedImages.contains(s.image) ? Rollout.FAILED : Rollout.COMPLETED;
    }

    /** The newest non-INACTIVE service with that ARN (a recreated service reuses its ARN), else the newest. */
    private ServiceState findService(String serviceArn, Instant now) {
        ServiceState found = null;
        for (ServiceState s : services) {
            if (s.arn.equals(serviceArn) && (found == null || s.status(now, drainDelay) != Status.INACTIVE)) {
                found = s;
            }
        }
        return found;
    }

    private ServiceState requireActiveService(String serviceArn, String cluster, Instant now) {
        ServiceState s = findService(serviceArn, now);
        if (s == null || (cluster != null && !s.cluster.equals(cluster)) || s.status(now, drainDelay) == Status.INACTIVE) {
            throw fail(Kind.NOT_FOUND, "ServiceNotFoundException", "service " + serviceArn + " not found");
        }
        if (s.status(now, drainDelay) == Status.DRAINING) {
            throw fail(Kind.CONFLICT, "ServiceNotActiveException", "service " + s.name + " is DRAINING");
        }
        return s;
    }

    private TaskDefinitionState activeTaskDefinition(String arn) {
        TaskDefinitionState td = arn == null ? null : taskDefinitions.get(arn);
        if (td == null || !td.active) {
            throw fail(Kind.INVALID, "ClientException",
                    "task definition " + arn + (td == null ? " does not exist" : " is INACTIVE"));
        }
        return td;
    }

    private void checkServiceTargetGroup(String targetGroupArn) {
        if (targetGroupArn == null) {
            return;
        }
        if (!targetGroups.containsKey(targetGroupArn)) {
            throw fail(Kind.INVALID, "InvalidParameterException", "target group " + targetGroupArn + " does not exist");
        }
        if (requireTargetGroupOnLoadBalancer && !attachedAnywhere(targetGroupArn)) {
            throw fail(Kind.INVALID, "InvalidParameterException",
                    "The target group with targetGroupArn " + targetGroupArn + " does not have an associated load balancer.");
        }
    }

    /** Valid Fargate CPU/memory pairs (Linux). */
    static boolean validFargateSize(int cpu, int memory) {
        return switch (cpu) {
            case 256 -> memory == 512 || memory == 1024 || memory == 2048;
            case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
            case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
            case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
            case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
            case 8192 -> memory >= 16384 && memory <= 61440 && memory % 4096 == 0;
            case 16384 -> memory >= 32768 && memory <= 122880 && memory % 8192 == 0;
            default -> false;
        };
    }

    // ---- stored resources (mutable, guarded by the cloud's lock) ----

    private static final class ListenerState {
        final String arn;
        final String loadBalancerArn;
        final Map<String, String> tags;
        AlbAction defaultAction;

        ListenerState(String arn, String loadBalancerArn, AlbAction defaultAction, Map<String, String> tags) {
            this.arn = arn;
            this.loadBalancerArn = loadBalancerArn;
            this.defaultAction = defaultAction;
            this.tags = tags;
        }
    }

    private static final class RuleState {
        final String arn;
        final String listenerArn;
        final Map<String, String> tags;
        final long visibleFrom;
        int priority;
        ListenerRuleSpec spec;

        RuleState(String arn, String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags, long visibleFrom) {
            this.arn = arn;
            this.listenerArn = listenerArn;
            this.priority = priority;
            this.spec = spec;
            this.tags = tags;
            this.visibleFrom = visibleFrom;
        }
    }

    private static final class TargetGroupState {
        final String arn;
        final String name;
        final int port;
        final String vpcId;
        final Map<String, String> tags;
        final Instant createdAt;
        final long visibleFrom;
        HealthCheckSpec healthCheck;
        Duration deregistrationDelay;

        TargetGroupState(String arn, String name, int port, String vpcId, HealthCheckSpec healthCheck, Duration deregistrationDelay,
                Map<String, String> tags, Instant createdAt, long visibleFrom) {
            this.arn = arn;
            this.name = name;
            this.port = port;
            this.vpcId = vpcId;
            this.healthCheck = healthCheck;
            this.deregistrationDelay = deregistrationDelay;
            this.tags = tags;
            this.createdAt = createdAt;
            this.visibleFrom = visibleFrom;
        }
    }

    private static final class TaskDefinitionState {
        final String arn;
        final String family;
        final String image;
        final Map<String, String> tags;
        final long visibleFrom;
        boolean active = true;

        TaskDefinitionState(String arn, String family, String image, Map<String, String> tags, long visibleFrom) {
            this.arn = arn;
            this.family = family;
            this.image = image;
            this.tags = tags;
            this.visibleFrom = visibleFrom;
        }
    }

    private static final class ScalableTargetState {
        final String resourceId;
        final String arn;
        final Map<String, String> tags;
        int min;
        int max;

        ScalableTargetState(String resourceId, String arn, Map<String, String> tags) {
            this.resourceId = resourceId;
            this.arn = arn;
            this.tags = Map.copyOf(tags);
        }

        ObservedScalableTarget observed() {
            return new ObservedScalableTarget(resourceId, arn, min, max);
        }
    }

    private static final class ServiceState {
        final String arn;
        final String cluster;
        final String name;
        final Map<String, String> tags;
        final long visibleFrom;
        int desired;
        String taskDefinitionArn;
        String image;
        String targetGroupArn;
        /** Running tasks move from runningFrom to runningTo at runningChangesAt. */
        int runningFrom;
        int runningTo;
        Instant runningChangesAt;
        Instant rolloutDoneAt;
        Instant deletedAt;

        ServiceState(String arn, String cluster, String name, Map<String, String> tags, long visibleFrom) {
            this.arn = arn;
            this.cluster = cluster;
            this.name = name;
            this.tags = tags;
            this.visibleFrom = visibleFrom;
        }

        Status status(Instant now, Duration drainDelay) {
            if (deletedAt == null) {
                return Status.ACTIVE;
            }
            return now.isBefore(deletedAt.plus(drainDelay)) ? Status.DRAINING : Status.INACTIVE;
        }
    }
}
