package dev.skewless.model.validation;

import static dev.skewless.model.DurationText.format;

import dev.skewless.model.App;
import dev.skewless.model.LocalSpec;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.model.RoutingSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks of one App on its own. Paths are relative to the record ({@code spec.router...}). */
final class AppRules {
    /** Most tasks a version may ask for; the same bound applies to retained tasks. */
    static final int MAX_TASKS = 1000;
    static final int MAX_VERSIONS_LIMIT = 100;
    static final Duration MIN_IDLE_EXPIRY = Duration.ofMinutes(1);
    static final Duration MAX_DEREGISTRATION_DELAY = Duration.ofSeconds(3600);
    /** ALB limit on the length of an HTTP header name in a rule condition. */
    static final int MAX_HEADER_NAME = 40;
    /** ALB limit on path patterns, host headers and query keys in a rule condition. */
    static final int MAX_CONDITION_VALUE = 128;
    /** Headers ALB refuses in an http-header condition, or that skewless itself uses. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "sec-fetch-mode");
    /** awsvpc limits of an ECS service. */
    static final int MAX_SUBNETS = 16;
    static final int MAX_SECURITY_GROUPS = 5;

    private AppRules() {}

    static List<Problem> check(App app) {
        Findings f = new Findings();
        MetadataRules.appName(f, "metadata.name", app.name());
        if (app.metadata().app() != null) {
            f.add("metadata.app", "an App does not belong to another App; remove metadata.app (only AppVersions have it)");
        }
        MetadataRules.labels(f, app.metadata().labels());
        platform(f, app.spec().platform());
        router(f, app.spec().router(), app.spec().routing());
        routing(f, app.spec().routing());
        ruleQuotas(f, app.spec().router(), app.spec().routing());
        retention(f, app.spec().retention());
        release(f, app.spec().release());
        if (app.spec().local() != null) {
            local(f, app.spec().local());
        }
        return f.toList();
    }

    private static void platform(Findings f, PlatformSpec p) {
        if (!Formats.matches(Formats.CLUSTER, p.cluster())) {
            f.add("spec.platform.cluster", "'" + p.cluster() + "' is not an ECS cluster name or ARN; names use letters, digits, '-' and '_' (at most 255)");
        }
        if (p.subnets().isEmpty()) {
            f.add("spec.platform.subnets", "list at least one subnet id (subnet-0123abcd...); Fargate tasks need a subnet");
        } else if (p.subnets().size() > MAX_SUBNETS) {
            f.add("spec.platform.subnets", p.subnets().size() + " subnets listed; ECS allows at most " + MAX_SUBNETS);
        }
        for (int i = 0; i < p.subnets().size(); i++) {
            if (!Formats.matches(Formats.SUBNET_ID, p.subnets().get(i))) {
                f.add("spec.platform.subnets[" + i + "]", "'" + p.subnets().get(i) + "' is not a subnet id; expected subnet- and 8 or 17 hex digits");
            }
        }
        if (p.securityGroups().isEmpty()) {
            f.add("spec.platform.securityGroups", "list at least one security group id (sg-0123abcd...); ECS requires one for awsvpc tasks");
        } else if (p.securityGroups().size() > MAX_SECURITY_GROUPS) {
            f.add("spec.platform.securityGroups", p.securityGroups().size() + " security groups listed; ECS allows at most " + MAX_SECURITY_GROUPS);
        }
        for (int i = 0; i < p.securityGroups().size(); i++) {
            if (!Formats.matches(Formats.SECURITY_GROUP_ID, p.securityGroups().get(i))) {
                f.add("spec.platform.securityGroups[" + i + "]", "'" + p.securityGroups().get(i) + "' is not a security group id; expected sg- and 8 or 17 hex digits");
            }
        }
        roleArn(f, "spec.platform.executionRoleArn", p.executionRoleArn());
        roleArn(f, "spec.platform.taskRoleArn", p.taskRoleArn());
        if (p.logGroup() != null && !Formats.matches(Formats.LOG_GROUP, p.logGroup())) {
            f.add("spec.platform.logGroup", "'" + p.logGroup() + "' is not a CloudWatch log group name; use letters, digits and . - _ / # (at most 512)");
        }
        if (p.retainedDesiredCount() < 0 || p.retainedDesiredCount() > MAX_TASKS) {
            f.add("spec.platform.retainedDesiredCount", p.retainedDesiredCount() + " is out of range; tasks kept per superseded version must be 0.." + MAX_TASKS
                    + " and at most the versions' desiredCount");
        }
    }

    private static void roleArn(Findings f, String path, String arn) {
        if (arn != null && !Formats.matches(Formats.IAM_ROLE_ARN, arn)) {
            f.add(path, "'" + arn + "' is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>");
        }
    }

    private static void router(Findings f, RouterSpec r, RoutingSpec routing) {
        if (!Formats.matches(Formats.LISTENER_ARN, r.listenerArn())) {
            f.add("spec.router.listenerArn", "'" + r.listenerArn() + "' is not an ALB listener ARN; expected "
                    + "arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<load balancer>/<id>/<id>");
        }
        PriorityRange pr = r.priorities();
        if (pr.from() < PriorityRange.MIN || pr.to() > PriorityRange.MAX || pr.from() > pr.to()) {
            f.add("spec.router.priorities", "priorities " + pr + " are not a valid range; ALB priorities run from " + PriorityRange.MIN
                    + " to " + PriorityRange.MAX + " and 'from' must not exceed 'to'");
        } else {
            int needed = AlbRuleBudget.rulesForRelease(routing, r.ownsListener());
            if (pr.size() < needed) {
                f.add("spec.router.priorities", "priorities " + pr + " hold " + pr.size() + " rule(s), but releasing needs at least " + needed
                        + ": one version needs " + AlbRuleBudget.rulesForOneVersion(routing, r.ownsListener()) + " ("
                        + AlbRuleBudget.describeRulesForOneVersion(routing, r.ownsListener()) + ") and the next release "
                        + AlbRuleBudget.carriers(routing).size() + " more, as does every further retained version; widen the range");
            }
        }
        if (r.pathPatterns().isEmpty() && r.hostHeaders().isEmpty() && !r.ownsListener()) {
            f.add("spec.router", "give at least one path pattern (e.g. /api/*) or host header, so the App's rules do not catch the whole "
                    + "listener; or set ownsListener: true if the App really owns the listener");
        }
        for (int i = 0; i < r.pathPatterns().size(); i++) {
            String p = r.pathPatterns().get(i);
            String path = "spec.router.pathPatterns[" + i + "]";
            if (!Formats.matches(Formats.PATH_PATTERN, p)) {
                f.add(path, "'" + p + "' is not an ALB path pattern; it must start with '/' and use letters, digits, _ - . $ / ~ \" ' @ : + & and the wildcards * ?");
            } else if (p.length() > MAX_CONDITION_VALUE) {
                f.add(path, "path pattern is " + p.length() + " characters; ALB allows at most " + MAX_CONDITION_VALUE);
            }
        }
        for (int i = 0; i < r.hostHeaders().size(); i++) {
            String h = r.hostHeaders().get(i);
            String path = "spec.router.hostHeaders[" + i + "]";
            if (!Formats.matches(Formats.HOST_HEADER, h)) {
                f.add(path, "'" + h + "' is not an ALB host header pattern; use letters, digits, '-', '.' and the wildcards * ? (no scheme, port or path)");
            } else if (h.length() > MAX_CONDITION_VALUE) {
                f.add(path, "host header is " + h.length() + " characters; ALB allows at most " + MAX_CONDITION_VALUE);
            }
        }
        Duration d = r.deregistrationDelay();
        if (d.isNegative() || d.compareTo(MAX_DEREGISTRATION_DELAY) > 0 || d.getNano() != 0) {
            f.add("spec.router.deregistrationDelay", format(d) + " is not allowed; ALB takes whole seconds from 0s to 1h");
        }
        if (r.vpcId() != null && !Formats.matches(Formats.VPC_ID, r.vpcId())) {
            f.add("spec.router.vpcId", "'" + r.vpcId() + "' is not a VPC id; expected vpc- and 8 or 17 hex digits, or leave it out");
        }
    }

    private static void routing(Findings f, RoutingSpec r) {
        String header = r.header();
        if (!Formats.matches(Formats.HTTP_TOKEN, header) || header.length() > MAX_HEADER_NAME) {
            f.add("spec.routing.header", "'" + header + "' is not a header name ALB can match; use at most " + MAX_HEADER_NAME
                    + " letters, digits and ! # $ % & ' + - . ^ _ ` | ~ (no spaces, no *)");
        } else if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
            f.add("spec.routing.header", "'" + header + "' cannot carry pins: ALB does not match Host in a header condition and skewless "
                    + "uses Sec-Fetch-Mode for navigations; the usual choice is " + RoutingSpec.DEFAULT_HEADER);
        }
        String query = r.query();
        if (!Formats.matches(Formats.QUERY_NAME, query) || query.length() > MAX_CONDITION_VALUE) {
            f.add("spec.routing.query", "'" + query + "' is not a usable query parameter name; it must be 1.." + MAX_CONDITION_VALUE
                    + " characters without & = # ? * or spaces; the usual choice is " + RoutingSpec.DEFAULT_QUERY);
        }
        if (r.cookie() != null && (!Formats.matches(Formats.HTTP_TOKEN, r.cookie()) || r.cookie().length() > MAX_HEADER_NAME)) {
            f.add("spec.routing.cookie", "'" + r.cookie() + "' is not a cookie name ALB can match; use at most " + MAX_HEADER_NAME
                    + " letters, digits and ! # $ % & ' + - . ^ _ ` | ~ (no spaces, no *); leave cookie out to turn the cookie carrier off");
        }
    }

    /** ALB allows 5 condition values and 5 wildcards per rule; every rule also carries the scoping. */
    private static void ruleQuotas(Findings f, RouterSpec router, RoutingSpec routing) {
        int scopeValues = AlbRuleBudget.scopingValues(router);
        int scopeWildcards = AlbRuleBudget.scopingWildcards(router);
        // The navigation rule is scoping + 1 value: if it breaks, every rule does; say it once.
        if (scopeValues + 1 > AlbRuleBudget.MAX_VALUES || scopeWildcards > AlbRuleBudget.MAX_WILDCARDS) {
            f.add("spec.router", "path patterns and host headers use " + scopeValues + " condition value(s) and " + scopeWildcards
                    + " wildcard(s) in every rule; ALB allows " + AlbRuleBudget.MAX_VALUES + " values and " + AlbRuleBudget.MAX_WILDCARDS
                    + " wildcards per rule and each rule needs at least 1 value of its own, so use at most "
                    + (AlbRuleBudget.MAX_VALUES - 1) + " patterns/hosts in total");
            return;
        }
        for (AlbRuleBudget.CarrierRules c : AlbRuleBudget.carriers(routing)) {
            int values = scopeValues + c.maxValues();
            int wildcards = scopeWildcards + c.maxWildcards();
            if (values <= AlbRuleBudget.MAX_VALUES && wildcards <= AlbRuleBudget.MAX_WILDCARDS) {
                continue;
            }
            AlbRuleBudget.CarrierRule worst = c.pin().values().size() >= c.catchAll().values().size() ? c.pin() : c.catchAll();
            StringBuilder msg = new StringBuilder("the ").append(c.carrier()).append(" carrier does not fit in one ALB rule: its ")
                    .append(worst.rule()).append(" would use ");
            if (values > AlbRuleBudget.MAX_VALUES) {
                msg.append(values).append(" condition values (").append(scopeValues).append(" for path patterns/host headers + ")
                        .append(c.maxValues()).append(" for the ").append(c.carrier()).append(")");
            }
            if (wildcards > AlbRuleBudget.MAX_WILDCARDS) {
                msg.append(values > AlbRuleBudget.MAX_VALUES ? " and " : "").append(wildcards).append(" wildcards (")
                        .append(scopeWildcards).append(" in path patterns/host headers + ").append(c.maxWildcards())
                        .append(" for the ").append(c.carrier()).append(")");
            }
            msg.append("; ALB allows ").append(AlbRuleBudget.MAX_VALUES).append(" values and ").append(AlbRuleBudget.MAX_WILDCARDS)
                    .append(" wildcards per rule. Use fewer path patterns/host headers");
            msg.append(c.field().equals("cookie") ? ", or leave the cookie carrier out" : "");
            f.add("spec.routing." + c.field(), msg.toString());
        }
    }

    private static void retention(Findings f, RetentionSpec r) {
        boolean allPositive = positive(f, "spec.retention.default", r.defaultWindow())
                & positive(f, "spec.retention.min", r.min())
                & positive(f, "spec.retention.max", r.max());
        if (allPositive) {
            if (r.min().compareTo(r.max()) > 0) {
                f.add("spec.retention.min", "min (" + format(r.min()) + ") is longer than max (" + format(r.max()) + "); need min <= default <= max");
            } else if (r.defaultWindow().compareTo(r.min()) < 0 || r.defaultWindow().compareTo(r.max()) > 0) {
                f.add("spec.retention.default", format(r.defaultWindow()) + " is outside min..max (" + format(r.min()) + ".." + format(r.max())
                        + "); need min <= default <= max");
            }
        }
        if (r.idleExpiry() != null && r.idleExpiry().compareTo(MIN_IDLE_EXPIRY) < 0) {
            f.add("spec.retention.idleExpiry", format(r.idleExpiry()) + " is too short; idle expiry must be at least "
                    + format(MIN_IDLE_EXPIRY) + " (ALB request counts arrive per minute), or leave it out to disable it");
        }
        if (r.maxVersions() < 1 || r.maxVersions() > MAX_VERSIONS_LIMIT) {
            f.add("spec.retention.maxVersions", r.maxVersions() + " is out of range; allowed 1.." + MAX_VERSIONS_LIMIT
                    + " (every retained version costs a target group, and ALB allows 100 per load balancer)");
        }
    }

    static boolean positive(Findings f, String path, Duration d) {
        if (d.isNegative() || d.isZero()) {
            f.add(path, format(d) + " is not a positive duration; write e.g. 30m, 24h or 7d");
            return false;
        }
        return true;
    }

    private static void release(Findings f, ReleaseSpec r) {
        if (!r.followsLatest() && !Formats.matches(Formats.VERSION_ID, r.live())) {
            f.add("spec.release.live", "'" + r.live() + "' is neither 'latest' nor a version id (1..64 of A-Z a-z 0-9 . _ -)");
        }
        ReleaseSpec.Canary c = r.canary();
        if (c == null) {
            return;
        }
        if (c.version() == null || !Formats.matches(Formats.VERSION_ID, c.version())) {
            f.add("spec.release.canary.version", "'" + c.version() + "' is not a version id (1..64 of A-Z a-z 0-9 . _ -)");
        } else if (c.version().equalsIgnoreCase(r.live())) {
            f.add("spec.release.canary.version", "the canary '" + c.version() + "' is the live version; a canary must be another version "
                    + "(remove the canary to send all unpinned traffic to live)");
        } else if (c.version().equalsIgnoreCase(ReleaseSpec.LATEST_KEYWORD)) {
            f.add("spec.release.canary.version", "'latest' is not a version; name the canary version explicitly");
        }
        if (c.weight() < 0 || c.weight() > 100) {
            f.add("spec.release.canary.weight", c.weight() + " is not a percentage; allowed 0..100");
        }
    }

    private static void local(Findings f, LocalSpec l) {
        if (l.command().isEmpty() || l.command().get(0).isBlank()) {
            f.add("spec.local.command", "give the program and its arguments, e.g. [java, -jar, app.jar]; ${VERSION} and ${PORT} are substituted");
        }
        MetadataRules.envNames(f, "spec.local.env", l.env().keySet());
        if (!l.webBuild().isEmpty()) {
            if (l.webBuild().get(0).isBlank()) {
                f.add("spec.local.webBuild", "give the program and its arguments, e.g. [web/build-version.sh, \"${VERSION}\", \"${OUT}\"]");
            } else if (l.webBuild().stream().noneMatch(a -> a.contains("${OUT}"))) {
                f.add("spec.local.webBuild", "must say where the build goes: pass \"${OUT}\" (the version's web directory) as an argument");
            }
        }
    }
}
