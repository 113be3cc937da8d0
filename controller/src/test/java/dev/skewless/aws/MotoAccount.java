package dev.skewless.aws;

import dev.skewless.testing.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * A fresh moto account for one test: clients wired like production ({@link AwsClientFactory},
 * counted by {@link AwsCallMetrics}) and the network every provider needs (a VPC with two subnets
 * and a security group, an ALB with an HTTP listener answering 404 by default).
 *
 * <p>The SDK modules of the build do not include EC2, so the VPC is made with three raw EC2 Query
 * API requests; moto only reads the service name from the credential scope and checks no
 * signature.
 */
public final class MotoAccount implements AutoCloseable {
    public final MotoServer moto = MotoServer.shared();
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final AwsCallMetrics metrics = new AwsCallMetrics(registry);
    public final AwsClientFactory clients;
    public String vpcId;
    public String subnetA;
    public String subnetB;
    public String securityGroup;
    public String loadBalancerArn;
    public String listenerArn;

    private MotoAccount(URI endpoint) {
        moto.reset();
        clients = new AwsClientFactory(settings(endpoint), metrics);
    }

    /** An empty account whose clients talk to moto directly. */
    public static MotoAccount fresh() {
        return new MotoAccount(MotoServer.shared().endpoint());
    }

    /** An empty account whose clients talk to {@code endpoint} (a fault-injecting proxy in front of moto). */
    public static MotoAccount via(URI endpoint) {
        return new MotoAccount(endpoint);
    }

    /** Test settings: static credentials, us-east-1, no pacing, no retries (so counts are exact). */
    public static AwsSettings settings(URI endpoint) {
        return AwsSettings.DEFAULT.withEndpoint(endpoint).withRegion(Region.of(MotoServer.REGION))
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .withRates(CallRates.UNLIMITED).withMaxAttempts(1);
    }

    /** Creates the VPC, subnets, security group, load balancer and listener. */
    public MotoAccount withNetwork() {
        vpcId = ec2("CreateVpc", Map.of("CidrBlock", "10.0.0.0/16"), "vpcId");
        subnetA = ec2("CreateSubnet", Map.of("VpcId", vpcId, "CidrBlock", "10.0.1.0/24", "AvailabilityZone", "us-east-1a"), "subnetId");
        subnetB = ec2("CreateSubnet", Map.of("VpcId", vpcId, "CidrBlock", "10.0.2.0/24", "AvailabilityZone", "us-east-1b"), "subnetId");
        securityGroup = ec2("CreateSecurityGroup", Map.of("VpcId", vpcId, "GroupName", "app", "GroupDescription", "app"), "groupId");
        try (ElasticLoadBalancingV2Client elb = setupElb()) {
            loadBalancerArn = elb.createLoadBalancer(b -> b.name("shared").subnets(subnetA, subnetB)).loadBalancers().getFirst()
                    .loadBalancerArn();
            listenerArn = elb.createListener(b -> b.loadBalancerArn(loadBalancerArn).protocol(ProtocolEnum.HTTP).port(80)
                    .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE)
                            .fixedResponseConfig(f -> f.statusCode("404").contentType("text/plain").messageBody("no route"))))
                    .listeners().getFirst().listenerArn();
        }
        return this;
    }

    /** An uncounted ELBv2 client for arranging and inspecting the account behind the provider's back. */
    public ElasticLoadBalancingV2Client setupElb() {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .build();
    }

    private String ec2(String action, Map<String, String> params, String idElement) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", "2016-11-15");
        form.putAll(params);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(moto.endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, "
                        + "SignedHeaders=host, Signature=0")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            String xml = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("<" + idElement + ">([^<]+)</" + idElement + ">").matcher(xml);
            if (!m.find()) {
                throw new IllegalStateException(action + " answered " + xml);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        clients.close();
    }
}
