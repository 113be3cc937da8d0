package dev.skewless.model.validation;

import static dev.skewless.model.DurationText.format;

import dev.skewless.model.AppVersion;
import dev.skewless.model.AppVersionSpec;
import dev.skewless.model.AutoscalingSpec;
import dev.skewless.model.HealthCheckSpec;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks of one AppVersion on its own. Paths are relative to the record ({@code spec.cpu}). */
final class VersionRules {
    static final int MAX_IMAGE = 255;
    static final int MAX_HEALTH_PATH = 1024;
    static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(300);
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(120);
    /** ALB requests per task per minute: far above what one task serves, low enough to catch typos. */
    static final int MAX_REQUESTS_PER_TARGET = 100_000;
    static final Duration MAX_COOLDOWN = Duration.ofHours(1);

    private VersionRules() {}

    static List<Problem> check(AppVersion v) {
        Findings f = new Findings();
        MetadataRules.versionId(f, "metadata.name", v.id());
        MetadataRules.appName(f, "spec.app", v.app());
        MetadataRules.labels(f, v.metadata().labels());
        AppVersionSpec s = v.spec();
        if (s.image().isBlank()) {
            f.add("spec.image", "give the container image, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:" + v.id());
        } else if (s.image().length() > MAX_IMAGE || s.image().chars().anyMatch(Character::isWhitespace)) {
            f.add("spec.image", "'" + s.image() + "' is not an image reference; at most " + MAX_IMAGE + " characters and no spaces");
        }
        size(f, s.cpu(), s.memory());
        if (s.desiredCount() < 1 || s.desiredCount() > AppRules.MAX_TASKS) {
            f.add("spec.desiredCount", s.desiredCount() + " is out of range; run 1.." + AppRules.MAX_TASKS + " tasks");
        }
        if (s.containerPort() < 1 || s.containerPort() > 65535) {
            f.add("spec.containerPort", s.containerPort() + " is not a port; allowed 1..65535");
        }
        MetadataRules.envNames(f, "spec.env", s.env().keySet());
        MetadataRules.envNames(f, "spec.secrets", s.secrets().keySet());
        for (String name : new TreeSet<>(s.secrets().keySet())) {
            String arn = s.secrets().get(name);
            String path = "spec.secrets" + FieldPaths.key(name);
            if (!Formats.matches(Formats.SECRETS_MANAGER_ARN, arn) && !Formats.matches(Formats.SSM_PARAMETER_ARN, arn)) {
                f.add(path, "'" + arn + "' is not a Secrets Manager or SSM parameter ARN; expected "
                        + "arn:aws:secretsmanager:<region>:<account>:secret:<name> or arn:aws:ssm:<region>:<account>:parameter/<name>");
            }
            if (s.env().containsKey(name)) {
                f.add(path, name + " is set in both env and secrets; ECS needs each variable once, so remove one of them");
            }
        }
        healthCheck(f, s.healthCheck());
        if (s.retention() != null) {
            AppRules.positive(f, "spec.retention", s.retention());
        }
        if (s.autoscaling() != null) {
            autoscaling(f, s.autoscaling());
        }
        return f.toList();
    }

    private static void autoscaling(Findings f, AutoscalingSpec a) {
        String p = "spec.autoscaling.";
        boolean minOk = a.minCount() >= 1 && a.minCount() <= AppRules.MAX_TASKS;
        boolean maxOk = a.maxCount() >= 1 && a.maxCount() <= AppRules.MAX_TASKS;
        if (!minOk) {
            // At least one: a live version scaled to zero would answer every request 503.
            f.add(p + "minCount", a.minCount() + " is out of range; run 1.." + AppRules.MAX_TASKS + " tasks at least");
        }
        if (!maxOk) {
            f.add(p + "maxCount", a.maxCount() + " is out of range; run 1.." + AppRules.MAX_TASKS + " tasks at most");
        }
        if (minOk && maxOk && a.minCount() > a.maxCount()) {
            f.add(p + "maxCount", a.maxCount() + " is below minCount " + a.minCount() + "; maxCount must be at least minCount");
        }
        if (a.cpuPercent() == null && a.requestsPerTarget() == null) {
            f.add("spec.autoscaling", "no target; give exactly one of cpuPercent (e.g. 60) or requestsPerTarget (e.g. 1000)");
        } else if (a.cpuPercent() != null && a.requestsPerTarget() != null) {
            f.add("spec.autoscaling", "both cpuPercent and requestsPerTarget are set; a version tracks exactly one target, remove one");
        }
        if (a.cpuPercent() != null && (a.cpuPercent() < 1 || a.cpuPercent() > 100)) {
            f.add(p + "cpuPercent", a.cpuPercent() + " is out of range; allowed 1..100 percent");
        }
        if (a.requestsPerTarget() != null && (a.requestsPerTarget() < 1 || a.requestsPerTarget() > MAX_REQUESTS_PER_TARGET)) {
            f.add(p + "requestsPerTarget", a.requestsPerTarget() + " is out of range; allowed 1.." + MAX_REQUESTS_PER_TARGET
                    + " requests per task per minute");
        }
        cooldown(f, p + "scaleInCooldown", a.scaleInCooldown());
        cooldown(f, p + "scaleOutCooldown", a.scaleOutCooldown());
    }

    private static void cooldown(Findings f, String path, Duration d) {
        if (d.isNegative() || d.compareTo(MAX_COOLDOWN) > 0 || d.getNano() != 0) {
            f.add(path, format(d) + " is not allowed; use whole seconds from 0s to " + format(MAX_COOLDOWN));
        }
    }

    private static void size(Findings f, int cpu, int memory) {
        if (!FargateSizes.isCpuSize(cpu)) {
            List<Integer> fitting = FargateSizes.cpusAllowing(memory);
            f.add("spec.cpu", cpu + " is not a Fargate CPU size; use one of " + join(FargateSizes.cpuSizes())
                    + (fitting.isEmpty() ? "" : " (with memory " + memory + ": " + join(fitting) + ")"));
        } else if (!FargateSizes.isValid(cpu, memory)) {
            f.add("spec.memory", memory + " MiB does not fit cpu " + cpu + " on Fargate; with cpu " + cpu + " use "
                    + FargateSizes.describeMemory(cpu) + " MiB");
        }
    }

    private static void healthCheck(Findings f, HealthCheckSpec h) {
        String p = "spec.healthCheck.";
        if (!h.path().startsWith("/") || h.path().length() > MAX_HEALTH_PATH || h.path().chars().anyMatch(Character::isWhitespace)) {
            f.add(p + "path", "'" + h.path() + "' is not a health check path; it must start with '/' (e.g. /health), without spaces, at most "
                    + MAX_HEALTH_PATH + " characters");
        }
        boolean intervalOk = seconds(f, p + "interval", h.interval(), MIN_INTERVAL, MAX_INTERVAL);
        boolean timeoutOk = seconds(f, p + "timeout", h.timeout(), MIN_TIMEOUT, MAX_TIMEOUT);
        if (intervalOk && timeoutOk && h.timeout().compareTo(h.interval()) >= 0) {
            f.add(p + "timeout", format(h.timeout()) + " is not shorter than the interval (" + format(h.interval())
                    + "); ALB needs timeout < interval");
        }
        threshold(f, p + "healthyThreshold", h.healthyThreshold());
        threshold(f, p + "unhealthyThreshold", h.unhealthyThreshold());
        if (!validMatcher(h.matcher())) {
            f.add(p + "matcher", "'" + h.matcher() + "' is not an HTTP code matcher; write codes 200..499 like 200, 200-299 or 200,302");
        }
    }

    private static boolean seconds(Findings f, String path, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0 || d.getNano() != 0) {
            f.add(path, format(d) + " is not allowed; use whole seconds from " + format(min) + " to " + format(max));
            return false;
        }
        return true;
    }

    private static void threshold(Findings f, String path, int n) {
        if (n < 2 || n > 10) {
            f.add(path, n + " is out of range; allowed 2..10 consecutive checks");
        }
    }

    private static boolean validMatcher(String m) {
        if (!Formats.matches(Formats.MATCHER, m)) {
            return false;
        }
        for (String part : m.split(",")) {
            String[] bounds = part.split("-");
            int low = Integer.parseInt(bounds[0]);
            int high = bounds.length == 2 ? Integer.parseInt(bounds[1]) : low;
            if (low < 200 || high > 499 || low > high) {
                return false;
            }
        }
        return true;
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
