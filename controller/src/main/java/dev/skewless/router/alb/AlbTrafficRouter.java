package dev.skewless.router.alb;

import dev.skewless.aws.AwsFailures;
import dev.skewless.model.App;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.ResourceNames;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.observed.ObservedListener;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.router.TrafficRouter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * {@link TrafficRouter} on an Application Load Balancer.
 *
 * <p>Observing an App costs: one paginated DescribeRules for its listener (the default rule in it
 * gives the default action); DescribeTags for rules and target groups, 20 ARNs a call; one
 * paginated DescribeTargetGroups; one DescribeTargetHealth per App target group (the API takes one
 * group); one GetMetricData for all groups when the App has an idle window. Deregistration delays
 * and the rule count of the load balancer's other listeners change rarely and only by our hand, so
 * they are cached for {@link #cacheTtl}; the VPC of a load balancer never changes and is cached
 * for good.
 *
 * <p>It never modifies or deletes a rule or target group that does not carry
 * {@code skewless.dev/managed-by=<owner>}: before every such call it reads the resources' tags
 * (one DescribeTags call) and refuses with {@link Kind#INVALID} ({@code NotOwned}). The planner
 * already guarantees this; the check makes a planner bug unable to touch another team's routing.
 */
public final class AlbTrafficRouter implements TrafficRouter {
    private static final Logger LOG = LoggerFactory.getLogger(AlbTrafficRouter.class);
    /** DescribeTags takes at most 20 ARNs. */
    static final int TAGS_BATCH = 20;
    /** Largest page DescribeRules and DescribeTargetGroups accept. */
    private static final int PAGE_SIZE = 400;
    private static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";

    private final ElasticLoadBalancingV2Client elb;
    private final RequestCounts requestCounts;
    private final String owner;
    private final InstantSource clock;
    private final Duration cacheTtl;
    private final Map<String, String> vpcByLoadBalancer = new ConcurrentHashMap<>();
    private final Map<String, Cached<Duration>> deregistrationDelays = new ConcurrentHashMap<>();
    private final Map<String, Cached<Integer>> otherListenersRules = new ConcurrentHashMap<>();
    /** When this process first saw (or created) each target group. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    /**
     * @param elb           ELBv2 client
     * @param requestCounts CloudWatch request counts, or null to report traffic as unknown
     * @param owner         the owner id in {@code skewless.dev/managed-by}
     * @param clock         for the CloudWatch window and cache ages
     * @param cacheTtl      how long rarely changing reads are reused
     */
    public AlbTrafficRouter(ElasticLoadBalancingV2Client elb, RequestCounts requestCounts, String owner, InstantSource clock,
            Duration cacheTtl) {
        this.elb = elb;
        this.requestCounts = requestCounts;
        this.owner = owner;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    /** Default owner, system clock, five-minute cache. */
    public AlbTrafficRouter(ElasticLoadBalancingV2Client elb, RequestCounts requestCounts) {
        this(elb, requestCounts, OwnershipTags.DEFAULT_OWNER, InstantSource.system(), Duration.ofMinutes(5));
    }

    // ---- observe ----

    @Override
    public Observation observe(App app) {
        String listenerArn = app.spec().router().listenerArn();
        String loadBalancerArn = loadBalancerOf(listenerArn);
        return call("observe " + app.name(), () -> {
            List<Rule> rules;
            try {
                rules = describeRules(listenerArn);
            } catch (SdkException e) {
                ActionException failure = AwsFailures.classify(e, "describe rules of " + listenerArn);
                if (failure.kind() != Kind.NOT_FOUND) {
                    throw failure;
                }
                rules = null;
            }
            List<TargetGroup> all = describeAllTargetGroups();
            List<ObservedTargetGroup> groups = targetGroupsOf(app, all);
            ObservedListener listener = null;
            if (rules != null) {
                List<Rule> nonDefault = rules.stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).toList();
                AlbAction defaultAction = rules.stream().filter(r -> Boolean.TRUE.equals(r.isDefault())).findFirst()
                        .map(r -> AlbShapes.action(r.actions())).orElse(null);
                Map<String, Map<String, String>> ruleTags = tags(nonDefault.stream().map(Rule::ruleArn).toList());
                List<ObservedRule> observed = nonDefault.stream().map(r -> new ObservedRule(r.ruleArn(), Integer.parseInt(r.priority()),
                        AlbShapes.spec(r), ruleTags.getOrDefault(r.ruleArn(), Map.of()))).toList();
                int targetGroupsOnLoadBalancer = (int) all.stream().filter(t -> t.loadBalancerArns().contains(loadBalancerArn)).count();
                int rulesOnLoadBalancer = nonDefault.size() + otherListenersRules(loadBalancerArn, listenerArn);
                listener = new ObservedListener(listenerArn, observed, defaultAction, rulesOnLoadBalancer, targetGroupsOnLoadBalancer);
            }
            return new Observation(listener, groups, lastRequestAt(app, loadBalancerArn, groups));
        });
    }

    private List<Rule> describeRules(String listenerArn) {
        // ELBv2 has no paginator for DescribeRules; follow the marker by hand.
        List<Rule> rules = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeRulesResponse r = elb.describeRules(b -> b.listenerArn(listenerArn).pageSize(PAGE_SIZE).marker(m));
            rules.addAll(r.rules());
            marker = r.nextMarker();
        } while (marker != null);
        return rules;
    }

    /**
     * Every target group of the account (paginated). Not only those of the load balancer: a new
     * group is on no load balancer until its standby rule exists, and an old one is on none once
     * its rules are gone, and both must be seen to be finished or deleted.
     */
    private List<TargetGroup> describeAllTargetGroups() {
        List<TargetGroup> out = new ArrayList<>();
        elb.describeTargetGroupsPaginator(b -> b.pageSize(PAGE_SIZE)).targetGroups().forEach(out::add);
        return out;
    }

    private List<ObservedTargetGroup> targetGroupsOf(App app, List<TargetGroup> all) {
        // ResourceNames puts the (truncated) App name in every group name: narrow before reading tags.
        String app16 = app.name().length() > ResourceNames.APP_NAME_MAX ? app.name().substring(0, ResourceNames.APP_NAME_MAX) : app.name();
        String prefix = "skl-" + app16 + "-";
        List<TargetGroup> candidates = all.stream().filter(t -> t.targetGroupName().startsWith(prefix)).toList();
        Map<String, Map<String, String>> tags = tags(candidates.stream().map(TargetGroup::targetGroupArn).toList());
        List<ObservedTargetGroup> out = new ArrayList<>();
        for (TargetGroup t : candidates) {
            Map<String, String> groupTags = tags.getOrDefault(t.targetGroupArn(), Map.of());
            if (!app.name().equals(groupTags.get(OwnershipTags.APP))) {
                continue;
            }
            int registered = 0;
            int healthy = 0;
            for (TargetHealthDescription d : elb.describeTargetHealth(b -> b.targetGroupArn(t.targetGroupArn()))
                    .targetHealthDescriptions()) {
                registered++;
                if (d.targetHealth() != null && d.targetHealth().state() == TargetHealthStateEnum.HEALTHY) {
                    healthy++;
                }
            }
            firstSeen.putIfAbsent(t.targetGroupArn(), clock.instant());
            out.add(new ObservedTargetGroup(t.targetGroupArn(), t.targetGroupName(), t.port(), healthCheck(t),
                    deregistrationDelay(t.targetGroupArn()), registered, healthy, groupTags));
        }
        return out;
    }

    private Map<VersionKey, Instant> lastRequestAt(App app, String loadBalancerArn, List<ObservedTargetGroup> groups) {
        Duration idle = app.spec().retention().idleExpiry();
        if (idle == null || requestCounts == null || groups.isEmpty()) {
            return Map.of();
        }
        Optional<Map<String, Instant>> last = requestCounts.lastRequestAt(loadBalancerArn,
                groups.stream().map(ObservedTargetGroup::arn).toList(), idle, clock.instant());
        Map<VersionKey, Instant> out = new HashMap<>();
        last.ifPresent(byGroup -> {
            for (ObservedTargetGroup g : groups) {
                String version = g.tags().get(OwnershipTags.VERSION);
                if (version != null && byGroup.containsKey(g.arn())) {
                    // A group younger than the window has not been idle for the whole window: count
                    // from when this process first saw it (ALB reports no creation time; after a
                    // restart that is later than the truth, which only delays expiry).
                    Instant seen = firstSeen.getOrDefault(g.arn(), Instant.MIN);
                    Instant at = byGroup.get(g.arn());
                    out.put(new VersionKey(app.name(), version), seen.isAfter(at) ? seen : at);
                }
            }
        });
        return out;
    }

    private int otherListenersRules(String loadBalancerArn, String listenerArn) {
        Cached<Integer> cached = otherListenersRules.get(loadBalancerArn);
        if (cached != null && cached.fresh(clock.instant(), cacheTtl)) {
            return cached.value();
        }
        int count = 0;
        for (Listener l : elb.describeListenersPaginator(b -> b.loadBalancerArn(loadBalancerArn)).listeners()) {
            if (!l.listenerArn().equals(listenerArn)) {
                count += (int) describeRules(l.listenerArn()).stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).count();
            }
        }
        otherListenersRules.put(loadBalancerArn, new Cached<>(count, clock.instant()));
        return count;
    }

    private Duration deregistrationDelay(String targetGroupArn) {
        Cached<Duration> cached = deregistrationDelays.get(targetGroupArn);
        if (cached != null && cached.fresh(clock.instant(), cacheTtl)) {
            return cached.value();
        }
        Duration delay = elb.describeTargetGroupAttributes(b -> b.targetGroupArn(targetGroupArn)).attributes().stream()
                .filter(a -> DEREGISTRATION_DELAY.equals(a.key())).findFirst()
                .map(a -> Duration.ofSeconds(Long.parseLong(a.value()))).orElse(Duration.ofSeconds(300));
        deregistrationDelays.put(targetGroupArn, new Cached<>(delay, clock.instant()));
        return delay;
    }

    private static HealthCheckSpec healthCheck(TargetGroup t) {
        return new HealthCheckSpec(t.healthCheckPath(), seconds(t.healthCheckIntervalSeconds()), seconds(t.healthCheckTimeoutSeconds()),
                t.healthyThresholdCount() == null ? 0 : t.healthyThresholdCount(),
                t.unhealthyThresholdCount() == null ? 0 : t.unhealthyThresholdCount(),
                t.matcher() == null ? null : t.matcher().httpCode());
    }

    private static Duration seconds(Integer s) {
        return s == null ? null : Duration.ofSeconds(s);
    }

    // ---- target groups ----

    @Override
    public String createTargetGroup(TargetGroupSpec spec) {
        String vpc = spec.vpcId() != null ? spec.vpcId() : vpcOf(spec.listenerArn(), spec.name());
        HealthCheckSpec hc = spec.healthCheck();
        String arn;
        try {
            arn = call("create target group " + spec.name(), () -> elb.createTargetGroup(b -> b
                .name(spec.name())
                .protocol(ProtocolEnum.HTTP)
                .port(spec.port())
                .vpcId(vpc)
                .targetType(TargetTypeEnum.IP)
                .healthCheckEnabled(true)
                .healthCheckProtocol(ProtocolEnum.HTTP)
                .healthCheckPath(hc.path())
                .healthCheckIntervalSeconds((int) hc.interval().toSeconds())
                .healthCheckTimeoutSeconds((int) hc.timeout().toSeconds())
                .healthyThresholdCount(hc.healthyThreshold())
                .unhealthyThresholdCount(hc.unhealthyThreshold())
                .matcher(m -> m.httpCode(hc.matcher()))
                .tags(AlbShapes.tags(spec.tags()))).targetGroups().getFirst().targetGroupArn());
        } catch (ActionException e) {
            arn = "DuplicateTargetGroupName".equals(e.code()) ? sameGroup(spec, vpc).orElseThrow(() -> e) : null;
            if (arn == null) {
                throw e;
            }
        }
        firstSeen.putIfAbsent(arn, clock.instant());
        // A crash right here leaves ALB's default delay; the next pass sees it differ and updates.
        setDeregistrationDelay(arn, spec.deregistrationDelay());
        LOG.atInfo().setMessage("created target group").addKeyValue("name", spec.name()).addKeyValue("arn", arn).log();
        return arn;
    }

    /**
     * AWS answers a create identical to an existing group with that group (a retry after a lost
     * response, a crash between create and the next pass); moto refuses it as a duplicate. Either
     * way the caller gets the group when it is ours and has the same settings, and CONFLICT
     * otherwise, as the test cloud does.
     */
    private Optional<String> sameGroup(TargetGroupSpec spec, String vpc) {
        TargetGroup existing = call("find target group " + spec.name(),
                () -> elb.describeTargetGroups(b -> b.names(spec.name())).targetGroups().getFirst());
        Map<String, String> existingTags = call("read tags of " + spec.name(), () -> tags(List.of(existing.targetGroupArn())))
                .getOrDefault(existing.targetGroupArn(), Map.of());
        boolean same = existing.port() == spec.port() && vpc.equals(existing.vpcId()) && spec.healthCheck().equals(healthCheck(existing))
                && owner.equals(existingTags.get(OwnershipTags.MANAGED_BY));
        return same ? Optional.of(existing.targetGroupArn()) : Optional.empty();
    }

    @Override
    public void updateTargetGroup(String targetGroupArn, TargetGroupSpec spec) {
        requireOwned(List.of(targetGroupArn), "update target group");
        HealthCheckSpec hc = spec.healthCheck();
        call("update target group " + spec.name(), () -> elb.modifyTargetGroup(b -> b
                .targetGroupArn(targetGroupArn)
                .healthCheckPath(hc.path())
                .healthCheckIntervalSeconds((int) hc.interval().toSeconds())
                .healthCheckTimeoutSeconds((int) hc.timeout().toSeconds())
                .healthyThresholdCount(hc.healthyThreshold())
                .unhealthyThresholdCount(hc.unhealthyThreshold())
                .matcher(m -> m.httpCode(hc.matcher()))));
        setDeregistrationDelay(targetGroupArn, spec.deregistrationDelay());
    }

    private void setDeregistrationDelay(String targetGroupArn, Duration delay) {
        call("set deregistration delay of " + targetGroupArn, () -> elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(targetGroupArn)
                .attributes(TargetGroupAttribute.builder().key(DEREGISTRATION_DELAY).value(Long.toString(delay.toSeconds())).build())));
        deregistrationDelays.put(targetGroupArn, new Cached<>(delay, clock.instant()));
    }

    @Override
    public void deleteTargetGroup(String targetGroupArn) {
        try {
            requireOwned(List.of(targetGroupArn), "delete target group");
            call("delete target group " + targetGroupArn, () -> elb.deleteTargetGroup(b -> b.targetGroupArn(targetGroupArn)));
        } catch (ActionException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        deregistrationDelays.remove(targetGroupArn);
        firstSeen.remove(targetGroupArn);
        LOG.atInfo().setMessage("deleted target group").addKeyValue("arn", targetGroupArn).log();
    }

    /** The VPC of the listener's load balancer, described once per load balancer. */
    private String vpcOf(String listenerArn, String targetGroupName) {
        if (listenerArn == null) {
            throw new ActionException(Kind.INVALID, "ValidationError", "a VPC ID must be specified for target group " + targetGroupName);
        }
        String loadBalancerArn = loadBalancerOf(listenerArn);
        String cached = vpcByLoadBalancer.get(loadBalancerArn);
        if (cached != null) {
            return cached;
        }
        String vpc = call("find the VPC of " + loadBalancerArn, () -> elb.describeLoadBalancers(b -> b.loadBalancerArns(loadBalancerArn))
                .loadBalancers().getFirst().vpcId());
        vpcByLoadBalancer.put(loadBalancerArn, vpc);
        return vpc;
    }

    // ---- rules ----

    @Override
    public String createRule(String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags) {
        String arn = call("create rule at " + priority, () -> elb.createRule(b -> b.listenerArn(listenerArn).priority(priority)
                .conditions(AlbShapes.conditions(spec.conditions())).actions(AlbShapes.action(spec.action()))
                .tags(AlbShapes.tags(tags))).rules().getFirst().ruleArn());
        LOG.atInfo().setMessage("created rule").addKeyValue("priority", priority)
                .addKeyValue("role", tags.get(OwnershipTags.RULE_ROLE)).addKeyValue("arn", arn).log();
        return arn;
    }

    @Override
    public void modifyRule(String ruleArn, ListenerRuleSpec spec) {
        requireOwned(List.of(ruleArn), "modify rule");
        call("modify rule " + ruleArn, () -> elb.modifyRule(b -> b.ruleArn(ruleArn).conditions(AlbShapes.conditions(spec.conditions()))
                .actions(AlbShapes.action(spec.action()))));
    }

    @Override
    public void setRulePriorities(String listenerArn, Map<String, Integer> priorityByRuleArn) {
        requireOwned(List.copyOf(priorityByRuleArn.keySet()), "move rule");
        call("set rule priorities on " + listenerArn, () -> elb.setRulePriorities(b -> b.rulePriorities(priorityByRuleArn.entrySet().stream()
                .map(e -> RulePriorityPair.builder().ruleArn(e.getKey()).priority(e.getValue()).build()).toList())));
        LOG.atInfo().setMessage("moved rules").addKeyValue("listener", listenerArn).addKeyValue("rules", priorityByRuleArn.size()).log();
    }

    @Override
    public void deleteRule(String ruleArn) {
        try {
            requireOwned(List.of(ruleArn), "delete rule");
            call("delete rule " + ruleArn, () -> elb.deleteRule(b -> b.ruleArn(ruleArn)));
        } catch (ActionException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        LOG.atInfo().setMessage("deleted rule").addKeyValue("arn", ruleArn).log();
    }

    @Override
    public void setDefaultAction(String listenerArn, AlbAction action) {
        // The planner sets it only for an App that owns the whole listener (RouterSpec.ownsListener),
        // which is how the listener's owner declared it; listeners made by CDK carry no tags to check.
        call("set default action of " + listenerArn, () -> elb.modifyListener(b -> b.listenerArn(listenerArn)
                .defaultActions(AlbShapes.action(action))));
    }

    // ---- plumbing ----

    /** Refuses unless every ARN carries {@code managed-by=owner}. Missing resources fail NOT_FOUND. */
    private void requireOwned(List<String> arns, String what) {
        Map<String, Map<String, String>> tags = call(what + ": read ownership tags", () -> tags(arns));
        for (String arn : arns) {
            Map<String, String> t = tags.get(arn);
            if (t == null) {
                throw new ActionException(Kind.NOT_FOUND, "NotFound", what + ": " + arn + " not found");
            }
            if (!owner.equals(t.get(OwnershipTags.MANAGED_BY)) && !exists(arn)) {
                // moto answers DescribeTags for a missing ARN with no tags where AWS says not found.
                throw new ActionException(Kind.NOT_FOUND, "NotFound", what + ": " + arn + " not found");
            }
            if (!owner.equals(t.get(OwnershipTags.MANAGED_BY))) {
                LOG.atError().setMessage("refused to touch a resource skewless does not own").addKeyValue("action", what)
                        .addKeyValue("arn", arn).log();
                throw new ActionException(Kind.INVALID, "NotOwned",
                        what + ": " + arn + " does not carry " + OwnershipTags.MANAGED_BY + "=" + owner + "; skewless never touches it");
            }
        }
    }

    /** Whether a rule or target group exists (asked only before refusing to touch it). */
    private boolean exists(String arn) {
        try {
            if (arn.contains(":listener-rule/")) {
                return !elb.describeRules(b -> b.ruleArns(arn)).rules().isEmpty();
            }
            return !elb.describeTargetGroups(b -> b.targetGroupArns(arn)).targetGroups().isEmpty();
        } catch (SdkException e) {
            ActionException failure = AwsFailures.classify(e, "check " + arn);
            if (failure.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw failure;
        }
    }

    /** Tags of many resources, 20 per DescribeTags call. */
    private Map<String, Map<String, String>> tags(List<String> arns) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 0; i < arns.size(); i += TAGS_BATCH) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + TAGS_BATCH));
            for (TagDescription d : elb.describeTags(b -> b.resourceArns(batch)).tagDescriptions()) {
                Map<String, String> t = new LinkedHashMap<>();
                d.tags().forEach(tag -> t.put(tag.key(), tag.value()));
                out.put(d.resourceArn(), t);
            }
        }
        return out;
    }

    /**
     * {@code arn:aws:elasticloadbalancing:r:a:listener/app/name/lbid/lid} →
     * {@code arn:aws:elasticloadbalancing:r:a:loadbalancer/app/name/lbid}: the ARN formats are
     * documented, and this saves a DescribeListeners call per pass.
     */
    static String loadBalancerOf(String listenerArn) {
        int at = listenerArn.indexOf(":listener/");
        if (at < 0) {
            throw new ActionException(Kind.INVALID, "ValidationError", "not a listener ARN: " + listenerArn);
        }
        String path = listenerArn.substring(at + ":listener/".length());
        return listenerArn.substring(0, at) + ":loadbalancer/" + path.substring(0, path.lastIndexOf('/'));
    }

    private static <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            ActionException failure = AwsFailures.classify(e, what);
            LOG.atDebug().setMessage("ELBv2 call failed").addKeyValue("action", what).addKeyValue("kind", failure.kind())
                    .addKeyValue("code", failure.code()).log();
            throw failure;
        }
    }

    private record Cached<T>(T value, Instant at) {
        boolean fresh(Instant now, Duration ttl) {
            return now.isBefore(at.plus(ttl));
        }
    }
}
