package dev.skewless.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A synthesized template made fit for moto's CloudFormation, by exactly the changes listed here and
 * nothing else. Each change is there because moto (5.2.1) cannot do something CloudFormation does;
 * none hides a defect of the template:
 *
 * <ol>
 *   <li>Resources of a type in {@link #UNSUPPORTED} are removed (moto has no CloudFormation model
 *       for them and would skip them with a warning, or fail on a reference to them). Any other type
 *       is sent as synthesized; {@link CloudFormationMotoTest} checks that moto created every
 *       resource it was sent, so nothing is skipped silently on moto's side either.</li>
 *   <li>A {@code Ref} or {@code Fn::GetAtt} of a removed resource is replaced by the stand-in value
 *       listed in {@link #STAND_INS} (what CloudFormation would have returned, in shape); a
 *       reference without a listed stand-in fails the test. {@code DependsOn} entries naming a
 *       removed resource are dropped.</li>
 *   <li>{@code AWS::SSM::Parameter} {@code Tags}: CloudFormation takes them as a map
 *       ({@code {"key": "value"}}; a list is refused by its schema), moto only as a list of
 *       {@code Key}/{@code Value} pairs (it crashes on the map). The map is rewritten as that list.</li>
 * </ol>
 *
 * <p>The template's {@code BootstrapVersion} parameter (an {@code AWS::SSM::Parameter::Value}
 * defaulting to {@code /cdk-bootstrap/hnb659fds/version}) and its {@code CheckBootstrapVersion}
 * rule are left as synthesized: the test writes that parameter as {@code cdk bootstrap} would, moto
 * resolves it, and moto does not evaluate {@code Rules}. The stacks have no file or image assets
 * (images come from the stack's own ECR repositories), so nothing else depends on the bootstrap stack.
 */
final class MotoTemplate {
    /** Resource types moto's CloudFormation cannot create, and why each is acceptable to leave out here. */
    static final Map<String, String> UNSUPPORTED = new TreeMap<>(Map.ofEntries(
            Map.entry("AWS::EC2::SecurityGroupEgress", "no CloudFormation model in moto; the ALB-to-tasks egress rule "
                    + "is asserted on the template (BackendStackTest)"),
            Map.entry("AWS::CloudFront::Distribution", "moto has CloudFront but no CloudFormation model for it; "
                    + "asserted on the template (FrontendStackTest)"),
            Map.entry("AWS::CloudFront::CachePolicy", "no CloudFormation model in moto"),
            Map.entry("AWS::CloudFront::OriginRequestPolicy", "no CloudFormation model in moto"),
            Map.entry("AWS::CloudFront::ResponseHeadersPolicy", "no CloudFormation model in moto"),
            Map.entry("AWS::CloudFront::OriginAccessControl", "no CloudFormation model in moto"),
            Map.entry("AWS::S3::BucketPolicy", "no CloudFormation model in moto (the bucket itself is created); "
                    + "the policy only lets the distribution, which moto cannot create either, read the bucket")));

    /**
     * What a reference to a removed resource stands for: {@code <type>.Ref} or
     * {@code <type>.<attribute>}, with a value of the shape CloudFormation would return.
     */
    static final Map<String, String> STAND_INS = Map.of(
            "AWS::CloudFront::Distribution.Ref", "E2SKEWLESSMOTO1",
            "AWS::CloudFront::Distribution.DomainName", "d2skewlessmoto1.cloudfront.net");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The template to send, and what was removed from it.
     *
     * @param body    the template body for {@code CreateStack}
     * @param removed logical id of each removed resource, with its type
     */
    record Prepared(String body, Map<String, String> removed) {}

    private MotoTemplate() {}

    @SuppressWarnings("unchecked")
    static Prepared prepare(Map<String, Object> synthesized) {
        Map<String, Object> template = (Map<String, Object>) deepCopy(synthesized);
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        Map<String, String> removed = new TreeMap<>();
        resources.forEach((id, r) -> {
            String type = (String) ((Map<String, Object>) r).get("Type");
            if (UNSUPPORTED.containsKey(type)) {
                removed.put(id, type);
            }
        });
        removed.keySet().forEach(resources::remove);
        Map<String, Object> replaced = (Map<String, Object>) standIn(template, removed);
        Map<String, Object> kept = (Map<String, Object>) replaced.get("Resources");
        kept.values().forEach(r -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            dropDependencies(resource, removed);
            if ("AWS::SSM::Parameter".equals(resource.get("Type"))) {
                Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
                if (props != null && props.get("Tags") instanceof Map<?, ?> tags) {
                    List<Map<String, Object>> list = new ArrayList<>();
                    tags.forEach((k, v) -> list.add(Map.of("Key", k, "Value", v)));
                    props.put("Tags", list);
                }
            }
        });
        try {
            String body = JSON.writeValueAsString(replaced);
            for (String id : removed.keySet()) {
                if (body.contains(id)) {
                    throw new IllegalStateException("removed resource " + id + " is still named in the template "
                            + "(a reference this class does not replace, e.g. in Fn::Sub)");
                }
            }
            return new Prepared(body, removed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object standIn(Object node, Map<String, String> removed) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get("Ref") instanceof String id && removed.containsKey(id)) {
                return standInValue(removed.get(id) + ".Ref", id);
            }
            if (map.size() == 1 && map.get("Fn::GetAtt") instanceof List<?> args && removed.containsKey((String) args.get(0))) {
                return standInValue(removed.get((String) args.get(0)) + "." + args.get(1), (String) args.get(0));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, standIn(v, removed)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> standIn(v, removed)).toList();
        }
        return node;
    }

    private static String standInValue(String key, String id) {
        String value = STAND_INS.get(key);
        if (value == null) {
            throw new IllegalStateException("a kept resource references removed " + id + " (" + key
                    + "): list a stand-in value for it in MotoTemplate.STAND_INS");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static void dropDependencies(Map<String, Object> resource, Map<String, String> removed) {
        Object dependsOn = resource.get("DependsOn");
        if (dependsOn == null) {
            return;
        }
        List<String> names = dependsOn instanceof List<?> l ? (List<String>) l : List.of((String) dependsOn);
        List<String> kept = names.stream().filter(n -> !removed.containsKey(n)).toList();
        if (kept.isEmpty()) {
            resource.remove("DependsOn");
        } else {
            resource.put("DependsOn", kept);
        }
    }

    private static Object deepCopy(Object node) {
        try {
            return JSON.readValue(JSON.writeValueAsString(node), Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
