package dev.skewless.cli;

import dev.skewless.aws.AwsSettings;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;

/**
 * Everything a verb takes from the outside world, so tests can run the real commands in-process:
 * environment variables, standard streams, the clock and how AWS is reached.
 *
 * @param variables environment variables ({@code SKEWLESS_STORE}, {@code SKEWLESS_TABLE},
 *                  {@code AWS_ENDPOINT_URL}...)
 * @param stdin     what {@code apply -f -} reads
 * @param out       results
 * @param err       errors, warnings and progress that must not pollute {@code -o json}
 * @param clock     "now" for ages in tables and creation times the store writes
 * @param aws       endpoint, region and credentials; fields left null use the SDK's default chains
 */
public record CliEnvironment(
        Map<String, String> variables, Supplier<InputStream> stdin, PrintWriter out, PrintWriter err, InstantSource clock, AwsSettings aws) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(aws, "aws");
    }

    /** The process's real environment, streams and clock. */
    public static CliEnvironment system() {
        Map<String, String> env = System.getenv();
        return new CliEnvironment(env, () -> System.in,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                InstantSource.system(), awsFrom(env));
    }

    /**
     * AWS settings for a terminal: the SDK's default chains (which read {@code AWS_ENDPOINT_URL},
     * {@code AWS_REGION}, profiles...), plus {@code AWS_DEFAULT_REGION} as a region fallback, since
     * the AWS CLI reads it and many shells set only that; and at most 3 attempts per call, so a
     * wrong endpoint fails in seconds instead of retrying for half a minute.
     */
    static AwsSettings awsFrom(Map<String, String> env) {
        AwsSettings settings = AwsSettings.DEFAULT.withMaxAttempts(3);
        String region = env.get("AWS_REGION");
        String fallback = env.get("AWS_DEFAULT_REGION");
        if ((region == null || region.isBlank()) && fallback != null && !fallback.isBlank()) {
            settings = settings.withRegion(Region.of(fallback.strip()));
        }
        return settings;
    }

    /** A variable, when set and not blank. */
    public Optional<String> variable(String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** Where AWS calls go when an endpoint is set explicitly or by {@code AWS_ENDPOINT_URL}; empty for AWS itself. */
    public Optional<String> awsEndpoint() {
        if (aws.endpoint() != null) {
            return Optional.of(aws.endpoint().toString());
        }
        return variable("AWS_ENDPOINT_URL");
    }
}
