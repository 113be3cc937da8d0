package dev.skewless.router.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skewless.model.HealthCheckSpec;
import dev.skewless.model.VersionKey;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.plan.action.TargetGroupSpec;
import dev.skewless.plan.routing.AlbListenerModel;
import dev.skewless.plan.routing.HttpRequest;
import dev.skewless.plan.routing.RouteDecision;
import dev.skewless.plan.routing.RoutingAgreementProperties;
import dev.skewless.plan.routing.RoutingTable;
import dev.skewless.testing.Coverage;
import dev.skewless.testing.SampleRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local router and the ALB agree: random records (the generators of
 * {@link RoutingAgreementProperties}) give a routing table; the same table goes (a) into the real
 * {@link LocalTrafficRouter}, which is sent the request over a real socket and forwards to real
 * backends, one per version, each answering its own name, and (b) through {@code AlbRuleRenderer}
 * into the ALB listener model. Every request reaches the same version (one of the weighted ones
 * for a canary split) or gets the same fixed response; a request neither takes is the router's 404.
 *
 * <p>The request sent is the request as HTTP carries it: header values lose surrounding
 * whitespace (HTTP strips it, so the ALB never sees it either) and query keys and values are
 * percent-encoded; cases HTTP cannot carry at all (no Host, a path with {@code ?} or that is not
 * absolute) are counted and skipped.
 */
class LocalRouterAgreementProperties {
    /** Each example is one HTTP round trip; this many run in a few seconds. */
    static final int EXAMPLES = 1500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BACKENDS = 8;

    private static LocalTrafficRouter router;
    private static final List<VersionBackend> backends = new ArrayList<>();
    private static final Map<VersionKey, String> groups = new HashMap<>();
    private static final Set<String> installed = new HashSet<>();

    @BeforeAll
    static void start() {
        router = new LocalTrafficRouter(LocalRouterConfig.loopback(), InstantSource.system()).start();
        for (int i = 0; i < BACKENDS; i++) {
            backends.add(new VersionBackend("b" + i));
        }
    }

    @AfterAll
    static void stop() {
        router.close();
        backends.forEach(VersionBackend::close);
    }

    @Test
    void theLocalRouterSendsEveryRequestWhereTheAlbWould() {
        Coverage outcomes = new Coverage("outcome");
        qt().withExamples(EXAMPLES).forAll(RoutingAgreementProperties.cases()).checkAssert(c -> {
            HttpRequest wire = onTheWire(c.request());
            if (wire == null) {
                outcomes.collect("not sendable");
                return;
            }
            RoutingTable table = c.table();
            List<String> versions = deploy(table);
            RoutingAgreementProperties.Case sent = new RoutingAgreementProperties.Case(table, wire, c.firstPriority(), c.gapSeed());
            AlbListenerModel.Outcome alb = RoutingAgreementProperties.albListener(sent).evaluate(wire);
            assertThat(table.route(wire)).as("evaluator vs ALB for %s", wire).isEqualTo(alb.action());

            RawHttp.Response got = send(wire);
            switch (alb.action()) {
                case RouteDecision.Forward f -> {
                    assertThat(got.status()).as("ALB forwards %s with %s: %s", wire, table, got.body()).isEqualTo(200);
                    String version = versions.get(Integer.parseInt(field(got, "backend").substring(1)));
                    List<String> eligible = f.targets().stream().filter(t -> t.weight() > 0 || f.targets().size() == 1)
                            .map(RouteDecision.WeightedVersion::version).toList();
                    assertThat(version).as("ALB forwards %s to %s", wire, f.targets()).isIn(eligible);
                    assertThat(got.header("x-deployment-id")).isEqualTo("b" + versions.indexOf(version));
                    outcomes.collect(f.targets().size() == 1 ? "forward" : "split");
                }
                case RouteDecision.Respond r -> {
                    assertThat(got.status()).as("ALB answers %s for %s", r.status(), wire).isEqualTo(r.status());
                    assertThat(got.header("content-type")).isEqualTo(r.contentType());
                    assertThat(got.body()).isEqualTo(r.body());
                    outcomes.collect(Integer.toString(r.status()));
                }
                case RouteDecision.NotMatched n -> {
                    assertThat(got.status()).as("ALB matches nothing for %s, router said %s", wire, got.body()).isEqualTo(404);
                    assertThat(field(got, "error")).isEqualTo("not_found");
                    outcomes.collect("not matched");
                }
            }
        });
        assertThat(outcomes.percentage("not sendable")).as("share of cases HTTP cannot carry").isLessThan(40.0);
        outcomes.assertAtLeast(1.0, "forward", "split", "410", "503", "not matched");
    }

    /**
     * Puts the table in the router as the only App's, with every version it names served by its
     * own backend (the i-th distinct version by backend {@code b<i>}); returns the versions in
     * backend order.
     */
    private static List<String> deploy(RoutingTable table) {
        Set<String> named = new LinkedHashSet<>();
        if (table.live() != null) {
            named.add(table.live());
        }
        if (table.canary() != null) {
            named.add(table.canary().version());
        }
        named.addAll(table.routable());
        List<String> versions = List.copyOf(named);
        assertThat(versions.size()).isLessThanOrEqualTo(BACKENDS);
        for (int i = 0; i < versions.size(); i++) {
            VersionKey key = new VersionKey(table.app(), versions.get(i));
            String group = groups.computeIfAbsent(key, k -> router.createTargetGroup(new TargetGroupSpec("tg-" + (groups.size() + 1), 8080,
                    null, SampleRecords.LISTENER, HealthCheckSpec.DEFAULT, Duration.ofSeconds(1),
                    OwnershipTags.forVersion(OwnershipTags.DEFAULT_OWNER, k))));
            router.updateTargets(group, Map.of(backends.get(i).uri(), true));
        }
        for (String app : Set.copyOf(installed)) {
            if (!app.equals(table.app())) {
                router.forget(app);
                installed.remove(app);
            }
        }
        router.install(table.app(), table);
        installed.add(table.app());
        return versions;
    }

    /** The request as HTTP/1.1 delivers it, or null when it cannot be sent. */
    private static HttpRequest onTheWire(HttpRequest request) {
        if (request.host() == null || !sendablePath(request.path())) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name, values.stream().map(String::strip).toList()));
        return new HttpRequest(request.host(), request.path(), headers, request.query());
    }

    /** Absolute, no query or fragment characters, no escapes: the raw path is the decoded one. */
    private static boolean sendablePath(String path) {
        if (!path.startsWith("/") || path.startsWith("//") || path.contains("?") || path.contains("#") || path.contains("%")) {
            return false;
        }
        try {
            return path.equals(new URI(path).getPath());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static RawHttp.Response send(HttpRequest wire) {
        StringBuilder target = new StringBuilder(wire.path());
        for (int i = 0; i < wire.query().size(); i++) {
            HttpRequest.QueryParam q = wire.query().get(i);
            target.append(i == 0 ? '?' : '&').append(encode(q.key())).append('=').append(encode(q.value()));
        }
        List<String> lines = new ArrayList<>();
        lines.add("Host: " + wire.host());
        wire.headers().forEach((name, values) -> values.forEach(v -> lines.add(name + ": " + v)));
        try {
            return RawHttp.send(router.uri(), "GET", target.toString(), lines);
        } catch (IOException e) {
            throw new UncheckedIOException("sending " + wire, e);
        }
    }

    /** Every byte but the unreserved ones percent-encoded, so decoding gives back exactly the text. */
    private static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String field(RawHttp.Response r, String name) {
        try {
            JsonNode node = JSON.readTree(r.body()).get(name);
            assertThat(node).as("%s in %s", name, r.body()).isNotNull();
            return node.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + r.body(), e);
        }
    }
}
