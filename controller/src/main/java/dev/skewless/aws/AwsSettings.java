package dev.skewless.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * How skewless talks to AWS. Every field may be left to the SDK: null endpoint, region and
 * credentials mean the SDK's default chains ({@code AWS_ENDPOINT_URL} / {@code aws.endpointUrl},
 * {@code AWS_REGION}, profiles, container and instance credentials), which is how the same binary
 * runs against AWS, LocalStack or moto unchanged.
 *
 * @param endpoint      explicit endpoint for every service, or null for the SDK's own resolution
 * @param region        region, or null for the default region chain
 * @param credentials   credentials, or null for the default credential chain
 * @param rates         token bucket settings per API operation
 * @param maxAttempts   attempts per call including retries (the SDK's adaptive retry mode)
 * @param callTimeout   overall timeout of one API call, retries included
 */
public record AwsSettings(URI endpoint, Region region, AwsCredentialsProvider credentials, CallRates rates, int maxAttempts,
        Duration callTimeout) {
    /** Default chains, {@link CallRates#DEFAULT}, 5 attempts, 30 s per call. */
    public static final AwsSettings DEFAULT = new AwsSettings(null, null, null, CallRates.DEFAULT, 5, Duration.ofSeconds(30));

    public AwsSettings {
        rates = rates == null ? CallRates.DEFAULT : rates;
        maxAttempts = maxAttempts < 1 ? 5 : maxAttempts;
        callTimeout = callTimeout == null ? Duration.ofSeconds(30) : callTimeout;
    }

    public AwsSettings withEndpoint(URI e) {
        return new AwsSettings(e, region, credentials, rates, maxAttempts, callTimeout);
    }

    public AwsSettings withRegion(Region r) {
        return new AwsSettings(endpoint, r, credentials, rates, maxAttempts, callTimeout);
    }

    public AwsSettings withCredentials(AwsCredentialsProvider c) {
        return new AwsSettings(endpoint, region, c, rates, maxAttempts, callTimeout);
    }

    public AwsSettings withRates(CallRates r) {
        return new AwsSettings(endpoint, region, credentials, r, maxAttempts, callTimeout);
    }

    public AwsSettings withMaxAttempts(int n) {
        return new AwsSettings(endpoint, region, credentials, rates, n, callTimeout);
    }
}
