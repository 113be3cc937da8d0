package dev.skewless.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A synthesized template made fit for moto's CloudFormation, by exactly the changes listed here and
 * nothing else. Each change is there because moto (5.2.1) cannot do something CloudFormation does;
 * none hides a defect of the template:
 *
 * <ol>
 *   <li>Resources {@link #UNSUPPORTED} lists (by type, or by type and a property) are removed: moto
 *       has no CloudFormation model for them and would skip them with a warning, or its model fails
 *       on them. Everything else is sent as synthesized; {@link CloudFormationMotoTest} checks that moto created every
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
 * resolves it, and moto does not evaluate {@code Rules}. The only asset is the code of the custom
 * resource that strips a new VPC's default security group (images come from the stack's own ECR
 * repositories): the test publishes no assets, so that function and its custom resource are listed
 * below; nothing else depends on the bootstrap stack.
 */
final class MotoTemplate {
    /**
     * A kind of resource moto's CloudFormation cannot create.
     *
     * @param type   the resource type
     * @param when   which of them, in words (empty when the whole type)
     * @param which  which of them, as a test of the resource's properties
     * @param reason why leaving them out here is acceptable
     */
    record Unsupported(String type, String when, Predicate<Map<String, Object>> which, String reason) {
        static Unsupported all(String type, String reason) {
            return new Unsupported(type, "", props -> true, reason);
        }

        boolean matches(String resourceType, Map<String, Object> properties) {
            return type.equals(resourceType) && which.test(properties == null ? Map.of() : properties);
        }

        @Override
        public String toString() {
            return when.isEmpty() ? type : type + " " + when;
        }
    }

    /** What moto's CloudFormation cannot create, and why each is acceptable to leave out here. */
    static final List<Unsupported> UNSUPPORTED = List.of(
            Unsupported.all("AWS::EC2::SecurityGroupEgress", "no CloudFormation model in moto; the ALB-to-tasks "
                    + "egress rule is asserted on the template (BackendStackTest)"),
            new Unsupported("AWS::EC2::SecurityGroupIngress", "from a prefix list", p -> p.containsKey("SourcePrefixListId"),
                    "moto's model accepts only a CIDR or a group as the source; the CloudFront prefix-list rule is asserted "
                            + "on the template (BackendStackTest, AlbAccessTest)"),
            Unsupported.all("AWS::WAFv2::WebACL", "no CloudFormation model in moto (nor a WAFv2 emulation); the "
                    + "origin-header check is asserted on the template (BackendStackTest, AlbAccessTest)"),
            Unsupported.all("AWS::WAFv2::WebACLAssociation", "no CloudFormation model in moto"),
            Unsupported.all("AWS::SecretsManager::Secret", "no CloudFormation model in moto; only the web ACL and "
                    + "CloudFront, both left out too, read the origin secret"),
            Unsupported.all("AWS::CloudFront::Distribution", "moto has CloudFront but no CloudFormation model for it; "
                    + "asserted on the template (FrontendStackTest)"),
            Unsupported.all("AWS::CloudFront::CachePolicy", "no CloudFormation model in moto"),
            Unsupported.all("AWS::CloudFront::OriginRequestPolicy", "no CloudFormation model in moto"),
            Unsupported.all("AWS::CloudFront::ResponseHeadersPolicy", "no CloudFormation model in moto"),
            Unsupported.all("AWS::CloudFront::OriginAccessControl", "no CloudFormation model in moto"),
            Unsupported.all("AWS::S3::BucketPolicy", "no CloudFormation model in moto (the bucket itself is created); "
                    + "the policy only lets the distribution, which is left out too, read the bucket"),
            new Unsupported("AWS::Lambda::Function", "with its code in the CDK bootstrap's asset bucket",
                    p -> p.get("Code") instanceof Map<?, ?> code && String.valueOf(code.get("S3Bucket")).startsWith("cdk-"),
                    "a file asset that `cdk deploy` uploads to the bootstrap bucket first; the one such function is the "
                            + "handler of the custom resource below"),
            Unsupported.all("Custom::VpcRestrictDefaultSG", "a Lambda-backed custom resource (the new VPC's default "
                    + "security group loses its rules): moto would run the function in a container"));

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
     * @param sent    logical id of each resource in it
     * @param removed logical id of each removed resource, with its type
     * @param matched the entries of {@link #UNSUPPORTED} that removed something
     */
    record Prepared(String body, Set<String> sent, Map<String, String> removed, Set<Unsupported> matched) {}

    private MotoTemplate() {}

    @SuppressWarnings("unchecked")
    static Prepared prepare(Map<String, Object> synthesized) {
        Map<String, Object> template = (Map<String, Object>) deepCopy(synthesized);
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        Map<String, String> removed = new TreeMap<>();
        Set<Unsupported> matched = new LinkedHashSet<>();
        resources.forEach((id, r) -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            String type = (String) resource.get("Type");
            Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
            UNSUPPORTED.stream().filter(u -> u.matches(type, props)).findFirst().ifPresent(u -> {
                removed.put(id, type);
                matched.add(u);
            });
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
            return new Prepared(body, Set.copyOf(kept.keySet()), removed, matched);
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
