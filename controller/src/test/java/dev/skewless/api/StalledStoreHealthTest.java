package dev.skewless.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skewless.aws.MotoAccount;
import dev.skewless.service.AwsProviders;
import dev.skewless.service.ControllerRuntime;
import dev.skewless.store.dynamodb.LeaseConfig;
import dev.skewless.store.dynamodb.TableSetup;
import dev.skewless.testing.MotoServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health while DynamoDB stalls: the real moto_server is frozen with SIGSTOP (it keeps its port
 * and answers nothing). Readiness and liveness must answer at once from state the lease
 * heartbeat keeps, and readiness must turn 503 with {@code leader: false} within one heartbeat of
 * the renewal that did not come back, long before the lease's local validity would lapse.
 */
class StalledStoreHealthTest {
    private static final Logger log = LoggerFactory.getLogger(StalledStoreHealthTest.class);
    private static final String TABLE = "skewless-stall";
    /** Heartbeat 1 s; the local validity (20 s - 2 s) is far longer, so only the stall can explain a quick flip. */
    private static final LeaseConfig LEASE = new LeaseConfig("controller", Duration.ofSeconds(20), Duration.ofSeconds(1),
            Duration.ofSeconds(2));
    /** Generous on purpose: the answer must arrive, the figure asked for (100 ms) is reported, not asserted. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

    private MotoAccount account;
    private ControllerServer.Running<ControllerRuntime> server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
    private final AtomicLong slowestMillis = new AtomicLong();

    @BeforeEach
    void start() {
        account = MotoAccount.fresh();
        try (var ddb = account.clients.dynamoDb()) {
            TableSetup.create(ddb, TABLE);
        }
        server = ControllerServer.start(
                AwsProviders.with(MotoAccount.settings(MotoServer.shared().endpoint()), Map.of("SKEWLESS_TABLE", TABLE), LEASE).build(),
                ServerOptions.DEFAULT.withPort(0));
    }

    @AfterEach
    void stop() {
        server.close();
        account.close();
        http.close();
    }

    @Test
    void healthAnswersAtOnceWhileTheStoreIsFrozenAndReadinessDropsLeadershipWithinOneHeartbeat() throws Exception {
        // Start-up and the server's first requests (class loading, lazy beans) may take longer than a probe may.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/health/readiness", STARTUP_TIMEOUT).statusCode() == 200);
        get("/health/liveness", STARTUP_TIMEOUT);
        long token = ApiClient.parse(get("/health/readiness").body()).get("fencingToken").asLong();
        assertThat(token).isPositive();

        slowestMillis.set(0);
        MotoServer.shared().freeze();
        try {
            long frozenAt = System.nanoTime();
            // Every probe runs under a 1 s client timeout: a probe waiting on the store fails the test.
            Awaitility.await().atMost(LEASE.heartbeat().multipliedBy(2).plusSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get("/health/readiness").statusCode() == 503);
            long flippedAfter = Duration.ofNanos(System.nanoTime() - frozenAt).toMillis();
            JsonNode down = ApiClient.parse(get("/health/readiness").body());
            assertThat(down.get("status").asText()).isEqualTo("DOWN");
            assertThat(down.get("state").asText()).isEqualTo("storeUnreachable");
            assertThat(down.get("leader").asBoolean()).isFalse();
            assertThat(down.get("storeReachable").asBoolean()).isFalse();
            assertThat(down.get("fencingToken").asLong()).isZero();
            // Readiness may say so a moment before the renewal's own call timeout (also one heartbeat) ends the holding.
            Awaitility.await("the lease itself is no longer held, so the engine stops acting").atMost(LEASE.heartbeat().plusSeconds(3))
                    .pollInterval(Duration.ofMillis(50)).until(() -> !server.runtime().isLeader());

            HttpResponse<String> live = get("/health/liveness");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ApiClient.parse(live.body()).get("leader").asBoolean()).isFalse();
            for (int i = 0; i < 20; i++) {
                assertThat(get("/health/readiness").statusCode()).isEqualTo(503);
            }
            log.atInfo().addKeyValue("flippedAfterMs", flippedAfter).addKeyValue("slowestProbeMs", slowestMillis.get())
                    .log("readiness under a frozen store");
        } finally {
            MotoServer.shared().thaw();
        }

        // The table answers again: the next heartbeat takes the lease back, with a newer token.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/health/readiness", STARTUP_TIMEOUT).statusCode() == 200);
        assertThat(ApiClient.parse(get("/health/readiness").body()).get("fencingToken").asLong()).isGreaterThan(token);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, CLIENT_TIMEOUT);
    }

    private HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        slowestMillis.accumulateAndGet(Duration.ofNanos(System.nanoTime() - start).toMillis(), Math::max);
        return r;
    }
}
