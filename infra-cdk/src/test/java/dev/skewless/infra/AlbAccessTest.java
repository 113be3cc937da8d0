package dev.skewless.infra;

import static dev.skewless.infra.BackendStackTest.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The ALB for CloudFront only, over HTTPS, after two rotations of the origin secret: one ingress
 * rule (the prefix list weighs about 55 of the group's 60 rules, so port 80 is not admitted too),
 * and the web ACL accepts the current and the previous secret while CloudFront sends the current.
 */
class AlbAccessTest {
    private final Synthesized synth = Synthesized.rotated();
    private final Template backend = synth.backend;
    private final Template frontend = synth.frontend;

    @Test
    void overHttpsOnlyPort443IsAdmittedAndOnlyFromCloudFront() {
        List<Map<String, Object>> ingress = backend.findResources("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("SourcePrefixListId", Match.anyValue()))))).values().stream()
                .map(BackendStackTest::props).toList();
        assertThat(ingress).extracting(r -> r.get("SourcePrefixListId") + ":" + r.get("FromPort") + "-" + r.get("ToPort"))
                .containsExactly(OfflineFixture.CLOUDFRONT_PREFIX_LIST_ID + ":443-443");
        assertThat(BackendStackTest.openIngress(backend)).isEmpty();
    }

    @Test
    void theWebAclAcceptsTheCurrentAndThePreviousSecretAndCloudFrontSendsTheCurrent() {
        Map<String, Map<String, Object>> secrets = backend.findResources("AWS::SecretsManager::Secret");
        String previous = secretNamed(secrets, BackendStack.originSecretName("shop", 2));
        String current = secretNamed(secrets, BackendStack.originSecretName("shop", 3));
        assertThat(secrets).hasSize(2);
        backend.hasResourceProperties("AWS::WAFv2::WebACL", Match.objectLike(Map.of(
                "Rules", List.of(Match.objectLike(Map.of("Action", Map.of("Allow", Map.of()),
                        "Statement", Map.of("OrStatement", Map.of("Statements", List.of(
                                Map.of("ByteMatchStatement", BackendStackTest.originHeaderEquals(previous)),
                                Map.of("ByteMatchStatement", BackendStackTest.originHeaderEquals(current)))))))))));

        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) props(frontend.findResources("AWS::CloudFront::Distribution").values()
                .iterator().next()).get("DistributionConfig");
        assertThat(String.valueOf(config.get("Origins")))
                .contains("HeaderName=" + BackendStack.ORIGIN_HEADER)
                .contains("HeaderValue={{resolve:secretsmanager:" + BackendStack.originSecretName("shop", 3) + ":SecretString:::}}")
                .doesNotContain(BackendStack.originSecretName("shop", 2));
    }

    private static String secretNamed(Map<String, Map<String, Object>> secrets, String name) {
        return secrets.entrySet().stream().filter(e -> name.equals(props(e.getValue()).get("Name"))).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no secret named " + name + " in " + secrets.keySet()));
    }
}
