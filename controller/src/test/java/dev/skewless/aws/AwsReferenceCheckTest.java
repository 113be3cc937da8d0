package dev.skewless.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.skewless.model.App;
import dev.skewless.testing.SampleRecords;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Answers that say nothing about a resource are warnings, never problems: a release manager
 * without describe permissions, or with AWS out of reach, can still apply (decision 031). What
 * AWS says is missing is covered on moto by {@code ReferenceCheckTest}.
 */
class AwsReferenceCheckTest {
    private final App app = SampleRecords.fullApp();

    @Test
    void accessDeniedOnEveryReadIsAWarningPerReference() {
        WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        try {
            aws.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml")
                    .withBody("<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>")));
            AwsReferenceCheck.Result r = check(URI.create(aws.baseUrl()));

            assertThat(r.problems()).isEmpty();
            assertThat(r.warnings()).hasSize(expectedWarnings()).allMatch(w -> w.contains("access denied"));
            assertThat(r.warnings()).anyMatch(w -> w.startsWith("could not check spec.router.listenerArn"))
                    .anyMatch(w -> w.startsWith("could not check spec.platform.subnets[0]"))
                    .anyMatch(w -> w.startsWith("could not check spec.platform.executionRoleArn"));
        } finally {
            aws.stop();
        }
    }

    @Test
    void anUnreachableEndpointIsAWarningPerReference() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        AwsReferenceCheck.Result r = check(URI.create("http://127.0.0.1:" + closed));

        assertThat(r.problems()).isEmpty();
        assertThat(r.warnings()).hasSize(expectedWarnings()).allMatch(w -> w.contains("AWS could not be reached"));
    }

    @Test
    void roleNamesAreTheLastSegmentOfTheArn() {
        assertThat(AwsReferenceCheck.roleName("arn:aws:iam::123456789012:role/shop-exec")).isEqualTo("shop-exec");
        assertThat(AwsReferenceCheck.roleName("arn:aws:iam::123456789012:role/service-role/shop-exec")).isEqualTo("shop-exec");
    }

    /** Listener, cluster, each subnet and security group, and each role set. */
    private int expectedWarnings() {
        var p = app.spec().platform();
        return 2 + p.subnets().size() + p.securityGroups().size() + (p.executionRoleArn() == null ? 0 : 1)
                + (p.taskRoleArn() == null ? 0 : 1);
    }

    private AwsReferenceCheck.Result check(URI endpoint) {
        try (AwsClientFactory clients = new AwsClientFactory(MotoAccount.settings(endpoint), new AwsCallMetrics(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()))) {
            AwsReferenceCheck check = new AwsReferenceCheck(clients.elbv2(), clients.ecs(), clients.build(Ec2Client.builder()),
                    clients.build(IamClient.builder()));
            AwsReferenceCheck.Result first = check.check(app);
            // A second App naming the same resources is answered from the cache: the same result.
            assertThat(check.check(app)).isEqualTo(first);
            return first;
        }
    }
}
