package dev.skewless.plan.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A small model of how an ALB listener picks an action for a request, written from ALB's
 * documented behaviour and independently of {@link RoutingEvaluator}, to serve as the oracle the
 * evaluator is compared against.
 *
 * <ul>
 *   <li>Rules are evaluated by ascending priority; the first whose conditions all match wins;
 *       if none does, the listener's default action applies.</li>
 *   <li>Conditions of a rule are ANDed; the values of one condition are ORed.</li>
 *   <li>{@code path-pattern}: the path, case-sensitively. {@code host-header}: the host,
 *       case-insensitively; no host matches nothing. {@code http-header}: any value of the named
 *       header against any pattern, case-insensitively. {@code query-string}: any request
 *       key/value pair against any condition pair, case-insensitively, a null key matching any key.</li>
 *   <li>In every pattern {@code *} matches any run of characters (also {@code /} and the empty
 *       run) and {@code ?} exactly one character. Case-insensitive means ASCII letters only.</li>
 * </ul>
 *
 * The model rejects listeners ALB would reject for reasons that change evaluation (duplicate
 * priorities, a rule without conditions, two path or host conditions in one rule). It does not
 * enforce the quota of condition values per rule: the planner checks that on the rendered rules.
 */
public final class AlbListenerModel {

    /**
     * A listener rule.
     *
     * @param priority 1..50000, unique on the listener
     * @param name     what the test calls the rule (for statistics and failure messages)
     */
    public record Rule(int priority, List<RuleCondition> conditions, RouteDecision action, String name) {
        public Rule {
            conditions = List.copyOf(conditions);
            Objects.requireNonNull(action, "action");
        }
    }

    /** The action taken, and the rule that took it (null for the default action). */
    public record Outcome(Rule rule, RouteDecision action) {
        public String name() {
            return rule == null ? "default" : rule.name();
        }
    }

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final List<Rule> rules;
    private final RouteDecision defaultAction;

    public AlbListenerModel(List<Rule> rules, RouteDecision defaultAction) {
        this.defaultAction = Objects.requireNonNull(defaultAction, "defaultAction");
        var priorities = new HashSet<Integer>();
        for (Rule rule : rules) {
            if (rule.priority() < 1 || rule.priority() > 50_000 || !priorities.add(rule.priority())) {
                throw new IllegalArgumentException("bad or duplicate priority " + rule.priority());
            }
            if (rule.conditions().isEmpty()) {
                throw new IllegalArgumentException("rule without conditions: " + rule);
            }
            long paths = rule.conditions().stream().filter(RuleCondition.PathPattern.class::isInstance).count();
            long hosts = rule.conditions().stream().filter(RuleCondition.HostHeader.class::isInstance).count();
            if (paths > 1 || hosts > 1) {
                throw new IllegalArgumentException("more than one path-pattern or host-header condition: " + rule);
            }
        }
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(Rule::priority));
        this.rules = List.copyOf(sorted);
    }

    public Outcome evaluate(HttpRequest request) {
        for (Rule rule : rules) {
            if (matchesAll(rule.conditions(), request)) {
                return new Outcome(rule, rule.action());
            }
        }
        return new Outcome(null, defaultAction);
    }

    static boolean matchesAll(List<RuleCondition> conditions, HttpRequest request) {
        return conditions.stream().allMatch(c -> matches(c, request));
    }

    static boolean matches(RuleCondition condition, HttpRequest request) {
        return switch (condition) {
            case RuleCondition.PathPattern p -> p.values().stream().anyMatch(v -> like(v, request.path(), false));
            case RuleCondition.HostHeader h -> request.host() != null
                    && h.values().stream().anyMatch(v -> like(v, request.host(), true));
            case RuleCondition.HttpHeader h -> request.header(h.name()).stream()
                    .anyMatch(value -> h.values().stream().anyMatch(p -> like(p, value, true)));
            case RuleCondition.QueryString q -> request.query().stream()
                    .anyMatch(param -> q.values().stream().anyMatch(kv ->
                            (kv.key() == null || like(kv.key(), param.key(), true))
                                    && like(kv.value(), param.value(), true)));
        };
    }

    /** ALB wildcard match, via a regular expression ({@code CASE_INSENSITIVE} alone folds ASCII only). */
    static boolean like(String pattern, String text, boolean ignoreCase) {
        Pattern regex = PATTERNS.computeIfAbsent((ignoreCase ? "i:" : "s:") + pattern, key -> {
            StringBuilder re = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            pattern.codePoints().forEach(cp -> {
                if (cp == '*' || cp == '?') {
                    if (!literal.isEmpty()) {
                        re.append(Pattern.quote(literal.toString()));
                        literal.setLength(0);
                    }
                    re.append(cp == '*' ? ".*" : ".");
                } else {
                    literal.appendCodePoint(cp);
                }
            });
            if (!literal.isEmpty()) {
                re.append(Pattern.quote(literal.toString()));
            }
            return Pattern.compile(re.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
        });
        return regex.matcher(text).matches();
    }
}
