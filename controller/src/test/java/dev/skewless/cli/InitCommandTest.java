package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.aws.MotoAccount;
import dev.skewless.model.App;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Subject;
import dev.skewless.plan.OwnershipTags;
import dev.skewless.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/** {@code skewless init} (the table) and {@code init --sandbox} (a cloud on moto), and {@code sandbox register-targets}. */
class InitCommandTest {
    private final Terminal t = new Terminal();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void initCreatesTheTableOnceAndSaysSo() {
        Terminal.Run first = t.run("init");
        Terminal.Run second = t.run("init");

        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).contains("Store: DynamoDB table skewless-cli at " + MotoServer.shared().endpoint())
                .contains("table skewless-cli created (on-demand billing, stream with new and old images, TTL on expiresAtEpoch)")
                .contains("skewless apply -f app.yaml");
        assertThat(second.exit()).isZero();
        assertThat(second.out()).contains("table skewless-cli already exists; checked its stream and TTL");
        assertThat(t.run("get", "apps").exit()).isZero();
    }

    @Test
    void sandboxRefusesWithoutALoopbackEndpoint() {
        Path manifest = dir.resolve("app.yaml");
        t.variables.remove("AWS_ENDPOINT_URL");
        Terminal.Run unset = runWithoutExplicitEndpoint("init", "--sandbox", "--app-manifest", manifest.toString());
        t.variables.put("AWS_ENDPOINT_URL", "https://dynamodb.eu-west-1.amazonaws.com");
        Terminal.Run remote = runWithoutExplicitEndpoint("init", "--sandbox", "--app-manifest", manifest.toString());

        assertThat(unset.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(unset.err()).contains("only runs against a local emulator").contains("AWS_ENDPOINT_URL is not set").contains("Nothing was done");
        assertThat(remote.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(remote.err()).contains("is not a loopback address");
        assertThat(manifest).doesNotExist();
    }

    /** Like {@link Terminal#run} but with AWS settings that name no endpoint, so only the variables say where AWS is. */
    private Terminal.Run runWithoutExplicitEndpoint(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        CliEnvironment env = new CliEnvironment(t.variables, java.io.InputStream::nullInputStream, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true), t.clock, MotoAccount.settings(MotoServer.shared().endpoint()).withEndpoint(null));
        return new Terminal.Run(SkewlessCommand.execute(env, args), out.toString(), err.toString());
    }

    @Test
    void sandboxCreatesTheCloudAndAnAppManifestThatApplies() throws IOException {
        Path manifest = dir.resolve("sandbox/shop-app.yaml");

        Terminal.Run r = t.run("init", "--sandbox", "--app-manifest", manifest.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("table skewless-cli created").contains("Sandbox on " + MotoServer.shared().endpoint())
                .contains("created VPC vpc-").contains("created subnet subnet-").contains("created security group sg-")
                .contains("created load balancer skewless-sandbox").contains("created listener HTTP:80").contains("created ECS cluster skewless-sandbox")
                .contains("Wrote " + manifest).contains("skewless controller").contains("skewless sandbox register-targets --follow")
                .contains("skewless apply -f " + manifest + " -f manifests/examples/shop-v1.yaml");

        Manifests read = ManifestReader.read(manifest);
        assertThat(read.problems()).isEmpty();
        App app = ((Subject.OfApp) read.subjects().getFirst()).app();
        try (Ec2Client ec2 = client(Ec2Client.builder()); ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder());
                EcsClient ecs = client(EcsClient.builder())) {
            assertThat(ec2.describeSubnets(b -> b.subnetIds(app.spec().platform().subnets())).subnets())
                    .allSatisfy(s -> assertThat(s.vpcId()).isEqualTo(app.spec().router().vpcId())).hasSize(2);
            assertThat(ec2.describeSecurityGroups(b -> b.groupIds(app.spec().platform().securityGroups())).securityGroups()).hasSize(1);
            assertThat(elb.describeListeners(b -> b.listenerArns(app.spec().router().listenerArn())).listeners().getFirst().port()).isEqualTo(80);
            assertThat(ecs.describeClusters(b -> b.clusters(app.spec().platform().cluster())).clusters().getFirst().status()).isEqualTo("ACTIVE");
        }

        Terminal.Run apply = t.run("apply", "-f", manifest.toString(), "-f", CliFixtures.V1);
        assertThat(apply.exit()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("App shop created").contains("AppVersion shop/v1 created");

        Terminal.Run again = t.run("init", "--sandbox", "--app-manifest", manifest.toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).doesNotContain("created ").contains("found VPC " + app.spec().router().vpcId())
                .contains("found load balancer skewless-sandbox").contains("found ECS cluster skewless-sandbox");
        assertThat(ManifestReader.read(manifest).subjects().getFirst()).isEqualTo(read.subjects().getFirst());
    }

    @Test
    void registerTargetsFillsOnlyEmptySkewlessTargetGroups() throws IOException {
        Path manifest = dir.resolve("shop-app.yaml");
        t.run("init", "--sandbox", "--app-manifest", manifest.toString());
        t.run("apply", "-f", manifest.toString(), "-f", CliFixtures.V1);
        App app = ((Subject.OfApp) ManifestReader.read(manifest).subjects().getFirst()).app();
        try (ElasticLoadBalancingV2Client elb = client(ElasticLoadBalancingV2Client.builder())) {
            String ours = elb.createTargetGroup(b -> b.name("skw-shop-v1").port(8080).protocol("HTTP").vpcId(app.spec().router().vpcId())
                    .targetType("ip").tags(tag(OwnershipTags.MANAGED_BY, "skewless"), tag(OwnershipTags.APP, "shop"), tag(OwnershipTags.VERSION, "v1")))
                    .targetGroups().getFirst().targetGroupArn();
            String foreign = elb.createTargetGroup(b -> b.name("someone-else").port(80).protocol("HTTP").vpcId(app.spec().router().vpcId())
                    .targetType("ip")).targetGroups().getFirst().targetGroupArn();

            Terminal.Run r = t.run("sandbox", "register-targets");
            Terminal.Run again = t.run("sandbox", "register-targets");

            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("registered 2 made-up task addresses in skw-shop-v1 (shop/v1)");
            assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(ours)).targetHealthDescriptions()).hasSize(2)
                    .allSatisfy(d -> assertThat(d.target().port()).isEqualTo(8080));
            assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(foreign)).targetHealthDescriptions()).isEmpty();
            assertThat(again.out()).isEqualTo("Every skewless target group already has targets.\n");
        }
    }

    @Test
    void registerTargetsRefusesWithoutALoopbackEndpoint() {
        t.variables.put("AWS_ENDPOINT_URL", "http://10.1.2.3:4566");

        Terminal.Run r = runWithoutExplicitEndpoint("sandbox", "register-targets");

        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("sandbox register-targets only runs against an emulator on this machine");
    }

    @Test
    void loopbackAddresses() {
        assertThat(List.of("127.0.0.1", "localhost", "LOCALHOST", "[::1]", "127.1.2.3")).allMatch(Sandbox::isLoopback);
        assertThat(List.of("10.0.0.1", "moto", "localstack", "dynamodb.eu-west-1.amazonaws.com", "[2001:db8::1]", "localhost.example.com"))
                .noneMatch(Sandbox::isLoopback);
    }

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(MotoServer.shared().endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .build();
    }
}
