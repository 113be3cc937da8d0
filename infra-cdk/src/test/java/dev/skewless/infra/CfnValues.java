package dev.skewless.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves the intrinsic functions of a synthesized template as CloudFormation would after a
 * deployment, with made-up physical ids in the fixture account, so a value built from
 * references (the App record) can be checked as the controller will read it.
 */
final class CfnValues {
    static final String LISTENER_ARN =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/skewless-shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    static final String SECURITY_GROUP = "sg-0123456789abcdef0";

    private final Map<String, Object> resources;

    @SuppressWarnings("unchecked")
    CfnValues(Map<String, Object> template) {
        this.resources = (Map<String, Object>) template.get("Resources");
    }

    @SuppressWarnings("unchecked")
    Object resolve(Object node) {
        if (node instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<String, Object> e = ((Map<String, Object>) m).entrySet().iterator().next();
            switch (e.getKey()) {
                case "Ref" -> {
                    return ref((String) e.getValue());
                }
                case "Fn::GetAtt" -> {
                    List<Object> args = (List<Object>) e.getValue();
                    return getAtt((String) args.get(0), (String) args.get(1));
                }
                case "Fn::Join" -> {
                    List<Object> args = (List<Object>) e.getValue();
                    List<String> parts = new ArrayList<>();
                    for (Object part : (List<Object>) resolve(args.get(1))) {
                        parts.add(String.valueOf(resolve(part)));
                    }
                    return String.join((String) args.get(0), parts);
                }
                default -> {
                    // not an intrinsic function: an ordinary one-key object
                }
            }
        }
        if (node instanceof List<?> list) {
            return list.stream().map(this::resolve).toList();
        }
        return node;
    }

    private Object ref(String id) {
        if (id.equals("AWS::Partition")) {
            return "aws";
        }
        if (id.equals("AWS::Region")) {
            return OfflineFixture.REGION;
        }
        if (id.equals("AWS::AccountId")) {
            return OfflineFixture.ACCOUNT;
        }
        return switch (type(id)) {
            case "AWS::ECS::Cluster" -> property(id, "ClusterName");
            case "AWS::Logs::LogGroup" -> property(id, "LogGroupName");
            case "AWS::DynamoDB::Table" -> property(id, "TableName");
            case "AWS::ElasticLoadBalancingV2::Listener" -> LISTENER_ARN;
            case "AWS::EC2::VPC" -> "vpc-00112233445566778";
            case "AWS::EC2::Subnet" -> "subnet-" + String.format("%017x", Math.abs(id.hashCode()));
            default -> throw new IllegalArgumentException("no fixture value for Ref " + id + " (" + type(id) + ")");
        };
    }

    private Object getAtt(String id, String attribute) {
        return switch (type(id) + "." + attribute) {
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + OfflineFixture.ACCOUNT + ":role/" + id;
            case "AWS::EC2::SecurityGroup.GroupId" -> SECURITY_GROUP;
            case "AWS::ECR::Repository.Arn" -> "arn:aws:ecr:eu-west-1:123456789012:repository/" + property(id, "RepositoryName");
            default -> throw new IllegalArgumentException("no fixture value for GetAtt " + id + "." + attribute);
        };
    }

    @SuppressWarnings("unchecked")
    private String type(String id) {
        Map<String, Object> r = (Map<String, Object>) resources.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + id);
        }
        return (String) r.get("Type");
    }

    @SuppressWarnings("unchecked")
    private Object property(String id, String name) {
        Map<String, Object> r = (Map<String, Object>) resources.get(id);
        return ((Map<String, Object>) r.get("Properties")).get(name);
    }
}
