package dev.skewless.plan.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.OnExpired;
import dev.skewless.model.RoutingSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The evaluator ({@link RoutingTable#route}, what the local router runs) and the rendered ALB rules
 * (run through {@link AlbListenerModel}) decide every request alike, and rules of other Apps on the
 * listener do not change what the App's requests get.
 */
class RoutingAgreementProperties {

    // jqwik's edge cases of these flat-mapped generators take a minute to enumerate and add nothing:
    // the generators already favour the edges (empty values, case changes, no live, weight 0/100).
    static final int TRIES = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RouteDecision NOT_MATCHED = new RouteDecision.NotMatched();

    /** A table, a request, and where on the listener the App's priority range starts. */
    record Case(RoutingTable table, HttpRequest request, int firstPriority, long gapSeed) {}

    /** Another App's rule on the same listener: before or after the App's range. */
    record ForeignRule(boolean before, int extra, int offset) {}

    record ForeignCase(Case base, List<ForeignRule> foreign) {}

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void theAlbDecidesLikeTheEvaluator(@ForAll("cases") Case c) {
        RenderedRules rendered = AlbRuleRenderer.render(c.table());
        AlbListenerModel.Outcome alb = listener(c, rendered, List.of()).evaluate(c.request());
        RouteDecision evaluated = c.table().route(c.request());

        Statistics.label("rule").collect(alb.name());
        Statistics.label("scope").collect(inScope(c.table(), c.request()) ? "in scope" : "out of scope");
        Statistics.label("decision").collect(kind(evaluated));
        Statistics.label("rule").coverage(cov -> {
            for (String rule : List.of("navigate", "pin.header", "expired.header", "pin.query", "expired.query",
                    "pin.cookie", "expired.cookie", "unpinned", "default")) {
                cov.check(rule).percentage(p -> p >= 1.0);
            }
        });
        Statistics.label("decision").coverage(cov -> {
            for (String kind : List.of("forward", "split", "410", "503", "not matched")) {
                cov.check(kind).percentage(p -> p >= 1.0);
            }
        });

        assertThat(alb.action())
                .as("ALB took %s for %s with %s", alb.name(), c.request(), c.table())
                .isEqualTo(evaluated);
        if (!inScope(c.table(), c.request())) {
            assertThat(evaluated).isEqualTo(c.table().ownsListener() ? c.table().unpinnedDecision() : NOT_MATCHED);
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void foreignRulesOutsideTheRangeDoNotChangeTheAppsOutcome(@ForAll("foreignCases") ForeignCase fc) {
        Case c = fc.base();
        RenderedRules rendered = AlbRuleRenderer.render(c.table());
        List<AlbListenerModel.Rule> foreign = foreignRules(c, rendered, fc.foreign());
        AlbListenerModel.Outcome alb = listener(c, rendered, foreign).evaluate(c.request());
        RouteDecision evaluated = c.table().route(c.request());
        boolean inScope = inScope(c.table(), c.request());

        Statistics.label("scope").collect(inScope ? "in scope" : "out of scope");
        Statistics.label("taken by").collect(alb.name().startsWith("foreign") ? "foreign" : "app or default");
        Statistics.label("taken by").coverage(cov -> cov.check("foreign").percentage(p -> p >= 5.0));
        Statistics.label("scope").coverage(cov -> cov.check("in scope").percentage(p -> p >= 20.0));

        if (inScope) {
            assertThat(alb.action()).as("ALB took %s", alb.name()).isEqualTo(evaluated);
        } else if (!alb.name().startsWith("foreign")) {
            // Out of scope a foreign rule may take the request (it is not the App's); if none does,
            // the App's default (not matched, or the unpinned decision when it owns the listener) applies.
            assertThat(alb.action()).isEqualTo(evaluated);
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void fixedResponsesAreValidJsonWithinAlbsLimit(
            @ForAll("appNames") String app, @ForAll("liveIds") String live) throws Exception {
        RouteDecision.Respond expired = RoutingTable.expiredResponse(app, live);
        RouteDecision.Respond noLive = RoutingTable.noLiveResponse(app);

        for (RouteDecision.Respond r : List.of(expired, noLive)) {
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        }
        JsonNode e = JSON.readTree(expired.body());
        assertThat(expired.status()).isEqualTo(410);
        assertThat(e.get("error").asText()).isEqualTo("version_expired");
        assertThat(e.get("live").isNull()).isEqualTo(live == null);
        if (live != null) {
            assertThat(e.get("live").asText()).isEqualTo(live);
        }
        JsonNode n = JSON.readTree(noLive.body());
        assertThat(noLive.status()).isEqualTo(503);
        assertThat(n.get("error").asText()).isEqualTo("no_live_version");
        if (app.length() <= 64) {
            assertThat(e.get("message").asText()).contains(app);
            assertThat(n.get("message").asText()).contains(app);
        }
    }

    // ---- listeners ----

    /** The App's rules at its priorities, the foreign ones, and the default action the App implies. */
    private static AlbListenerModel listener(Case c, RenderedRules rendered, List<AlbListenerModel.Rule> foreign) {
        List<AlbListenerModel.Rule> rules = new ArrayList<>(foreign);
        List<Integer> priorities = priorities(c, rendered);
        for (int i = 0; i < rendered.rules().size(); i++) {
            RenderedRule rule = rendered.rules().get(i);
            rules.add(new AlbListenerModel.Rule(priorities.get(i), rule.conditions(), rule.action(), name(rule.role())));
        }
        RouteDecision defaultAction = c.table().ownsListener() ? rendered.listenerDefault() : NOT_MATCHED;
        return new AlbListenerModel(rules, defaultAction);
    }

    /** Increasing from {@code firstPriority}, with gaps as a planner that allocated stably leaves them. */
    private static List<Integer> priorities(Case c, RenderedRules rendered) {
        Random gaps = new Random(c.gapSeed());
        List<Integer> priorities = new ArrayList<>();
        int priority = c.firstPriority();
        for (int i = 0; i < rendered.rules().size(); i++) {
            priorities.add(priority);
            priority += 1 + gaps.nextInt(3);
        }
        return priorities;
    }

    /**
     * Rules scoped to what the App's scoping cannot match: the App's path patterns all start with
     * {@code /a} or {@code /A}, its host patterns all end in {@code .example.com}.
     */
    private static List<AlbListenerModel.Rule> foreignRules(Case c, RenderedRules rendered, List<ForeignRule> specs) {
        RoutingTable table = c.table();
        RuleCondition scope = !table.pathPatterns().isEmpty()
                ? new RuleCondition.PathPattern(List.of("/zz-foreign/*", "/z?"))
                : new RuleCondition.HostHeader(List.of("*.foreign.test"));
        int first = c.firstPriority();
        int last = priorities(c, rendered).getLast();
        Set<Integer> used = new HashSet<>();
        List<AlbListenerModel.Rule> rules = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ForeignRule spec = specs.get(i);
            int priority = spec.before() ? 1 + spec.offset() % (first - 1) : last + 1 + spec.offset() % (50_000 - last);
            while (!used.add(priority)) {
                priority = spec.before() ? 1 + priority % (first - 1) : last + 1 + (priority - last) % (50_000 - last);
            }
            List<RuleCondition> conditions = new ArrayList<>(List.of(scope));
            switch (spec.extra()) {
                case 1 -> conditions.add(new RuleCondition.HttpHeader(table.routing().header(), List.of("*")));
                case 2 -> conditions.add(new RuleCondition.QueryString(
                        List.of(new RuleCondition.KeyValue(table.routing().query(), "*"))));
                case 3 -> conditions.add(new RuleCondition.HttpHeader(
                        RoutingTable.NAVIGATION_HEADER, List.of(RoutingTable.NAVIGATION_VALUE)));
                case 4 -> conditions.add(new RuleCondition.QueryString(List.of(new RuleCondition.KeyValue(null, "*"))));
                default -> { }
            }
            rules.add(new AlbListenerModel.Rule(priority, conditions,
                    new RouteDecision.Respond(418, "text/plain", "foreign " + i), "foreign " + i));
        }
        return rules;
    }

    private static boolean inScope(RoutingTable table, HttpRequest request) {
        return AlbListenerModel.matchesAll(AlbRuleRenderer.scoping(table), request);
    }

    private static String name(RuleRole role) {
        return switch (role.kind()) {
            case NAVIGATE -> "navigate";
            case UNPINNED -> "unpinned";
            case PIN -> "pin." + role.carrier().tagName();
            case EXPIRED -> "expired." + role.carrier().tagName();
        };
    }

    private static String kind(RouteDecision decision) {
        return switch (decision) {
            case RouteDecision.Forward f -> f.targets().size() == 1 ? "forward" : "split";
            case RouteDecision.Respond r -> Integer.toString(r.status());
            case RouteDecision.NotMatched n -> "not matched";
        };
    }

    // ---- generators ----

    @Provide
    Arbitrary<Case> cases() {
        return cases(Combinators.combine(anyPathPatterns(), anyHostPatterns()).as(List::of), requestPaths(),
                requestHosts(), Arbitraries.integers().between(1, 40_000));
    }

    @Provide
    Arbitrary<ForeignCase> foreignCases() {
        Arbitrary<ForeignRule> foreign = Combinators.combine(
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 49_999))
                .as(ForeignRule::new);
        Arbitrary<Case> base = cases(anchoredScoping(), requestPathsNearAnchoredScope(), requestHosts(),
                Arbitraries.integers().between(1_000, 40_000));
        return Combinators.combine(base, foreign.list().ofMinSize(1).ofMaxSize(4)).as(ForeignCase::new);
    }

    @Provide
    Arbitrary<String> appNames() {
        return Arbitraries.oneOf(
                Arbitraries.of("shop", "my-app", "a", "quote\"back\\slash", "tab\tnew\nline\u0001", "caf\u00e9 \u2028 \ud83d\ude80"),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().all().ofMinLength(900).ofMaxLength(2000),
                Arbitraries.strings().withChars("\ud83d\ude80\"\\").ofMinLength(300).ofMaxLength(600));
    }

    @Provide
    Arbitrary<String> liveIds() {
        return Arbitraries.strings().withChars("aZ09._-").ofMinLength(1).ofMaxLength(64).injectNull(0.2);
    }

    /** {@code scoping} yields the path patterns and the host patterns. */
    private Arbitrary<Case> cases(Arbitrary<List<List<String>>> scoping, Arbitrary<String> paths, Arbitrary<String> hosts,
            Arbitrary<Integer> firstPriority) {
        return versionPools().flatMap(pool -> tables(pool, scoping).flatMap(table ->
                Combinators.combine(requests(table, pool, paths, hosts), firstPriority, Arbitraries.longs())
                        .as((request, first, seed) -> new Case(table, request, first, seed))));
    }

    /** Version ids as the records allow them, with case-only differences and dots. */
    private static Arbitrary<List<String>> versionPools() {
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.of("v1", "V1", "v1.2", "V1.2", "2026.11.25-1", "abc", "ABC", "a_b", "x-y.z", "v10"),
                Arbitraries.strings().withChars("aAbB019._-").ofMinLength(1).ofMaxLength(6));
        return id.list().uniqueElements().ofMinSize(1).ofMaxSize(8);
    }

    private static Arbitrary<RoutingTable> tables(List<String> pool, Arbitrary<List<List<String>>> scoping) {
        Arbitrary<List<String>> versions = Combinators.combine(
                        Arbitraries.of(pool).injectNull(0.2),
                        Arbitraries.shuffle(pool),
                        Arbitraries.integers().between(0, pool.size()),
                        Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)))
                .as((live, order, count, liveRoutable) -> {
                    List<String> routable = new ArrayList<>();
                    if (live != null && liveRoutable) {
                        routable.add(live);
                    }
                    order.stream().filter(v -> !v.equals(live)).limit(count).forEach(routable::add);
                    List<String> shape = new ArrayList<>();
                    shape.add(live); // first entry is live (may be null), the rest the routable list
                    shape.addAll(routable);
                    return shape;
                });
        Arbitrary<RoutingSpec> routing = Combinators.combine(
                        Arbitraries.of("x-deployment-id", "X-Build-Id", "x-v"),
                        Arbitraries.of("dpl", "V", "_ver"),
                        Arbitraries.of("dpl", "Skew_V", "b").injectNull(0.3),
                        Arbitraries.of(OnExpired.values()))
                .as(RoutingSpec::new);
        Arbitrary<Tuple.Tuple2<Integer, Integer>> canary = Combinators.combine(
                        Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 100))
                .as(Tuple::of).injectNull(0.4);
        Arbitrary<String> app = Arbitraries.of("shop", "my-app", "odd \"app\"");
        return Combinators.combine(versions, routing, scoping, Arbitraries.of(true, false), canary, app)
                .as((shape, spec, scope, owns, split, name) -> {
                    String live = shape.get(0);
                    List<String> routable = shape.subList(1, shape.size());
                    List<String> candidates = routable.stream().filter(v -> !v.equals(live)).toList();
                    RoutingTable.CanarySplit canarySplit = split == null || candidates.isEmpty() ? null
                            : new RoutingTable.CanarySplit(candidates.get(split.get1() % candidates.size()), split.get2());
                    return new RoutingTable(name, spec, scope.get(0), scope.get(1), owns, live, canarySplit, routable);
                });
    }

    private static Arbitrary<HttpRequest> requests(RoutingTable table, List<String> pool, Arbitrary<String> paths,
            Arbitrary<String> hosts) {
        RoutingSpec routing = table.routing();
        List<String> routable = table.routable().isEmpty() ? pool : table.routable();
        Arbitrary<String> pin = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(routable).flatMap(RoutingAgreementProperties::caseVariants)),
                Tuple.of(3, Arbitraries.of(pool).flatMap(RoutingAgreementProperties::caseVariants)),
                Tuple.of(2, Arbitraries.of("", "*", "gone", "v1,v2", "v1 ", "V1.2;x")),
                Tuple.of(1, Arbitraries.strings().withChars("aAbB019._-*?").ofMaxLength(5)));

        Arbitrary<List<String>> navigation = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(List.of())),
                Tuple.of(2, Arbitraries.of(List.of("navigate"), List.of("NAVIGATE"), List.of("Navigate"))),
                Tuple.of(1, Arbitraries.of(List.of("cors"), List.of("no-cors"), List.of("same-origin"),
                        List.of("navigate "), List.of("cors", "navigate"))));
        Arbitrary<List<String>> header = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.of())),
                Tuple.of(3, pin.list().ofSize(1)),
                Tuple.of(1, pin.list().ofMinSize(2).ofMaxSize(3)));
        Arbitrary<HttpRequest.QueryParam> param = Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(6, caseVariants(routing.query())),
                        Tuple.of(2, Arbitraries.of("a", "x" + routing.query(), routing.query() + "x", "dpl2"))),
                Arbitraries.frequencyOf(Tuple.of(5, pin), Tuple.of(1, Arbitraries.just((String) null))))
                .as(HttpRequest.QueryParam::new);
        Arbitrary<List<HttpRequest.QueryParam>> query = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(List.of())),
                Tuple.of(4, param.list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<List<String>> cookies = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(List.of())),
                Tuple.of(6, cookieHeader(routing.cookie() == null ? "dpl" : routing.cookie(), pin).list().ofMinSize(1).ofMaxSize(2)));

        Arbitrary<String> scopedPaths = table.pathPatterns().isEmpty() ? paths : Arbitraries.frequencyOf(
                Tuple.of(1, paths), Tuple.of(1, Arbitraries.of(table.pathPatterns()).flatMap(p -> instances(p, "/"))));
        Arbitrary<String> scopedHosts = table.hostHeaders().isEmpty() ? hosts : Arbitraries.frequencyOf(
                Tuple.of(1, hosts),
                Tuple.of(1, Arbitraries.of(table.hostHeaders()).flatMap(h -> instances(h, ".")).flatMap(h -> caseVariants(h))));
        return Combinators.combine(scopedHosts, scopedPaths, navigation, header, query, cookies,
                        caseVariants(routing.header()), Arbitraries.of("Cookie", "cookie"))
                .as((host, path, nav, pins, params, cookieHeaders, headerName, cookieName) -> {
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    headers.put("Accept", List.of("*/*"));
                    if (!nav.isEmpty()) {
                        headers.put("sec-fetch-mode", nav);
                    }
                    if (!pins.isEmpty()) {
                        headers.put(headerName, pins);
                    }
                    if (!cookieHeaders.isEmpty()) {
                        headers.put(cookieName, cookieHeaders);
                    }
                    return new HttpRequest(host, path, headers, params);
                });
    }

    /** Mostly {@code a=b; c=d} as browsers send it; now and then something a client library might. */
    private static Arbitrary<String> cookieHeader(String carrier, Arbitrary<String> pin) {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(5, caseVariants(carrier)),
                Tuple.of(3, Arbitraries.of("sid", "theme", "x" + carrier, carrier + "2", "_" + carrier)));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, pin), Tuple.of(1, Arbitraries.strings().withChars("abc123=").ofMaxLength(6)));
        Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        Arbitrary<List<String>> pairs = pair.list().ofMinSize(1).ofMaxSize(4);
        return Arbitraries.frequencyOf(
                Tuple.of(9, pairs.map(p -> String.join("; ", p))),
                Tuple.of(1, Combinators.combine(pairs, Arbitraries.of(";", ";  ", " ; ", "; ;"))
                        .as((p, sep) -> String.join(sep, p))),
                Tuple.of(1, Arbitraries.of(carrier, " " + carrier + "=v1", carrier + "=v1;", "; " + carrier + "=V1")));
    }

    /** Strings matching the ALB pattern {@code pattern}, wildcards filled from {@code separator}-ish pieces. */
    private static Arbitrary<String> instances(String pattern, String separator) {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            List<String> fills = List.of("", "x", separator, "a" + separator + "B", "api", "v1.2");
            StringBuilder out = new StringBuilder();
            pattern.chars().forEach(ch -> out.append(switch (ch) {
                case '*' -> fills.get(random.nextInt(fills.size()));
                case '?' -> List.of("x", "A", separator).get(random.nextInt(3));
                default -> Character.toString(ch);
            }));
            return out.toString();
        });
    }

    private static Arbitrary<String> caseVariants(String s) {
        StringBuilder swapped = new StringBuilder();
        s.chars().forEach(ch -> swapped.append(Character.isUpperCase(ch)
                ? Character.toLowerCase((char) ch) : Character.toUpperCase((char) ch)));
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(s)),
                Tuple.of(1, Arbitraries.of(s.toUpperCase(Locale.ROOT), s.toLowerCase(Locale.ROOT), swapped.toString())));
    }

    private static Arbitrary<String> pathPieces(String start) {
        return Arbitraries.of("/", "api", "API", "v1", "x", "*", "?", ".js", "ws")
                .list().ofMinSize(0).ofMaxSize(4).map(p -> start + String.join("", p));
    }

    private static Arbitrary<List<String>> anyPathPatterns() {
        Arbitrary<String> pattern = Arbitraries.oneOf(
                Arbitraries.of("/api/*", "/*", "*", "/api", "/a?i/*", "*.js", "/API/*", "/api/v?/*", "/ws", "/*/x*"),
                pathPieces("/"), pathPieces(""));
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(List.of())),
                Tuple.of(5, pattern.list().ofMinSize(1).ofMaxSize(3)));
    }

    private static Arbitrary<List<String>> anyHostPatterns() {
        Arbitrary<String> pattern = Arbitraries.of(
                "app.example.com", "*.example.com", "APP.Example.com", "a?p.example.com", "*", "*.test", "ap*");
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.of())),
                Tuple.of(2, pattern.list().ofMinSize(1).ofMaxSize(2)));
    }

    /**
     * Path patterns that can only match paths starting with {@code /a} or {@code /A}, host patterns
     * that can only match hosts ending in {@code .example.com}; at least one of them.
     */
    private static Arbitrary<List<List<String>>> anchoredScoping() {
        Arbitrary<List<String>> paths = Arbitraries.oneOf(
                        Arbitraries.of("/api/*", "/api", "/a?i/*", "/API/*", "/app*", "/a*.js", "/a*", "/a*/*"),
                        pathPieces("/a"), pathPieces("/A"))
                .list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<String>> hosts = Arbitraries.of(
                        "app.example.com", "*.example.com", "APP.Example.com", "a?p.example.com", "*.app.example.com")
                .list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<String>> none = Arbitraries.just(List.of());
        return Arbitraries.oneOf(
                Combinators.combine(paths, none).as(List::of),
                Combinators.combine(none, hosts).as(List::of),
                Combinators.combine(paths, hosts).as(List::of));
    }

    private static Arbitrary<String> requestPathsNearAnchoredScope() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("/api", "/api/", "/api/users/1", "/app.js", "/a/x", "/API/users", "/apx/x",
                        "/api/v1/x", "/Api/x", "/a?i/x", "/ab")),
                Tuple.of(2, pathPieces("/a")),
                Tuple.of(4, Arbitraries.of("/zz-foreign/x", "/zz", "/z1", "/zz-foreign/api/x")),
                Tuple.of(1, pathPieces("/")));
    }

    private static Arbitrary<String> requestPaths() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("/", "/api", "/api/", "/api/users/1", "/API/users", "/apx/x", "/api/v1/x",
                        "/ws", "/ws/", "/app.js", "/static/app.js", "/a/x", "/Api/x", "/api/*", "/a?i/x")),
                Tuple.of(3, pathPieces("/")),
                Tuple.of(1, Arbitraries.of("/zz-foreign/x", "/zz", "/z1")));
    }

    private static Arbitrary<String> requestHosts() {
        return Arbitraries.of("app.example.com", "APP.EXAMPLE.COM", "www.example.com", "apx.example.com",
                        "ap.example.com", "x.app.example.com", "other.test", "x.foreign.test")
                .injectNull(0.1);
    }
}
