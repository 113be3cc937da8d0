package dev.skewless.model.validation;

import dev.skewless.model.App;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether one App's requests can never reach it because another App on the same listener takes
 * them first (decision 032).
 *
 * <p>ALB evaluates a listener's rules by priority, and every App's rules, its catch-all
 * included, are scoped by its host and path patterns: an App with rules claims every request
 * its scope matches. Apps on one listener have priority ranges that do not overlap, so the App
 * with the lower range is evaluated first. The App evaluated later is <em>shadowed</em> where
 * the earlier App's scope includes its own:
 *
 * <ul>
 *   <li>whole, when its hosts are included in the earlier App's hosts and its paths in the earlier
 *       App's paths;</li>
 *   <li>one path pattern, when its hosts are included and that pattern is;</li>
 *   <li>one host pattern, when its paths are included and that host is.</li>
 * </ul>
 *
 * No host patterns means every host, no path patterns every path. Inclusion is ALB pattern
 * inclusion decided exactly ({@link GlobPatterns}): {@code /api/*} includes {@code /api/v1/*}
 * and {@code /api/v?}; a pattern counts as included when the other App's patterns together match
 * everything it matches. Paths compare case-sensitively, hosts ignoring case.
 *
 * <p>A partial overlap where neither includes the other (say {@code /a*} and {@code *}{@code /b})
 * is not shadowing: both Apps receive requests, and the shared ones go to the App evaluated
 * first, which is what ordered ranges mean. Nesting with the more specific App first
 * ({@code /api/v1/*} at priorities 100-199, {@code /api/*} at 200-299) is allowed for the same
 * reason. Apps whose ranges overlap, or one of which owns the listener, are refused by other
 * checks and not compared here.
 */
public final class AppShadowing {
    /**
     * How {@code shadowed} loses requests to {@code by}.
     *
     * @param shadowed the App evaluated later
     * @param by       the App evaluated first
     * @param paths    field paths of {@code shadowed}'s patterns that never receive a request
     *                 ({@code spec.router} when the whole App is shadowed)
     * @param summary  a sentence naming both Apps and the patterns
     */
    public record Shadow(App shadowed, App by, List<String> paths, String summary) {
        public Shadow {
            paths = List.copyOf(paths);
        }

        /** Whether every request of {@link #shadowed()} goes to {@link #by()}. */
        public boolean whole() {
            return paths.equals(List.of("spec.router"));
        }
    }

    private AppShadowing() {}

    /** The shadow between two Apps, whichever is evaluated later; empty when none is shadowed or they are not comparable. */
    public static Optional<Shadow> between(App x, App y) {
        RouterSpec rx = x.spec().router();
        RouterSpec ry = y.spec().router();
        if (x.name().equals(y.name()) || !rx.listenerArn().equals(ry.listenerArn()) || rx.ownsListener() || ry.ownsListener()) {
            return Optional.empty();
        }
        PriorityRange px = rx.priorities();
        PriorityRange py = ry.priorities();
        if (px.size() == 0 || py.size() == 0 || px.overlaps(py)) {
            return Optional.empty();
        }
        return px.from() < py.from() ? shadowedBy(y, x) : shadowedBy(x, y);
    }

    /** How {@code later} is shadowed by {@code first}, which ALB evaluates before it. */
    static Optional<Shadow> shadowedBy(App later, App first) {
        RouterSpec l = later.spec().router();
        RouterSpec f = first.spec().router();
        List<String> firstHosts = orAll(f.hostHeaders());
        List<String> firstPaths = orAll(f.pathPatterns());
        List<String> laterHosts = orAll(l.hostHeaders());
        List<String> laterPaths = orAll(l.pathPatterns());
        boolean hostsIncluded = laterHosts.stream().allMatch(h -> GlobPatterns.covers(firstHosts, h, true));
        boolean pathsIncluded = laterPaths.stream().allMatch(p -> GlobPatterns.covers(firstPaths, p, false));
        String whose = "App " + first.name() + " (priorities " + f.priorities() + ", evaluated first, hosts "
                + describe(f.hostHeaders(), "any") + ", paths " + describe(f.pathPatterns(), "any") + ")";
        if (hostsIncluded && pathsIncluded) {
            return Optional.of(new Shadow(later, first, List.of("spec.router"), "every request of App " + later.name() + " (hosts "
                    + describe(l.hostHeaders(), "any") + ", paths " + describe(l.pathPatterns(), "any") + ") is matched first by " + whose));
        }
        List<String> paths = new ArrayList<>();
        List<String> what = new ArrayList<>();
        if (hostsIncluded) {
            for (int i = 0; i < l.pathPatterns().size(); i++) {
                if (GlobPatterns.covers(firstPaths, l.pathPatterns().get(i), false)) {
                    paths.add("spec.router.pathPatterns[" + i + "]");
                    what.add("path '" + l.pathPatterns().get(i) + "'");
                }
            }
        }
        if (pathsIncluded) {
            for (int i = 0; i < l.hostHeaders().size(); i++) {
                if (GlobPatterns.covers(firstHosts, l.hostHeaders().get(i), true)) {
                    paths.add("spec.router.hostHeaders[" + i + "]");
                    what.add("host '" + l.hostHeaders().get(i) + "'");
                }
            }
        }
        if (paths.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Shadow(later, first, paths, "requests of App " + later.name() + " for " + String.join(", ", what)
                + " are matched first by " + whose));
    }

    private static List<String> orAll(List<String> patterns) {
        return patterns.isEmpty() ? List.of("*") : patterns;
    }

    private static String describe(List<String> patterns, String none) {
        return patterns.isEmpty() ? none : String.join(" ", patterns);
    }
}
