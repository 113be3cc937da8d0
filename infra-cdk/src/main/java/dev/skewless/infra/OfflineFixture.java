package dev.skewless.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What synthesis needs from an AWS account, answered without one: a fixed account and region, and
 * the answers of the context lookups the stacks can make (the default VPC, the region's
 * availability zones, CloudFront's origin-facing prefix list), in the exact shape the cdk CLI would have cached in {@code cdk.context.json}.
 *
 * <p>With {@code -c skewless:offline=true} the app puts these in its context before building the
 * stacks, so {@code cdk synth} and the tests run the same lookup code as a real deployment and
 * never reach AWS. The ids are fake (account 123456789012, like the example manifests) and are
 * never written to {@code cdk.context.json}: a real account's lookups are cached there as usual.
 * See {@code docs/decisions/020-offline-synthesis.md}.
 */
public final class OfflineFixture {
    /** The fixture account. */
    public static final String ACCOUNT = "123456789012";
    /** The fixture region. */
    public static final String REGION = "eu-west-1";
    /** The default VPC the lookup answers with. */
    public static final String VPC_ID = "vpc-0f0e0d0c0b0a09080";
    /** Its public subnets, one per availability zone. */
    public static final List<String> SUBNETS = List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788", "subnet-0c2d4e6f8a0b1c3d5");
    /** CloudFront's origin-facing managed prefix list, as the lookup finds it in the fixture region. */
    public static final String CLOUDFRONT_PREFIX_LIST_ID = "pl-0c1f0a2b";
    /** The region's availability zones. */
    public static final List<String> ZONES = List.of("eu-west-1a", "eu-west-1b", "eu-west-1c");

    private OfflineFixture() {}

    /** The context key under which the cdk CLI caches the default-VPC lookup for the fixture account. */
    public static String defaultVpcKey() {
        return "vpc-provider:account=" + ACCOUNT + ":filter.isDefault=true:region=" + REGION + ":returnAsymmetricSubnets=true";
    }

    /** The context key of the availability-zone lookup for the fixture account. */
    public static String zonesKey() {
        return "availability-zones:account=" + ACCOUNT + ":region=" + REGION;
    }

    /**
     * The context key of the CloudFront origin-facing prefix-list lookup (a Cloud Control lookup;
     * {@code $:$:} is how the key escapes the colons of the type name).
     */
    public static String cloudFrontPrefixListKey() {
        return "cc-api-provider:account=" + ACCOUNT + ":expectedMatchCount=exactly-one:propertiesToReturn.0=PrefixListId"
                + ":propertyMatch.PrefixListName=" + BackendStack.CLOUDFRONT_PREFIX_LIST + ":region=" + REGION
                + ":typeName=AWS$:$:EC2$:$:PrefixList";
    }

    /** The prefix-list lookup's answer for a list id. */
    public static List<Map<String, Object>> prefixListLookup(String prefixListId) {
        return List.of(Map.of("Identifier", prefixListId, "PrefixListId", prefixListId));
    }

    /** Context entries answering the three lookups. */
    public static Map<String, Object> context() {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put(defaultVpcKey(), defaultVpc());
        ctx.put(zonesKey(), ZONES);
        ctx.put(cloudFrontPrefixListKey(), prefixListLookup(CLOUDFRONT_PREFIX_LIST_ID));
        return ctx;
    }

    /** A default VPC as the lookup describes it: 172.31.0.0/16, one public /20 per zone. */
    static Map<String, Object> defaultVpc() {
        List<LookedUpSubnet> subnets = new ArrayList<>();
        for (int i = 0; i < SUBNETS.size(); i++) {
            subnets.add(new LookedUpSubnet(SUBNETS.get(i), "172.31." + (i * 16) + ".0/20", ZONES.get(i)));
        }
        return defaultVpc(VPC_ID, "172.31.0.0/16", subnets);
    }

    /** One public subnet of a looked-up VPC. */
    record LookedUpSubnet(String id, String cidr, String zone) {}

    /**
     * The default-VPC lookup's answer for the given VPC (the fixture's, or in the CloudFormation
     * test the real default VPC of the emulator the stacks are created in).
     */
    static Map<String, Object> defaultVpc(String vpcId, String vpcCidr, List<LookedUpSubnet> publicSubnets) {
        List<Map<String, Object>> subnets = new ArrayList<>();
        for (LookedUpSubnet subnet : publicSubnets) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("subnetId", subnet.id());
            s.put("cidr", subnet.cidr());
            s.put("availabilityZone", subnet.zone());
            s.put("routeTableId", "rtb-0a0b0c0d0e0f01020");
            subnets.add(s);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", "Public");
        group.put("type", "Public");
        group.put("subnets", subnets);
        Map<String, Object> vpc = new LinkedHashMap<>();
        vpc.put("vpcId", vpcId);
        vpc.put("vpcCidrBlock", vpcCidr);
        vpc.put("ownerAccountId", ACCOUNT);
        vpc.put("availabilityZones", List.of());
        vpc.put("subnetGroups", List.of(group));
        return vpc;
    }
}
