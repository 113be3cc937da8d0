package dev.skewless.infra;

import static dev.skewless.infra.BackendStackTest.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The frontend stack in its default shape. */
class FrontendStackTest {
    /** Id of CloudFront's managed CachingDisabled policy. */
    static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

    private final Template t = Synthesized.defaults().frontend;

    @Test
    void privateBucketReachableOnlyThroughTheDistributionsOriginAccessControl() {
        t.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))))));
        t.hasResourceProperties("AWS::CloudFront::OriginAccessControl", Map.of("OriginAccessControlConfig", Match.objectLike(Map.of(
                "OriginAccessControlOriginType", "s3", "SigningBehavior", "always", "SigningProtocol", "sigv4"))));
        String distribution = t.getResourceId("AWS::CloudFront::Distribution");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) props(t.findResources(
                "AWS::S3::BucketPolicy").values().iterator().next()).get("PolicyDocument")).get("Statement");
        // Every Allow is for CloudFront, and only on behalf of this distribution; the one Deny refuses plain HTTP.
        assertThat(statements).filteredOn(st -> "Allow".equals(st.get("Effect"))).singleElement().satisfies(st -> {
            assertThat(st.get("Principal")).isEqualTo(Map.of("Service", "cloudfront.amazonaws.com"));
            assertThat(st.get("Action")).isEqualTo("s3:GetObject");
            assertThat(String.valueOf(st.get("Condition"))).contains("AWS:SourceArn").contains(":distribution/, {Ref=" + distribution + "}");
        });
        assertThat(statements).filteredOn(st -> "Deny".equals(st.get("Effect"))).singleElement()
                .satisfies(st -> assertThat(String.valueOf(st.get("Condition"))).contains("aws:SecureTransport=false"));
        Map<String, Object> origin = origins().stream().filter(o -> o.containsKey("S3OriginConfig")).findFirst().orElseThrow();
        assertThat(origin.get("OriginAccessControlId")).isNotNull();
    }

    @Test
    void lifecycleExpiresOnlyAssetsTaggedSupersededAndOnlyAfterTheLongestRetention() {
        Map<String, Object> bucket = props(t.findResources("AWS::S3::Bucket").values().iterator().next());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) bucket.get("LifecycleConfiguration")).get("Rules");
        Map<String, Object> expire = rules.stream().filter(r -> "expire-superseded-assets".equals(r.get("Id"))).findFirst().orElseThrow();
        assertThat(expire).containsEntry("Prefix", "assets/").containsEntry("ExpirationInDays", 7).containsEntry("Status", "Enabled")
                .containsEntry("TagFilters", List.of(Map.of("Key", "skewless.dev/superseded", "Value", "true")));
        // No other rule deletes objects: only incomplete multipart uploads are cleaned up.
        assertThat(rules).filteredOn(r -> r != expire).allSatisfy(r -> {
            assertThat(r).doesNotContainKeys("ExpirationInDays", "ExpirationDate", "NoncurrentVersionExpiration");
            assertThat(r).containsKey("AbortIncompleteMultipartUpload");
        });
        assertThat(bucket).doesNotContainKey("VersioningConfiguration");
    }

    @Test
    void defaultBehaviourServesTheWebBuildUncached() {
        Map<String, Object> config = distributionConfig();
        assertThat(config).containsEntry("DefaultRootObject", "index.html");
        @SuppressWarnings("unchecked")
        Map<String, Object> def = (Map<String, Object>) config.get("DefaultCacheBehavior");
        assertThat(def).containsEntry("CachePolicyId", CACHING_DISABLED).containsEntry("ViewerProtocolPolicy", "redirect-to-https");
        assertThat(responseHeader(def)).isEqualTo(Map.of("Header", "Cache-Control", "Value", "no-cache", "Override", true));
        assertThat(originOf(def)).containsKey("S3OriginConfig");
    }

    @Test
    void hashedAssetsAreCachedForAYearAndImmutable() {
        Map<String, Object> assets = behaviour("/assets/*");
        assertThat(originOf(assets)).containsKey("S3OriginConfig");
        Map<String, Object> cachePolicy = props(t.toJSON(), ref(assets.get("CachePolicyId")));
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = (Map<String, Object>) cachePolicy.get("CachePolicyConfig");
        assertThat(cfg).containsEntry("MinTTL", 31_536_000).containsEntry("DefaultTTL", 31_536_000).containsEntry("MaxTTL", 31_536_000);
        assertThat(responseHeader(assets)).isEqualTo(Map.of("Header", "Cache-Control", "Value",
                "public, max-age=31536000, immutable", "Override", true));
    }

    @Test
    void apiGoesToTheAlbUncachedWithThePinHeaderQueryAndCookies() {
        Map<String, Object> api = behaviour("/api/*");
        assertThat(api).containsEntry("CachePolicyId", CACHING_DISABLED);
        assertThat(api.get("AllowedMethods")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE");
        Map<String, Object> origin = originOf(api);
        assertThat(origin.get("CustomOriginConfig")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("OriginProtocolPolicy", "http-only");
        // The ALB's name comes from the backend's SSM parameter, not from a cross-stack export.
        String parameter = ref(origin.get("DomainName"));
        assertThat(t.findParameters(parameter)).containsEntry(parameter, Map.of(
                "Type", "AWS::SSM::Parameter::Value<String>", "Default", "/skewless/shop/load-balancer-dns"));
        assertThat(t.toJSON().toString()).doesNotContain("Fn::ImportValue");

        @SuppressWarnings("unchecked")
        Map<String, Object> requests = (Map<String, Object>) props(t.toJSON(), ref(api.get("OriginRequestPolicyId")))
                .get("OriginRequestPolicyConfig");
        // Every viewer header but Host: x-deployment-id (and any header an App picks) and Sec-Fetch-Mode reach the ALB.
        assertThat(requests.get("HeadersConfig")).isEqualTo(Map.of("HeaderBehavior", "allExcept", "Headers", List.of("Host")));
        assertThat(requests.get("QueryStringsConfig")).isEqualTo(Map.of("QueryStringBehavior", "all"));
        assertThat(requests.get("CookiesConfig")).isEqualTo(Map.of("CookieBehavior", "all"));
    }

    @Test
    void theApiOriginCarriesTheOriginHeaderTheAlbsWebAclChecksAndTheWebOriginDoesNot() {
        Map<String, Object> api = originOf(behaviour("/api/*"));
        // The current generation's secret, resolved by CloudFormation at deploy time: never the value itself.
        assertThat(api.get("OriginCustomHeaders")).isEqualTo(List.of(Map.of(
                "HeaderName", BackendStack.ORIGIN_HEADER,
                "HeaderValue", "{{resolve:secretsmanager:" + BackendStack.originSecretName("shop", 1) + ":SecretString:::}}")));
        assertThat(originOf(behaviour("/assets/*"))).doesNotContainKey("OriginCustomHeaders");
    }

    @Test
    void noCustomErrorResponsesThatWouldTurnAMissingAssetOrAnApiErrorIntoIndexHtml() {
        assertThat(distributionConfig()).doesNotContainKey("CustomErrorResponses");
    }

    @Test
    void bucketAndDistributionAreSsmParameters() {
        for (String name : ParameterNames.FRONTEND) {
            t.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/skewless/shop/" + name)));
        }
        t.hasResourceProperties("AWS::SSM::Parameter", Match.objectLike(Map.of("Name", "/skewless/shop/asset-retention-days", "Value", "7")));
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    private Map<String, Object> distributionConfig() {
        return (Map<String, Object>) props(t.findResources("AWS::CloudFront::Distribution").values().iterator().next())
                .get("DistributionConfig");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> origins() {
        return (List<Map<String, Object>>) distributionConfig().get("Origins");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> behaviour(String path) {
        return ((List<Map<String, Object>>) distributionConfig().get("CacheBehaviors")).stream()
                .filter(b -> path.equals(b.get("PathPattern"))).findFirst().orElseThrow();
    }

    private Map<String, Object> originOf(Map<String, Object> behaviour) {
        return origins().stream().filter(o -> o.get("Id").equals(behaviour.get("TargetOriginId"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> responseHeader(Map<String, Object> behaviour) {
        Map<String, Object> policy = props(t.toJSON(), ref(behaviour.get("ResponseHeadersPolicyId")));
        Map<String, Object> cfg = (Map<String, Object>) policy.get("ResponseHeadersPolicyConfig");
        List<Map<String, Object>> headers = (List<Map<String, Object>>) ((Map<String, Object>) cfg.get("CustomHeadersConfig")).get("Items");
        assertThat(headers).hasSize(1);
        return headers.getFirst();
    }

    private static String ref(Object value) {
        return String.valueOf(((Map<?, ?>) value).get("Ref"));
    }
}
