package dev.skewless.router.alb;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.aws.MotoAccount;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORGenerator;

/**
 * {@link RequestCounts} against a CloudWatch stand-in: moto 5.2.1 does not speak the Smithy RPCv2
 * CBOR protocol SDK 2.57's CloudWatch client uses, so WireMock answers GetMetricData with a CBOR
 * body built here.
 */
class RequestCountsTest {
    static final String GET_METRIC_DATA = "/service/GraniteServiceVersion20100801/operation/GetMetricData";
    private static final String LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shared/50dc6c495c0c9188";
    private static final String TG_BUSY = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/skl-shop-1/73e2d6bc24d8a067";
    private static final String TG_IDLE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/skl-shop-2/2453ed029918f21f";

    private WireMockServer cloudWatch;
    private AwsClientFactory clients;
    private CloudWatchClient client;

    @BeforeEach
    void setUp() {
        cloudWatch = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        cloudWatch.start();
        clients = new AwsClientFactory(MotoAccount.settings(URI.create(cloudWatch.baseUrl())), new AwsCallMetrics(new SimpleMeterRegistry()));
        client = clients.cloudWatch();
    }

    @AfterEach
    void tearDown() {
        client.close();
        clients.close();
        cloudWatch.stop();
    }

    @Test
    void oneCallForAllGroupsLatestBusyPeriodEndOrTheWindowStart() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        Instant busy = now.minus(Duration.ofMinutes(10));
        cloudWatch.stubFor(post(urlEqualTo(GET_METRIC_DATA)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/cbor").withHeader("smithy-protocol", "rpc-v2-cbor")
                .withBody(metricData(Map.of("tg0", List.of(busy, busy.minus(Duration.ofMinutes(30)))), List.of(4.0, 9.0)))));

        Optional<Map<String, Instant>> last = new RequestCounts(client).lastRequestAt(LB, List.of(TG_BUSY, TG_IDLE), Duration.ofHours(1), now);

        assertThat(last).hasValueSatisfying(m -> {
            assertThat(m.get(TG_BUSY)).isEqualTo(busy.plusSeconds(60));
            assertThat(m.get(TG_IDLE)).as("no datapoint: idle since the window started").isEqualTo(now.minus(Duration.ofHours(1)));
        });
        cloudWatch.verify(1, postRequestedFor(urlEqualTo(GET_METRIC_DATA)));
        assertThat(clients.metrics().count("GetMetricData", "ok")).isEqualTo(1);
    }

    @Test
    void unreadableMetricsLeaveTrafficUnknown() {
        cloudWatch.stubFor(post(urlEqualTo(GET_METRIC_DATA)).willReturn(aResponse().withStatus(500)));
        assertThat(new RequestCounts(client).lastRequestAt(LB, List.of(TG_BUSY), Duration.ofHours(1), Instant.now())).isEmpty();
    }

    @Test
    void periodsAndDimensions() {
        assertThat(RequestCounts.period(Duration.ofHours(1))).isEqualTo(60);
        assertThat(RequestCounts.period(Duration.ofDays(7))).isEqualTo(420);
        assertThat(RequestCounts.dimension(TG_BUSY, "targetgroup/")).isEqualTo("targetgroup/skl-shop-1/73e2d6bc24d8a067");
        assertThat(RequestCounts.dimension(LB, "loadbalancer/")).isEqualTo("app/shared/50dc6c495c0c9188");
    }

    /** A GetMetricData response: for each query id, its timestamps with the given values. */
    static byte[] metricData(Map<String, List<Instant>> timestampsById, List<Double> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("MetricDataResults");
            g.writeStartArray();
            for (Map.Entry<String, List<Instant>> e : timestampsById.entrySet()) {
                g.writeStartObject();
                g.writeStringField("Id", e.getKey());
                g.writeStringField("StatusCode", "Complete");
                g.writeFieldName("Timestamps");
                g.writeStartArray();
                for (Instant t : e.getValue()) {
                    g.writeTag(1);
                    g.writeNumber((double) t.truncatedTo(ChronoUnit.SECONDS).getEpochSecond());
                }
                g.writeEndArray();
                g.writeFieldName("Values");
                g.writeStartArray();
                for (double v : values) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
