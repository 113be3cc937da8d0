package dev.skewless.infra;

import dev.skewless.model.DurationText;
import dev.skewless.model.validation.Problem;
import dev.skewless.model.validation.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the two stacks can be told, read from CDK context ({@code -c skewless:<key>=<value>}
 * or {@code cdk.json}). Every key has a default, so {@code cdk synth} with no option gives the
 * demo's shape: App {@code shop}, the account's default VPC, HTTP only, the ALB reachable from
 * CloudFront only.
 *
 * @param appName                 the App record's name; also in every resource name
 * @param owner                   the controller's owner id (value of {@code skewless.dev/managed-by})
 * @param vpc                     the account's default VPC (looked up) or a new one
 * @param certificateArn          ACM certificate for an HTTPS listener; null for HTTP only
 * @param albDomainName           the DNS name covered by the certificate that CloudFront reaches the
 *                                ALB by (required with a certificate)
 * @param controllerImageTag      tag of the controller image in its ECR repository
 * @param controllerDesiredCount  controller tasks (one leads, the others stand by); 0 before the
 *                                first controller image is pushed
 * @param priorityFrom            first listener rule priority the App owns
 * @param priorityTo              last listener rule priority the App owns
 * @param pathPatterns            the App's ALB path patterns (CloudFront sends {@code /api/*})
 * @param deregistrationDelay     the App's target group deregistration delay
 * @param logRetentionDays        retention of the controller's and the versions' log groups
 * @param maxRetention            the longest retention window any version may get
 *                                ({@code spec.retention.max}); old web assets are kept at least this long
 * @param removal                 whether stateful resources (table, repositories, bucket, logs) survive
 *                                {@code destroy}
 * @param albAccess               who may reach the ALB: CloudFront only (the default) or anyone
 * @param originSecretGeneration  which generated origin secret CloudFront sends (the ALB also accepts
 *                                the one before it); raising it by one rotates the secret
 */
public record InfraSettings(
        String appName,
        String owner,
        VpcChoice vpc,
        String certificateArn,
        String albDomainName,
        String controllerImageTag,
        int controllerDesiredCount,
        int priorityFrom,
        int priorityTo,
        List<String> pathPatterns,
        Duration deregistrationDelay,
        int logRetentionDays,
        Duration maxRetention,
        Removal removal,
        AlbAccess albAccess,
        int originSecretGeneration) {

    /** Prefix of every context key this app reads. */
    public static final String PREFIX = "skewless:";
    /** Port every container (controller and versions) listens on. */
    public static final int CONTAINER_PORT = 8080;
    /** CloudWatch Logs retention values the API accepts, in days. */
    static final List<Integer> LOG_RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
            1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern APP_NAME = Pattern.compile("^[a-z]([a-z0-9-]*[a-z0-9])?$");
    private static final Pattern CERTIFICATE = Pattern.compile("^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$");
    private static final Pattern DOMAIN = Pattern.compile("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");
    private static final Pattern IMAGE_TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    private static final Pattern PATH_PATTERN = Pattern.compile("^/[A-Za-z0-9_.$/~\"'@:+&*?-]{0,127}$");

    /** Where the tasks and the ALB live. */
    public enum VpcChoice {
        /** The account's default VPC, found with a context lookup (cached in cdk.context.json). */
        DEFAULT,
        /** A new VPC with two public subnets (no NAT gateway, like the default VPC). */
        NEW
    }

    /** What {@code destroy} does with stateful resources. */
    public enum Removal {
        /** Keep the table, repositories, bucket and log groups (the default). */
        RETAIN,
        /** Delete them with the stacks. */
        DESTROY
    }

    /**
     * Who may reach the ALB. See {@code docs/decisions/029-alb-only-from-cloudfront.md}.
     */
    public enum AlbAccess {
        /**
         * CloudFront only: the security group admits CloudFront's origin-facing prefix list, and a
         * WAF web ACL on the ALB refuses requests without the secret origin header CloudFront adds.
         */
        CLOUDFRONT,
        /** Anyone: port 80 (and 443 with a certificate) open to the internet, no web ACL, no origin header. */
        PUBLIC
    }

    public InfraSettings {
        Objects.requireNonNull(appName, "appName");
        pathPatterns = List.copyOf(pathPatterns);
    }

    /** The defaults, for App {@code shop}. */
    public static InfraSettings defaults() {
        return fromContext(key -> null);
    }

    /** Stack name of the backend stack. */
    public String backendStackName() {
        return "skewless-" + appName + "-backend";
    }

    /** Stack name of the frontend stack. */
    public String frontendStackName() {
        return "skewless-" + appName + "-frontend";
    }

    /** Whether an HTTPS listener (and an HTTPS origin for CloudFront) is configured. */
    public boolean https() {
        return certificateArn != null;
    }

    /** Whether only CloudFront may reach the ALB. */
    public boolean cloudFrontOnly() {
        return albAccess == AlbAccess.CLOUDFRONT;
    }

    /** Days superseded web assets are kept: the longest retention, rounded up to whole days. */
    public int assetRetentionDays() {
        long seconds = maxRetention.toSeconds();
        return (int) Math.max(1, (seconds + 86_399) / 86_400);
    }

    /**
     * Reads the settings from context values.
     *
     * @param context a context lookup: key without the prefix → value, or null when not set
     * @throws ValidationException listing every bad value with its context key
     */
    public static InfraSettings fromContext(Function<String, Object> context) {
        List<Problem> problems = new ArrayList<>();
        Reader r = new Reader(context, problems);
        String app = r.string("app", "shop");
        if (!APP_NAME.matcher(app).matches() || app.length() > 16) {
            problems.add(new Problem(PREFIX + "app", "'" + app + "' is not a valid App name; use 1..16 lowercase letters, "
                    + "digits and hyphens, starting with a letter and not ending with a hyphen"));
        }
        String owner = r.string("owner", "skewless");
        if (owner.isBlank() || owner.length() > 128) {
            problems.add(new Problem(PREFIX + "owner", "must be 1..128 characters (it is a tag value)"));
        }
        VpcChoice vpc = r.choice("vpc", VpcChoice.DEFAULT, VpcChoice.class);
        String certificate = r.string("certificateArn", null);
        if (certificate != null && !CERTIFICATE.matcher(certificate).matches()) {
            problems.add(new Problem(PREFIX + "certificateArn", "'" + certificate + "' is not an ACM certificate ARN"));
        }
        String domain = r.string("albDomainName", null);
        if (domain != null && !DOMAIN.matcher(domain).matches()) {
            problems.add(new Problem(PREFIX + "albDomainName", "'" + domain + "' is not a DNS name"));
        }
        if (certificate != null && domain == null) {
            problems.add(new Problem(PREFIX + "albDomainName", "is required with " + PREFIX + "certificateArn: CloudFront "
                    + "reaches the ALB over HTTPS by the name the certificate covers (point that name at the ALB)"));
        }
        if (certificate == null && domain != null) {
            problems.add(new Problem(PREFIX + "albDomainName", "is only used with " + PREFIX + "certificateArn"));
        }
        String tag = r.string("controllerImageTag", "latest");
        if (!IMAGE_TAG.matcher(tag).matches()) {
            problems.add(new Problem(PREFIX + "controllerImageTag", "'" + tag + "' is not a valid image tag"));
        }
        int controllers = r.integer("controllerDesiredCount", 2, 0, 10);
        int from = r.integer("priorityFrom", 1000, 1, 50_000);
        int to = r.integer("priorityTo", 1099, 1, 50_000);
        if (from > to) {
            problems.add(new Problem(PREFIX + "priorityTo", "is " + to + ", below " + PREFIX + "priorityFrom " + from));
        }
        List<String> paths = Arrays.stream(r.string("pathPatterns", "/api/*").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (paths.isEmpty() || paths.size() > 4) {
            problems.add(new Problem(PREFIX + "pathPatterns", "give 1..4 comma-separated path patterns"));
        }
        for (String p : paths) {
            if (!PATH_PATTERN.matcher(p).matches()) {
                problems.add(new Problem(PREFIX + "pathPatterns", "'" + p + "' is not an ALB path pattern"));
            }
        }
        Duration delay = r.duration("deregistrationDelay", Duration.ofSeconds(30));
        if (delay != null && (delay.isNegative() || delay.toSeconds() > 3600)) {
            problems.add(new Problem(PREFIX + "deregistrationDelay", "must be within 0s..1h (ALB's range)"));
        }
        int logDays = r.integer("logRetentionDays", 30, 1, 3653);
        if (!LOG_RETENTION_DAYS.contains(logDays)) {
            problems.add(new Problem(PREFIX + "logRetentionDays", logDays + " is not a CloudWatch Logs retention; use one of "
                    + LOG_RETENTION_DAYS));
        }
        Duration maxRetention = r.duration("maxRetention", Duration.ofDays(7));
        if (maxRetention != null && (maxRetention.isNegative() || maxRetention.isZero() || maxRetention.toDays() > 3650)) {
            problems.add(new Problem(PREFIX + "maxRetention", "must be more than 0 and at most 3650d"));
        }
        Removal removal = r.choice("removal", Removal.RETAIN, Removal.class);
        AlbAccess access = r.choice("albAccess", AlbAccess.CLOUDFRONT, AlbAccess.class);
        int generation = r.integer("originSecretGeneration", 1, 1, 1_000_000);
        if (access == AlbAccess.PUBLIC && context.apply("originSecretGeneration") != null) {
            problems.add(new Problem(PREFIX + "originSecretGeneration", "is only used with " + PREFIX + "albAccess=cloudfront"));
        }
        ValidationException.throwIfAny(problems);
        return new InfraSettings(app, owner, vpc, certificate, domain, tag, controllers, from, to, paths, delay, logDays,
                maxRetention, removal, access, generation);
    }

    /** Typed context reads that collect problems instead of stopping at the first. */
    private record Reader(Function<String, Object> context, List<Problem> problems) {
        String string(String key, String fallback) {
            Object v = context.apply(key);
            if (v == null || v.toString().isBlank()) {
                return fallback;
            }
            return v.toString().strip();
        }

        int integer(String key, int fallback, int min, int max) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                int v = Integer.parseInt(s);
                if (v < min || v > max) {
                    problems.add(new Problem(PREFIX + key, v + " is outside " + min + ".." + max));
                    return fallback;
                }
                return v;
            } catch (NumberFormatException e) {
                problems.add(new Problem(PREFIX + key, "'" + s + "' is not a whole number"));
                return fallback;
            }
        }

        Duration duration(String key, Duration fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                return DurationText.parse(s);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(PREFIX + key, e.getMessage()));
                return fallback;
            }
        }

        <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            try {
                return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(PREFIX + key, "'" + s + "' is not one of "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
                return fallback;
            }
        }
    }

    /** Context lookup from a map (tests, the benchmark). */
    public static Function<String, Object> mapContext(Map<String, ?> values) {
        return key -> values.get(key);
    }
}
