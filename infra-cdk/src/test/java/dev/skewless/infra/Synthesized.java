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
        this.stacks = stacks(context);
        this.backend = Template.fromStack(stacks.backend());
        this.frontend = Template.fromStack(stacks.frontend());
    }

    /** Both stacks synthesized offline with cdk.json's flags and {@code context} on top (not shared). */
    static SkewlessInfraApp.Stacks stacks(Map<String, Object> context) {
        Map<String, Object> ctx = new HashMap<>(FLAGS);
        ctx.put(SkewlessInfraApp.OFFLINE, "true");
        ctx.putAll(context);
        App app = SkewlessInfraApp.newApp(ctx);
        return SkewlessInfraApp.define(app);
    }

    static synchronized Synthesized defaults() {
        if (defaults == null) {
            defaults = new Synthesized(Map.of());
        }
        return defaults;
    }

    /** The variant's settings: new VPC, HTTPS with a certificate, removal DESTROY, a 60-hour maximum retention, a public ALB. */
    static final Map<String, Object> VARIANT = Map.of(
            "skewless:vpc", "new",
            "skewless:certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
            "skewless:albDomainName", "api-origin.shop.example.com",
            "skewless:removal", "destroy",
            "skewless:maxRetention", "60h",
            "skewless:albAccess", "public",
            "skewless:app", "checkout");

    /** Synthesized with {@link #VARIANT}. */
    static synchronized Synthesized variant() {
        if (variant == null) {
            variant = new Synthesized(VARIANT);
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
