package dev.skewless.router.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.skewless.model.App;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.action.ActionException;
import dev.skewless.plan.action.ActionException.Kind;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.action.ListenerRuleSpec;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.observed.ObservedListener;
import dev.skewless.plan.observed.ObservedRule;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.routing.HttpRequest;
import dev.skewless.plan.routing.RouteDecision;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.router.TrafficRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ALB of {@code ./skewless dev}: a {@link TrafficRouter} that keeps listeners, rules and target
 * groups in memory, and an HTTP reverse proxy on one port that routes every request with the same
 * evaluator as production, {@link RoutingTable#route}.
 *
 * <p><b>Control plane.</b> Listeners exist as soon as an App names one (their default action starts
 * as a fixed 404). Rules and target groups behave as ALB's do where the planner relies on it:
 * unique priorities per listener, an identical target group create returns the existing group,
 * a target group in use by a rule or default action cannot be deleted, deleting what is gone is
 * not an error. {@link #observe} reports them in the planner's terms, with registered and
 * healthy targets as the compute platform last reported them ({@link #updateTargets}) and the
 * last request each version served.
 *
 * <p><b>Data plane.</b> The rules here are bookkeeping for the planner; requests are decided by the
 * table of each App's last successful pass ({@link #install}, called from the engine's
 * {@code ReconcileObserver.passFinished}), the table those rules implement. Per request:
 * {@code /_skewless/**} goes to the status upstream; otherwise each App's table is asked in the
 * order of the Apps' priority ranges (as the ALB evaluates their rules), and the first decision
 * that is not "not matched" is carried out: a forward goes round-robin to a healthy target of the
 * chosen version (a canary split picks by weight), a fixed response is answered as the ALB would;
 * then the web builds are served ({@link WebBuilds}); anything else is 404.
 *
 * <p>Thread-safe. {@link #start()} binds the port; {@link #close()} stops it.
 */
public final class LocalTrafficRouter implements TrafficRouter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalTrafficRouter.class);
    private static final String ARN_PREFIX = "arn:skewless:local:";
    private static final Pattern TARGET_GROUP_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");
    /** The default action of a listener nobody set one on. */
    static final AlbAction NOT_FOUND = new AlbAction.FixedResponse(404, "text/plain", "Not Found");

    private final LocalRouterConfig config;
    private final InstantSource clock;
    private final Forwarding forwarding;
    private final WebBuilds web;

    // Control plane, guarded by `this`.
    private final Map<String, AlbAction> listeners = new LinkedHashMap<>();
    private final Map<String, RuleState> rules = new LinkedHashMap<>();
    private final Map<String, TargetGroupState> targetGroups = new LinkedHashMap<>();
    private long ids;

    // Data plane: lock-free reads.
    private final Map<String, Map<URI, Boolean>> targets = new ConcurrentHashMap<>();
    private final Map<String, Integer> appOrder = new ConcurrentHashMap<>();
    private final Map<String, RoutingTable> tables = new ConcurrentHashMap<>();
    private volatile List<RoutingTable> tablesInOrder = List.of();
    /** Target groups of each version, rebuilt when groups come and go. */
    private volatile Map<VersionKey, List<String>> groupsByVersion = Map.of();
    private final Map<VersionKey, Instant> lastRequest = new ConcurrentHashMap<>();
    private final Map<VersionKey, AtomicLong> roundRobin = new ConcurrentHashMap<>();

    private HttpServer server;
    /** While non-null, application requests are answered 503 with this message (see {@link #holdTraffic}). */
    private volatile String held;

    private record RuleState(String arn, String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags) {}

    private record TargetGroupState(String arn, String name, int port, HealthCheckSpec healthCheck, Duration deregistrationDelay,
            Map<String, String> tags, Instant createdAt) {}

    public LocalTrafficRouter(LocalRouterConfig config, InstantSource clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.forwarding = new Forwarding(config.connectTimeout());
        this.web = config.webRoot() == null ? null : new WebBuilds(config.webRoot(), config.webApp());
    }

    /** Binds the port and starts serving. Returns this. */
    public synchronized LocalTrafficRouter start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        try {
            server = HttpServer.create(config.bind(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.bind(), e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        log.atInfo().addKeyValue("uri", uri()).addKeyValue("webRoot", config.webRoot())
                .addKeyValue("statusUpstream", config.statusUpstream()).log("local router listening");
        return this;
    }

    /** Where the proxy listens, e.g. {@code http://127.0.0.1:4000/}. */
    public synchronized URI uri() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        var address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    @Override
    public void close() {
        HttpServer s;
        synchronized (this) {
            s = server;
            server = null;
        }
        if (s != null) {
            s.stop(0);
            log.atInfo().log("local router stopped");
        }
        forwarding.close();
    }

    // ================================================================ composition hooks

    /**
     * Routes {@code app}'s requests with {@code table} from now on: the table of a pass whose
     * actions all succeeded (its rules are in place). Called by the composer from
     * {@code ReconcileObserver.passFinished}.
     */
    public void install(String app, RoutingTable table) {
        Objects.requireNonNull(table, "table");
        RoutingTable previous = tables.put(app, table);
        reorder();
        if (!table.equals(previous)) {
            log.atInfo().addKeyValue("app", app).addKeyValue("live", table.live())
                    .addKeyValue("canary", table.canary() == null ? null : table.canary().version() + "@" + table.canary().weight())
                    .addKeyValue("routable", table.routable()).addKeyValue("action", "InstallRoutingTable").addKeyValue("outcome", "ok")
                    .log("routing table installed");
        }
    }

    /**
     * Answers every application request 503 (with {@code Retry-After}) until {@link #releaseTraffic}:
     * after a restart of {@code ./skewless dev} this router has lost its rules, where an ALB would
     * have kept them, and until the versions that served before are back, a pin to one of them
     * would otherwise be told that its version expired. The status API stays reachable.
     */
    public void holdTraffic(String why) {
        held = Objects.requireNonNull(why, "why");
        log.atInfo().addKeyValue("action", "HoldTraffic").addKeyValue("reason", why).log("application requests answered 503 until restored");
    }

    /** Ends {@link #holdTraffic}. */
    public void releaseTraffic() {
        if (held != null) {
            held = null;
            log.atInfo().addKeyValue("action", "ReleaseTraffic").log("application requests routed again");
        }
    }

    /** Stops routing {@code app} (it was deleted). */
    public void forget(String app) {
        if (tables.remove(app) != null) {
            reorder();
            log.atInfo().addKeyValue("app", app).log("routing table removed");
        }
    }

    /** The table {@code app}'s requests are routed with, if any. */
    public Optional<RoutingTable> table(String app) {
        return Optional.ofNullable(tables.get(app));
    }

    /**
     * The compute platform's report of a target group's targets: every registered target's base
     * URI and whether it is healthy. Replaces what was known about that group; an empty map
     * deregisters everything. Plain JDK types, so the platform and the router need not know each
     * other (the composer passes {@code router::updateTargets} to the platform).
     */
    public void updateTargets(String targetGroupArn, Map<URI, Boolean> healthByTarget) {
        if (healthByTarget.isEmpty()) {
            targets.remove(targetGroupArn);
        } else {
            targets.put(targetGroupArn, Map.copyOf(healthByTarget));
        }
    }

    // ================================================================ TrafficRouter

    @Override
    public synchronized Observation observe(App app) {
        PriorityRange range = app.spec().router().priorities();
        if (!Objects.equals(appOrder.put(app.name(), range.from()), range.from())) {
            reorder();
        }
        String listenerArn = app.spec().router().listenerArn();
        AlbAction defaultAction = listeners.computeIfAbsent(listenerArn, l -> NOT_FOUND);
        List<ObservedRule> listed = rules.values().stream().filter(r -> r.listenerArn().equals(listenerArn))
                .sorted(Comparator.comparingInt(RuleState::priority))
                .map(r -> new ObservedRule(r.arn(), r.priority(), r.spec(), r.tags())).toList();
        ObservedListener listener = new ObservedListener(listenerArn, listed, defaultAction, rules.size(), attachedTargetGroups().size());
        List<ObservedTargetGroup> groups = new ArrayList<>();
        Map<VersionKey, Instant> lastRequestAt = new HashMap<>();
        for (TargetGroupState tg : targetGroups.values()) {
            if (!app.name().equals(tg.tags().get(OwnershipTags.APP))) {
                continue;
            }
            Map<URI, Boolean> t = targets.getOrDefault(tg.arn(), Map.of());
            int healthy = (int) t.values().stream().filter(Boolean::booleanValue).count();
            groups.add(new ObservedTargetGroup(tg.arn(), tg.name(), tg.port(), tg.healthCheck(), tg.deregistrationDelay(), t.size(),
                    healthy, tg.tags()));
            String version = tg.tags().get(OwnershipTags.VERSION);
            if (version != null) {
                VersionKey key = new VersionKey(app.name(), version);
                lastRequestAt.merge(key, lastRequest.getOrDefault(key, tg.createdAt()), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return new Observation(listener, groups, lastRequestAt);
    }

    @Override
    public synchronized String createTargetGroup(TargetGroupSpec spec) {
        if (spec.name() == null || !TARGET_GROUP_NAME.matcher(spec.name()).matches()) {
            throw fail(Kind.INVALID, "ValidationError", "target group name '" + spec.name()
                    + "' must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen");
        }
        for (TargetGroupState existing : targetGroups.values()) {
            if (existing.name().equals(spec.name())) {
                // ALB answers an identical create with the existing group and refuses a different one.
                if (existing.port() == spec.port() && existing.healthCheck().equals(spec.healthCheck())) {
                    return existing.arn();
                }
                throw fail(Kind.CONFLICT, "DuplicateTargetGroupName", "a target group named " + spec.name() + " exists with different settings");
            }
        }
        String arn = ARN_PREFIX + "targetgroup/" + spec.name() + "/" + nextId();
        targetGroups.put(arn, new TargetGroupState(arn, spec.name(), spec.port(), spec.healthCheck(), spec.deregistrationDelay(),
                spec.tags(), clock.instant()));
        reindexGroups();
        return arn;
    }

    @Override
    public synchronized void updateTargetGroup(String targetGroupArn, TargetGroupSpec spec) {
        TargetGroupState tg = targetGroups.get(targetGroupArn);
        if (tg == null) {
            throw fail(Kind.NOT_FOUND, "TargetGroupNotFound", "target group " + targetGroupArn + " not found");
        }
        targetGroups.put(targetGroupArn, new TargetGroupState(tg.arn(), tg.name(), tg.port(), spec.healthCheck(),
                spec.deregistrationDelay(), tg.tags(), tg.createdAt()));
    }

    @Override
    public synchronized void deleteTargetGroup(String targetGroupArn) {
        TargetGroupState tg = targetGroups.get(targetGroupArn);
        if (tg == null) {
            return;
        }
        if (attachedTargetGroups().contains(targetGroupArn)) {
            throw fail(Kind.CONFLICT, "ResourceInUse", "target group " + tg.name() + " is currently in use by a listener or a rule");
        }
        targetGroups.remove(targetGroupArn);
        targets.remove(targetGroupArn);
        reindexGroups();
    }

    @Override
    public synchronized String createRule(String listenerArn, int priority, ListenerRuleSpec spec, Map<String, String> tags) {
        listeners.computeIfAbsent(listenerArn, l -> NOT_FOUND);
        checkPriority(priority);
        checkRule(spec);
        for (RuleState r : rules.values()) {
            if (r.listenerArn().equals(listenerArn) && r.priority() == priority) {
                throw fail(Kind.CONFLICT, "PriorityInUse", "priority " + priority + " is in use by " + r.arn());
            }
        }
        String arn = ARN_PREFIX + "listener-rule/" + nextId();
        rules.put(arn, new RuleState(arn, listenerArn, priority, spec, Map.copyOf(tags)));
        return arn;
    }

    @Override
    public synchronized void modifyRule(String ruleArn, ListenerRuleSpec spec) {
        RuleState rule = rules.get(ruleArn);
        if (rule == null) {
            throw fail(Kind.NOT_FOUND, "RuleNotFound", "rule " + ruleArn + " not found");
        }
        checkRule(spec);
        rules.put(ruleArn, new RuleState(rule.arn(), rule.listenerArn(), rule.priority(), spec, rule.tags()));
    }

    @Override
    public synchronized void setRulePriorities(String listenerArn, Map<String, Integer> priorityByRuleArn) {
        for (Map.Entry<String, Integer> e : priorityByRuleArn.entrySet()) {
            RuleState rule = rules.get(e.getKey());
            if (rule == null) {
                throw fail(Kind.NOT_FOUND, "RuleNotFound", "rule " + e.getKey() + " not found");
            }
            if (!rule.listenerArn().equals(listenerArn)) {
                throw fail(Kind.INVALID, "ValidationError", "rule " + e.getKey() + " is not on " + listenerArn);
            }
            checkPriority(e.getValue());
        }
        Map<Integer, String> taken = new HashMap<>();
        for (RuleState rule : rules.values()) {
            if (rule.listenerArn().equals(listenerArn)) {
                int priority = priorityByRuleArn.getOrDefault(rule.arn(), rule.priority());
                String other = taken.putIfAbsent(priority, rule.arn());
                if (other != null) {
                    throw fail(Kind.CONFLICT, "PriorityInUse", "priority " + priority + " would be held by both " + other + " and " + rule.arn());
                }
            }
        }
        priorityByRuleArn.forEach((arn, priority) -> {
            RuleState r = rules.get(arn);
            rules.put(arn, new RuleState(r.arn(), r.listenerArn(), priority, r.spec(), r.tags()));
        });
    }

    @Override
    public synchronized void deleteRule(String ruleArn) {
        rules.remove(ruleArn);
    }

    @Override
    public synchronized void setDefaultAction(String listenerArn, AlbAction action) {
        checkAction(action);
        listeners.put(listenerArn, action);
    }

    private void checkRule(ListenerRuleSpec spec) {
        if (spec.conditions().isEmpty()) {
            throw fail(Kind.INVALID, "ValidationError", "a rule needs at least one condition");
        }
        checkAction(spec.action());
    }

    private void checkAction(AlbAction action) {
        if (action instanceof AlbAction.Forward f) {
            if (f.targetGroups().isEmpty()) {
                throw fail(Kind.INVALID, "ValidationError", "a forward action needs a target group");
            }
            for (AlbAction.TargetGroupWeight g : f.targetGroups()) {
                if (!targetGroups.containsKey(g.targetGroupArn())) {
                    throw fail(Kind.NOT_FOUND, "TargetGroupNotFound", "target group " + g.targetGroupArn() + " not found");
                }
            }
        }
    }

    private static void checkPriority(int priority) {
        if (priority < PriorityRange.MIN || priority > PriorityRange.MAX) {
            throw fail(Kind.INVALID, "ValidationError", "priority " + priority + " is outside 1..50000");
        }
    }

    /** Target groups some rule or default action forwards to. */
    private Set<String> attachedTargetGroups() {
        Set<String> out = new HashSet<>();
        listeners.values().forEach(a -> addForwarded(a, out));
        rules.values().forEach(r -> addForwarded(r.spec().action(), out));
        return out;
    }

    private static void addForwarded(AlbAction action, Set<String> out) {
        if (action instanceof AlbAction.Forward f) {
            f.targetGroups().forEach(g -> out.add(g.targetGroupArn()));
        }
    }

    private void reindexGroups() {
        Map<VersionKey, List<String>> index = new HashMap<>();
        for (TargetGroupState tg : targetGroups.values()) {
            String app = tg.tags().get(OwnershipTags.APP);
            String version = tg.tags().get(OwnershipTags.VERSION);
            if (app != null && version != null) {
                index.computeIfAbsent(new VersionKey(app, version), k -> new ArrayList<>()).add(tg.arn());
            }
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        groupsByVersion = Map.copyOf(index);
    }

    private synchronized void reorder() {
        tablesInOrder = tables.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, RoutingTable> e) -> appOrder.getOrDefault(e.getKey(), Integer.MAX_VALUE))
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getValue).toList();
    }

    private String nextId() {
        return String.format("%016x", ++ids);
    }

    private static ActionException fail(Kind kind, String code, String message) {
        return new ActionException(kind, code, message);
    }

    // ================================================================ data plane

    private void handle(HttpExchange exchange) {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            if (path.equals(LocalRouterConfig.STATUS_PREFIX) || path.startsWith(LocalRouterConfig.STATUS_PREFIX + "/")) {
                toStatusApi(exchange, uri);
                return;
            }
            String hold = held;
            if (hold != null) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                Forwarding.Responses.json(exchange, 503, "starting", hold);
                return;
            }
            HttpRequest request = request(exchange, path, uri.getRawQuery());
            for (RoutingTable table : tablesInOrder) {
                RouteDecision decision = table.route(request);
                if (!(decision instanceof RouteDecision.NotMatched)) {
                    carryOut(exchange, uri, table.app(), decision);
                    return;
                }
            }
            if (web != null) {
                web.serve(exchange, path, tables.get(web.app()));
                return;
            }
            Forwarding.Responses.json(exchange, 404, "not_found", "No App's routing matches " + path + ".");
        } catch (IOException | RuntimeException e) {
            // The client went away, or a bug: either way only this exchange is lost.
            log.atDebug().setCause(e).addKeyValue("path", exchange.getRequestURI()).log("request failed");
            try {
                Forwarding.Responses.json(exchange, 500, "router_error", String.valueOf(e.getMessage()));
            } catch (IOException | RuntimeException ignored) {
                // headers already sent
            }
        }
    }

    private void carryOut(HttpExchange exchange, URI uri, String app, RouteDecision decision) throws IOException {
        switch (decision) {
            case RouteDecision.Respond r -> Forwarding.Responses.send(exchange, r.status(), r.contentType(), r.body());
            case RouteDecision.Forward f -> {
                String version = pick(f);
                VersionKey key = new VersionKey(app, version);
                Optional<URI> target = target(key);
                if (target.isEmpty()) {
                    Forwarding.Responses.json(exchange, 503, "no_healthy_target",
                            "Version " + version + " of " + app + " has no healthy task right now.");
                    return;
                }
                lastRequest.put(key, clock.instant());
                URI base = target.get();
                String rawQuery = uri.getRawQuery();
                URI to = URI.create(base.getScheme() + "://" + base.getRawAuthority() + uri.getRawPath()
                        + (rawQuery == null ? "" : "?" + rawQuery));
                forwarding.forward(exchange, to, "version " + version + " of " + app);
            }
            case RouteDecision.NotMatched n -> throw new IllegalStateException("unreachable");
        }
    }

    /** One version of a forward: the only one, or drawn by weight for a canary split. */
    private static String pick(RouteDecision.Forward forward) {
        List<RouteDecision.WeightedVersion> targets = forward.targets();
        if (targets.size() == 1) {
            return targets.getFirst().version();
        }
        int total = targets.stream().mapToInt(RouteDecision.WeightedVersion::weight).sum();
        if (total <= 0) {
            return targets.getFirst().version();
        }
        int draw = ThreadLocalRandom.current().nextInt(total);
        for (RouteDecision.WeightedVersion t : targets) {
            draw -= t.weight();
            if (draw < 0) {
                return t.version();
            }
        }
        return targets.getLast().version();
    }

    /** A healthy target of the version, round-robin. */
    private Optional<URI> target(VersionKey key) {
        List<URI> healthy = new ArrayList<>();
        for (String group : groupsByVersion.getOrDefault(key, List.of())) {
            targets.getOrDefault(group, Map.of()).forEach((uri, ok) -> {
                if (ok) {
                    healthy.add(uri);
                }
            });
        }
        if (healthy.isEmpty()) {
            return Optional.empty();
        }
        healthy.sort(null); // a stable order for the rotation
        long n = roundRobin.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
        return Optional.of(healthy.get((int) Math.floorMod(n, healthy.size())));
    }

    private void toStatusApi(HttpExchange exchange, URI uri) throws IOException {
        URI upstream = config.statusUpstream();
        if (upstream == null) {
            Forwarding.Responses.json(exchange, 404, "not_found", "No status API is configured.");
            return;
        }
        String rest = uri.getRawPath().substring(LocalRouterConfig.STATUS_PREFIX.length());
        String base = upstream.toString().endsWith("/") ? upstream.toString().substring(0, upstream.toString().length() - 1)
                : upstream.toString();
        String rawQuery = uri.getRawQuery();
        URI to = URI.create(base + (rest.isEmpty() ? "/" : rest) + (rawQuery == null ? "" : "?" + rawQuery));
        forwarding.forward(exchange, to, "the status API");
    }

    /** The parts routing looks at, as the ALB sees them: Host without port, decoded path and query. */
    static HttpRequest request(HttpExchange exchange, String path, String rawQuery) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        return new HttpRequest(hostWithoutPort(exchange.getRequestHeaders().getFirst("Host")), path, headers, query(rawQuery));
    }

    /** The Host header without its port; null only when there is no Host header (an empty one is ""). */
    static String hostWithoutPort(String host) {
        if (host == null || host.isEmpty()) {
            return host;
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** {@code a=1&b&c=%20} → (a,1), (b,""), (c," "), in order; malformed escapes are kept as they are. */
    static List<HttpRequest.QueryParam> query(String rawQuery) {
        List<HttpRequest.QueryParam> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(new HttpRequest.QueryParam(decode(key), decode(value)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
