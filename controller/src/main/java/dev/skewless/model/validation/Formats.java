package dev.skewless.model.validation;

import java.util.regex.Pattern;

/** The shapes of names, ids and ARNs the records may hold, in one place. */
final class Formats {
    private Formats() {}

    private static final String PARTITION = "aws(-[a-z]+)*";
    private static final String REGION = "[a-z]{2}(-[a-z]+)+-\\d+";
    private static final String ACCOUNT = "\\d{12}";

    /** App names: a DNS label (they go into target group and service names). */
    static final Pattern DNS_LABEL = Pattern.compile("[a-z]([a-z0-9-]*[a-z0-9])?");
    /** Version ids, the value clients pin to. */
    static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /**
     * RFC 7230 token characters, which are also RFC 6265 cookie-name characters, minus {@code *}:
     * ALB would read a {@code *} in a header value or cookie pair as a wildcard.
     */
    static final Pattern HTTP_TOKEN = Pattern.compile("[!#$%&'+.^_`|~0-9A-Za-z-]+");
    /** Query parameter names; the excluded characters would break {@code key=value} matching. */
    static final Pattern QUERY_NAME = Pattern.compile("[^&=#?*\\s]+");
    /** Environment variable names. */
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static final Pattern LISTENER_ARN = Pattern.compile(
            "arn:" + PARTITION + ":elasticloadbalancing:" + REGION + ":" + ACCOUNT + ":listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+");
    static final Pattern SECRETS_MANAGER_ARN = Pattern.compile(
            "arn:" + PARTITION + ":secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:[A-Za-z0-9/_+=.@-]+(:[^:\\s]*){0,3}");
    static final Pattern SSM_PARAMETER_ARN = Pattern.compile(
            "arn:" + PARTITION + ":ssm:" + REGION + ":" + ACCOUNT + ":parameter/[A-Za-z0-9/_.-]+");
    static final Pattern IAM_ROLE_ARN = Pattern.compile("arn:" + PARTITION + ":iam::" + ACCOUNT + ":role/[A-Za-z0-9+=,.@_/-]{1,512}");
    static final Pattern CLUSTER = Pattern.compile(
            "[A-Za-z0-9_-]{1,255}|arn:" + PARTITION + ":ecs:" + REGION + ":" + ACCOUNT + ":cluster/[A-Za-z0-9_-]{1,255}");
    static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8,17}");
    static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[0-9a-f]{8,17}");
    static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{8,17}");
    static final Pattern LOG_GROUP = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

    /** Characters ALB allows in a path pattern ({@code *} and {@code ?} are wildcards). */
    static final Pattern PATH_PATTERN = Pattern.compile("/[A-Za-z0-9_.$/~\"'@:+&*?-]*");
    /** Characters ALB allows in a host header condition. */
    static final Pattern HOST_HEADER = Pattern.compile("[A-Za-z0-9.*?-]+");
    /** A health check matcher: codes or ranges, comma separated ({@code 200}, {@code 200-299}, {@code 200,302}). */
    static final Pattern MATCHER = Pattern.compile("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*");

    static boolean matches(Pattern p, String s) {
        return s != null && p.matcher(s).matches();
    }

    /** Number of ALB wildcard characters ({@code *}, {@code ?}) in {@code s}. */
    static int wildcards(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?') {
                n++;
            }
        }
        return n;
    }
}
