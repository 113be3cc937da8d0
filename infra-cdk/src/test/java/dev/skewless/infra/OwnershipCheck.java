package dev.skewless.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the statements of a policy document that would let the controller change something it
 * does not own: an ECS, ELB or Application Auto Scaling mutation without the ownership-tag
 * condition, a wildcard action, or
 * {@code iam:PassRole} on a wildcard resource.
 */
final class OwnershipCheck {
    private OwnershipCheck() {}

    static boolean isMutation(String action) {
        String verb = action.substring(action.indexOf(':') + 1);
        return !(verb.startsWith("Describe") || verb.startsWith("List") || verb.startsWith("Get"));
    }

    /** Every violation, each naming the statement's Sid and the action. */
    @SuppressWarnings("unchecked")
    static List<String> violations(List<Map<String, Object>> statements, String owner) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> s : statements) {
            if (!"Allow".equals(s.get("Effect"))) {
                continue;
            }
            String sid = String.valueOf(s.get("Sid"));
            List<String> actions = asList(s.get("Action")).stream().map(String::valueOf).toList();
            List<Object> resources = asList(s.get("Resource"));
            boolean onEverything = resources.contains("*");
            Map<String, Object> condition = s.get("Condition") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
            Map<String, Object> equals = condition.get("StringEquals") instanceof Map<?, ?> e ? (Map<String, Object>) e : Map.of();
            boolean tagged = owner.equals(equals.get("aws:RequestTag/" + ControllerPolicy.MANAGED_BY))
                    || owner.equals(equals.get("aws:ResourceTag/" + ControllerPolicy.MANAGED_BY));
            for (String action : actions) {
                if (action.contains("*")) {
                    out.add(sid + ": wildcard action " + action);
                    continue;
                }
                boolean ecsOrElb = action.startsWith("ecs:") || action.startsWith("elasticloadbalancing:")
                        || action.startsWith("application-autoscaling:");
                if (ecsOrElb && isMutation(action)) {
                    if (ControllerPolicy.UNSCOPABLE.contains(action)) {
                        if (!ControllerPolicy.UNSCOPABLE.containsAll(actions)) {
                            out.add(sid + ": " + action + " is granted unconditionally, so it must not share a statement with " + actions);
                        }
                    } else if (!tagged) {
                        out.add(sid + ": " + action + (onEverything ? " on *" : "") + " without the " + ControllerPolicy.MANAGED_BY
                                + "=" + owner + " condition");
                    }
                }
                if (action.equals("iam:PassRole")) {
                    for (Object r : resources) {
                        if (r instanceof String str && str.contains("*")) {
                            out.add(sid + ": iam:PassRole on " + str);
                        }
                    }
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        if (o == null) {
            return List.of();
        }
        return o instanceof List<?> l ? (List<Object>) l : List.of(o);
    }
}
