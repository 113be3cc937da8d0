package dev.skewless.infra;

import static dev.skewless.infra.BackendStackTest.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Every option turned the other way: a new VPC, HTTPS with a certificate, data destroyed with the stacks, a public ALB. */
class StackOptionsTest {
    private final Synthesized synth = Synthesized.variant();
    private final Template backend = synth.backend;
    private final Template frontend = synth.frontend;

    @Test
    void newVpcHasTwoPublicSubnetsAndNoNatGateway() {
        backend.resourceCountIs("AWS::EC2::VPC", 1);
        backend.resourceCountIs("AWS::EC2::Subnet", 2);
        backend.resourceCountIs("AWS::EC2::NatGateway", 0);
        backend.allResourcesProperties("AWS::EC2::Subnet", Match.objectLike(Map.of("MapPublicIpOnLaunch", true)));
    }

    @Test
    void httpsListenerCarriesTheAppAndHttpRedirectsToIt() {
        backend.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        backend.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "Port", 443, "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn",
                        "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")),
                "DefaultActions", List.of(Match.objectLike(Map.of("Type", "fixed-response", "FixedResponseConfig",
                        Match.objectLike(Map.of("StatusCode", "503"))))))));
        backend.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "Port", 80, "Protocol", "HTTP",
                "DefaultActions", List.of(Match.objectLike(Map.of("Type", "redirect", "RedirectConfig",
                        Match.objectLike(Map.of("Protocol", "HTTPS", "Port", "443", "StatusCode", "HTTP_301"))))))));
        String https = backend.getResourceId("AWS::ElasticLoadBalancingV2::Listener", Map.of("Properties", Match.objectLike(Map.of("Port", 443))));
        backend.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of(
                "Name", "/skewless/checkout/listener-arn", "Value", Map.of("Ref", https))));
        // The controller may create rules on the HTTPS listener (the App's), not on the redirecting one.
        String policy = backend.findResources("AWS::IAM::Policy", Map.of("Properties", Match.objectLike(Map.of(
                "PolicyName", Match.stringLikeRegexp("ControllerPolicy.*"))))).values().toString();
        assertThat(policy).contains("Sid=CreateOwnedRules").contains("Resource={Ref=" + https + "}");
        backend.hasResourceProperties("AWS::EC2::SecurityGroup", Match.objectLike(Map.of(
                "SecurityGroupIngress", Match.arrayWith(List.of(Match.objectLike(Map.of("FromPort", 443, "CidrIp", "0.0.0.0/0")))))));
    }

    @Test
    void cloudFrontReachesTheAlbOverHttpsByTheCertificatesName() {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) props(frontend.findResources("AWS::CloudFront::Distribution").values()
                .iterator().next()).get("DistributionConfig");
        assertThat(String.valueOf(config.get("Origins"))).contains("DomainName=api-origin.shop.example.com")
                .contains("OriginProtocolPolicy=https-only");
    }

    @Test
    void aPublicAlbIsOpenOnBothPortsWithNoWebAclAndCloudFrontSendsNoOriginHeader() {
        assertThat(BackendStackTest.openIngress(backend)).extracting(r -> r.get("FromPort")).containsExactlyInAnyOrder(80, 443);
        backend.resourceCountIs("AWS::WAFv2::WebACL", 0);
        backend.resourceCountIs("AWS::WAFv2::WebACLAssociation", 0);
        backend.resourceCountIs("AWS::SecretsManager::Secret", 0);
        assertThat(backend.toJSON().toString()).doesNotContain("SourcePrefixListId");
        assertThat(frontend.toJSON().toString()).doesNotContain("OriginCustomHeaders").doesNotContain(BackendStack.ORIGIN_HEADER);
    }

    @Test
    void destroyRemovesDataWithTheStacks() {
        backend.allResources("AWS::DynamoDB::Table", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        backend.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of("DeletionProtectionEnabled", false)));
        backend.allResources("AWS::ECR::Repository", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        backend.allResources("AWS::Logs::LogGroup", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        frontend.allResources("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
    }

    @Test
    void assetsAreKeptForTheLongestRetentionRoundedUpToWholeDays() {
        frontend.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Id", "expire-superseded-assets", "ExpirationInDays", 3))))))));
    }

    @Test
    void everyResourceNameFollowsTheApp() {
        backend.hasResourceProperties("AWS::ECS::Cluster", Match.objectLike(Map.of("ClusterName", "skewless-checkout")));
        backend.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of("TableName", "skewless-checkout")));
        backend.hasResourceProperties("AWS::ECR::Repository", Match.objectLike(Map.of("RepositoryName", "skewless/checkout-api")));
        assertThat(synth.stacks.backend().getStackName()).isEqualTo("skewless-checkout-backend");
        assertThat(synth.stacks.frontend().getStackName()).isEqualTo("skewless-checkout-frontend");
    }
}
