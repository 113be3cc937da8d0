package dev.skewless.infra;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Stacks synthesized once per test JVM and shared by every test class (a synthesis costs seconds):
 * the default shape (offline fixture: default VPC looked up, HTTP only, retained data, the ALB
 * reachable from CloudFront only) and one variant with every option turned the other way (new VPC,
 * HTTPS, data destroyed with the stacks, a public ALB).
 */
final class Synthesized {
    /** The feature flags cdk.json sets, so the tests synthesize what the cdk CLI does. */
    static final Map<String, Object> FLAGS = CdkJson.context();

    private static Synthesized defaults;
    private static Synthesized variant;
    private static Synthesized rotated;

    final SkewlessInfraApp.Stacks stacks;
    final Template backend;
    final Template frontend;

    private Synthesized(Map<String, Object> context) {
        Map<String, Object> ctx = new HashMap<>(FLAGS);
        ctx.put(SkewlessInfraApp.OFFLINE, "true");
        ctx.putAll(context);
        App app = SkewlessInfraApp.newApp(ctx);
        this.stacks = SkewlessInfraApp.define(app);
        this.backend = Template.fromStack(stacks.backend());
        this.frontend = Template.fromStack(stacks.frontend());
    }

    static synchronized Synthesized defaults() {
        if (defaults == null) {
            defaults = new Synthesized(Map.of());
        }
        return defaults;
    }

    /** New VPC, HTTPS with a certificate, removal DESTROY, a 3-day maximum retention, a public ALB. */
    static synchronized Synthesized variant() {
        if (variant == null) {
            variant = new Synthesized(Map.of(
                    "skewless:vpc", "new",
                    "skewless:certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                    "skewless:albDomainName", "api-origin.shop.example.com",
                    "skewless:removal", "destroy",
                    "skewless:maxRetention", "60h",
                    "skewless:albAccess", "public",
                    "skewless:app", "checkout"));
        }
        return variant;
    }

    /** The ALB for CloudFront only over HTTPS, with the origin secret rotated twice (generation 3). */
    static synchronized Synthesized rotated() {
        if (rotated == null) {
            rotated = new Synthesized(Map.of(
                    "skewless:certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                    "skewless:albDomainName", "api-origin.shop.example.com",
                    "skewless:originSecretGeneration", "3"));
        }
        return rotated;
    }
}
