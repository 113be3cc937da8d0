package dev.skewless.infra;

import dev.skewless.model.WebAssets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CacheCookieBehavior;
import software.amazon.awscdk.services.cloudfront.CacheHeaderBehavior;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.CacheQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.CachedMethods;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.IOrigin;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestCookieBehavior;
import software.amazon.awscdk.services.cloudfront.OriginRequestHeaderBehavior;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeader;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The web build behind CloudFront, and {@code /api/*} forwarded to the backend's ALB.
 *
 * <p>Static files get skew protection too. A tab built from release N lazy-loads
 * {@code /assets/<name>-<hash>.js} long after release N+1 is live, so {@code deploy:web} never
 * deletes an asset: it uploads the new build's assets first and {@code index.html} last, then
 * tags the assets the new build no longer uses with {@value #SUPERSEDED_TAG}{@code =true} (by
 * copying each onto itself, which restarts its age). The lifecycle rule here expires only tagged
 * assets, and only after {@link InfraSettings#assetRetentionDays()}: the longest retention a
 * backend version can get. See {@code docs/decisions/022-web-asset-retention.md}.
 */
public final class FrontendStack extends Stack {
    /** Object tag {@code deploy:web} puts on assets the live build no longer references. */
    public static final String SUPERSEDED_TAG = "skewless.dev/superseded";
    /** Where Vite puts hashed files. */
    public static final String ASSETS_PREFIX = "assets/";

    private final Bucket bucket;
    private final Distribution distribution;

    public FrontendStack(Construct scope, String id, StackProps props, InfraSettings settings) {
        super(scope, id, props);
        String app = settings.appName();
        boolean destroy = settings.removal() == InfraSettings.Removal.DESTROY;
        Tags.of(this).add("skewless.dev/stack", id);

        this.bucket = Bucket.Builder.create(this, "WebBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL).encryption(BucketEncryption.S3_MANAGED).enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED).versioned(false)
                .removalPolicy(destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("expire-superseded-assets").prefix(ASSETS_PREFIX)
                                .tagFilters(Map.of(SUPERSEDED_TAG, "true"))
                                .expiration(Duration.days(settings.assetRetentionDays())).build(),
                        LifecycleRule.builder().id("abort-incomplete-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .build();

        IOrigin webOrigin = S3BucketOrigin.withOriginAccessControl(bucket);
        // index.html (and every unhashed file) is never cached: a deploy is visible on the next
        // page load, and the page always names assets that exist.
        ResponseHeadersPolicy noCache = ResponseHeadersPolicy.Builder.create(this, "NoCacheHeaders")
                .responseHeadersPolicyName("skewless-" + app + "-no-cache")
                .comment("skewless " + app + ": index.html and unhashed files are revalidated on every load")
                .customHeadersBehavior(ResponseCustomHeadersBehavior.builder().customHeaders(List.of(
                        ResponseCustomHeader.builder().header("Cache-Control").value(WebAssets.NO_CACHE).override(true).build())).build())
                .build();
        ResponseHeadersPolicy immutable = ResponseHeadersPolicy.Builder.create(this, "ImmutableHeaders")
                .responseHeadersPolicyName("skewless-" + app + "-immutable")
                .comment("skewless " + app + ": hashed assets never change")
                .customHeadersBehavior(ResponseCustomHeadersBehavior.builder().customHeaders(List.of(
                        ResponseCustomHeader.builder().header("Cache-Control").value(WebAssets.IMMUTABLE).override(true).build())).build())
                .build();
        CachePolicy assetsCache = CachePolicy.Builder.create(this, "AssetsCachePolicy")
                .cachePolicyName("skewless-" + app + "-assets")
                .comment("skewless " + app + ": hashed assets, cached for a year")
                .minTtl(Duration.days(365)).defaultTtl(Duration.days(365)).maxTtl(Duration.days(365))
                .headerBehavior(CacheHeaderBehavior.none()).queryStringBehavior(CacheQueryStringBehavior.none())
                .cookieBehavior(CacheCookieBehavior.none()).enableAcceptEncodingGzip(true).enableAcceptEncodingBrotli(true)
                .build();
        // Everything the backend needs to pick a version reaches the ALB: the pin header, the dpl
        // query parameter (with every other query parameter), cookies, and Sec-Fetch-Mode for the
        // navigation rule. Host stays CloudFront's business (the ALB is reached by its own name).
        OriginRequestPolicy apiRequests = OriginRequestPolicy.Builder.create(this, "ApiOriginRequestPolicy")
                .originRequestPolicyName("skewless-" + app + "-api")
                .comment("skewless " + app + ": all viewer headers but Host (x-deployment-id, Sec-Fetch-Mode), all query strings (dpl), all cookies")
                .headerBehavior(OriginRequestHeaderBehavior.denyList("Host"))
                .queryStringBehavior(OriginRequestQueryStringBehavior.all())
                .cookieBehavior(OriginRequestCookieBehavior.all())
                .build();
        // Over HTTP the ALB's own name comes from the backend's SSM parameter, resolved by
        // CloudFormation at deploy time, not from a cross-stack export: the backend stays free to
        // replace its ALB. Over HTTPS CloudFront must use the name the certificate covers.
        // With albAccess=cloudfront the ALB refuses requests without the origin header: CloudFront
        // adds it (replacing any viewer header of that name) with the current generation's value,
        // read by CloudFormation from the backend's secret at deploy time (by name, like the ALB's).
        Map<String, String> originHeaders = settings.cloudFrontOnly()
                ? Map.of(BackendStack.ORIGIN_HEADER, SecretValue.secretsManager(
                        BackendStack.originSecretName(app, settings.originSecretGeneration())).unsafeUnwrap())
                : Map.of();
        IOrigin apiOrigin = settings.https()
                ? HttpOrigin.Builder.create(settings.albDomainName()).protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY)
                        .customHeaders(originHeaders).build()
                : HttpOrigin.Builder.create(StringParameter.valueForStringParameter(this,
                        ParameterNames.path(app, ParameterNames.LOAD_BALANCER_DNS))).protocolPolicy(OriginProtocolPolicy.HTTP_ONLY)
                        .customHeaders(originHeaders).build();

        Map<String, BehaviorOptions> behaviors = new LinkedHashMap<>();
        behaviors.put("/" + ASSETS_PREFIX + "*", BehaviorOptions.builder().origin(webOrigin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS).compress(true)
                .allowedMethods(AllowedMethods.ALLOW_GET_HEAD).cachedMethods(CachedMethods.CACHE_GET_HEAD)
                .cachePolicy(assetsCache).responseHeadersPolicy(immutable).build());
        behaviors.put("/api/*", BehaviorOptions.builder().origin(apiOrigin)
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS).compress(true)
                .allowedMethods(AllowedMethods.ALLOW_ALL).cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(apiRequests).build());
        this.distribution = Distribution.Builder.create(this, "Distribution")
                .comment("skewless " + app + ": web build and /api/*")
                .defaultRootObject("index.html").httpVersion(HttpVersion.HTTP2_AND_3).priceClass(PriceClass.PRICE_CLASS_100)
                .defaultBehavior(BehaviorOptions.builder().origin(webOrigin)
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS).compress(true)
                        .allowedMethods(AllowedMethods.ALLOW_GET_HEAD).cachePolicy(CachePolicy.CACHING_DISABLED)
                        .responseHeadersPolicy(noCache).build())
                .additionalBehaviors(behaviors)
                .build();

        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(ParameterNames.WEB_BUCKET, bucket.getBucketName());
        parameters.put(ParameterNames.DISTRIBUTION_ID, distribution.getDistributionId());
        parameters.put(ParameterNames.DISTRIBUTION_DOMAIN, distribution.getDistributionDomainName());
        parameters.put(ParameterNames.ASSET_RETENTION_DAYS, Integer.toString(settings.assetRetentionDays()));
        BackendStack.writeParameters(this, app, parameters);

        CfnOutput.Builder.create(this, "DistributionDomain").value(distribution.getDistributionDomainName()).build();
        CfnOutput.Builder.create(this, "WebBucketName").value(bucket.getBucketName()).build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public Distribution distribution() {
        return distribution;
    }
}
