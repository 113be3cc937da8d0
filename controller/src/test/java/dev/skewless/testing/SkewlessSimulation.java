package dev.skewless.testing;

import dev.skewless.engine.AppReconciler;
import dev.skewless.engine.PassResult;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.ObjectMeta;
import dev.skewless.model.Phase;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.Planner;
import dev.skewless.plan.PlannerConfig;
import dev.skewless.plan.action.AlbAction;
import dev.skewless.plan.observed.ObservedTargetGroup;
import dev.skewless.plan.routing.AlbListenerModel;
import dev.skewless.plan.routing.HttpRequest;
import dev.skewless.plan.routing.RouteDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole controller loop on one thread, against in-memory AWS: a {@link TestingVersionStore},
 * a {@link TestingCloud} (one ALB listener, one ECS cluster), the real {@link Planner} and the
 * real {@link AppReconciler}, driven by a {@link TestingClock}. Scenario and history tests use it
 * to apply records, run passes, move time, and send requests through a model of the ALB built
 * from the rules that actually exist.
 */
public final class SkewlessSimulation {
    public static final String LOAD_BALANCER = TestingCloud.loadBalancerArn("web");
    public static final String LISTENER = TestingCloud.listenerArn("web", 80);
    public static final String CLUSTER = "prod";
    /** What the listener answers when no rule matches (as the CDK stack sets it up). */
    public static final AlbAction.FixedResponse LISTENER_DEFAULT =
            new AlbAction.FixedResponse(503, "text/plain", "no route");
    /** Time between passes while something is in flight. */
    public static final Duration STEP = Duration.ofSeconds(10);

    public final TestingClock clock = new TestingClock();
    public final TestingCloud cloud;
    public final TestingVersionStore store = new TestingVersionStore(clock);
    public final Planner planner;
    public final AppReconciler reconciler;

    public SkewlessSimulation(long seed) {
        this(seed, PlannerConfig.DEFAULT);
    }

    public SkewlessSimulation(long seed, PlannerConfig config) {
        cloud = new TestingCloud(clock, seed)
                .addLoadBalancer(LOAD_BALANCER)
                .addListener(LISTENER, LOAD_BALANCER, LISTENER_DEFAULT)
                .addCluster(CLUSTER)
                .requireTargetGroupOnLoadBalancer(true)
                .startupDelay(Duration.ofSeconds(20))
                .drainDelay(Duration.ofSeconds(20));
        planner = new Planner(config);
        reconciler = new AppReconciler(store, cloud.compute(), cloud.router(), planner::plan, clock);
    }

    // ---------------------------------------------------------------- records

    /** An App on the shared listener, scoped to {@code /api/*}, with test-sized retention. */
    public static App app(String name, int firstPriority) {
        return new App(ObjectMeta.ofApp(name), new AppSpec(
                new PlatformSpec(CLUSTER, List.of("subnet-a", "subnet-b"), List.of("sg-1"),
                        "arn:aws:iam::123456789012:role/exec", null, "/skewless/" + name, false, 1),
                new RouterSpec(LISTENER, new PriorityRange(firstPriority, firstPriority + 99), List.of("/api/*"), List.of(),
                        Duration.ofSeconds(30), false, null),
                RoutingSpec.DEFAULT,
                new RetentionSpec(Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofHours(2), null, 10),
                ReleaseSpec.LATEST, null), null);
    }

    /** A version with two tasks. */
    public static AppVersion version(String app, String id) {
        return new AppVersion(ObjectMeta.ofVersion(app, id), new AppVersionSpec(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/" + app + ":" + id, 256, 512, 2, 8080,
                Map.of("VERSION", id), Map.of(), null, null, false), null);
    }

    /** A version that autoscales between 2 and 4 tasks on 60% CPU while live or canary. */
    public static AppVersion autoscaledVersion(String app, String id) {
        AppVersion v = version(app, id);
        return new AppVersion(v.metadata(), v.spec().withAutoscaling(new AutoscalingSpec(2, 4, 60, null, null, null)), null);
    }

    public App apply(App app) {
        return store.applyApp(app);
    }

    public AppVersion apply(AppVersion version) {
        return store.applyVersion(version);
    }

    /** Re-applies the stored App with its spec changed (as `skewless apply` of an edited file would). */
    public App editApp(String name, UnaryOperator<AppSpec> edit) {
        App current = store.getApp(name).orElseThrow();
        return store.applyApp(new App(ObjectMeta.ofApp(name), edit.apply(current.spec()), null));
    }

    /** Re-applies a stored version with its spec changed. */
    public AppVersion editVersion(String app, String id, UnaryOperator<AppVersionSpec> edit) {
        AppVersion current = store.getVersion(new VersionKey(app, id)).orElseThrow();
        return store.applyVersion(new AppVersion(ObjectMeta.ofVersion(app, id), edit.apply(current.spec()), null));
    }

    public App promote(String app, String version) {
        return editApp(app, s -> new AppSpec(s.platform(), s.router(), s.routing(), s.retention(),
                new ReleaseSpec(version, s.release().canary()), s.local()));
    }

    public AppVersion revoke(String app, String version) {
        return editVersion(app, version, s -> s.withRevoked(true));
    }

    /** Deletes the App as Kubernetes does with a finalizer on it: it is marked, and stays until released. */
    public void deleteApp(String app) {
        store.markAppDeleting(app);
    }

    /** Deletes a version as Kubernetes does with a finalizer on it. */
    public void deleteVersion(String app, String version) {
        store.markVersionDeleting(new VersionKey(app, version));
    }

    // ---------------------------------------------------------------- running

    /** One reconcile pass of {@code app}. */
    public PassResult pass(String app) {
        return reconciler.reconcile(app);
    }

    /**
     * Runs passes, moving the clock {@link #STEP} after each, until a pass succeeds without any
     * cloud action and nothing is in flight (no requeue sooner than a minute). Returns the passes
     * it took; fails if {@code maxPasses} are not enough.
     */
    public int converge(String app, int maxPasses) {
        for (int i = 1; i <= maxPasses; i++) {
            PassResult r = pass(app);
            boolean settled = r.outcome() == PassResult.Outcome.SUCCEEDED && r.actionsExecuted() == 0
                    && (r.requeueAfter() == null || r.requeueAfter().compareTo(Duration.ofMinutes(1)) > 0);
            if (settled) {
                return i;
            }
            clock.advance(STEP);
        }
        throw new AssertionError(app + " did not converge in " + maxPasses + " passes; statuses: " + phases(app));
    }

    /** Converges within a generous bound. */
    public int converge(String app) {
        return converge(app, 60);
    }

    /** Moves the clock, then converges. */
    public void after(Duration d, String app) {
        clock.advance(d);
        converge(app);
    }

    // ---------------------------------------------------------------- looking

    public AppVersion get(String app, String version) {
        return store.getVersion(new VersionKey(app, version)).orElseThrow();
    }

    public Phase phase(String app, String version) {
        return get(app, version).status().phase();
    }

    public Map<String, Phase> phases(String app) {
        Map<String, Phase> out = new java.util.LinkedHashMap<>();
        store.listVersions(app).forEach(v -> out.put(v.id(), v.status().phase()));
        return out;
    }

    /**
     * What the listener does with {@code request}, evaluated by the ALB model over the rules that
     * exist in the cloud right now, with target groups translated back to version ids.
     */
    public RouteDecision route(HttpRequest request) {
        Map<String, String> versionByTargetGroup = new HashMap<>();
        for (ObservedTargetGroup tg : cloud.resources().targetGroups()) {
            versionByTargetGroup.put(tg.arn(), tg.tags().getOrDefault(OwnershipTags.VERSION, "foreign:" + tg.name()));
        }
        List<AlbListenerModel.Rule> rules = new ArrayList<>();
        for (TestingCloud.RuleResource r : cloud.resources().rules()) {
            if (r.listenerArn().equals(LISTENER)) {
                rules.add(new AlbListenerModel.Rule(r.priority(), r.spec().conditions(),
                        decision(r.spec().action(), versionByTargetGroup), r.tags().getOrDefault(OwnershipTags.RULE_ROLE, r.arn())));
            }
        }
        return new AlbListenerModel(rules, decision(cloud.defaultAction(LISTENER), versionByTargetGroup)).evaluate(request).action();
    }

    /** The single version a request is forwarded to, or {@code "410"}, {@code "503"}, ... for fixed responses. */
    public String target(HttpRequest request) {
        return switch (route(request)) {
            case RouteDecision.Forward f when f.targets().size() == 1 -> f.targets().getFirst().version();
            case RouteDecision.Forward f -> f.targets().toString();
            case RouteDecision.Respond r -> Integer.toString(r.status());
            case RouteDecision.NotMatched n -> "not matched";
        };
    }

    private static RouteDecision decision(AlbAction action, Map<String, String> versionByTargetGroup) {
        return switch (action) {
            case AlbAction.Forward f -> new RouteDecision.Forward(f.targetGroups().stream()
                    .map(t -> new RouteDecision.WeightedVersion(
                            versionByTargetGroup.getOrDefault(t.targetGroupArn(), "missing:" + t.targetGroupArn()), t.weight()))
                    .toList());
            case AlbAction.FixedResponse r -> new RouteDecision.Respond(r.statusCode(), r.contentType(), r.body());
        };
    }

    // ---------------------------------------------------------------- requests

    /** An API call with no pin. */
    public static HttpRequest unpinned() {
        return new HttpRequest("app.example.com", "/api/orders", Map.of(), List.of());
    }

    /** An API call pinned by header, as the web client sends it. */
    public static HttpRequest pinned(String version) {
        return new HttpRequest("app.example.com", "/api/orders", Map.of("x-deployment-id", List.of(version)), List.of());
    }

    /** An API call pinned by query parameter, as an EventSource URL carries it. */
    public static HttpRequest pinnedByQuery(String version) {
        return new HttpRequest("app.example.com", "/api/events", Map.of(),
                List.of(new HttpRequest.QueryParam("dpl", version)));
    }

    /** A full page load that happens to carry a pin. */
    public static HttpRequest navigation(String pin) {
        return new HttpRequest("app.example.com", "/api/page", Map.of("Sec-Fetch-Mode", List.of("navigate"),
                "x-deployment-id", List.of(pin)), List.of());
    }
}
