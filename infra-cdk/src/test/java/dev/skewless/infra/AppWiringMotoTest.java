package dev.skewless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.infra.deploy.AwsTestAccess;
import dev.skewless.infra.deploy.Deployment;
import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.PlatformSpec;
import dev.skewless.model.ReleaseSpec;
import dev.skewless.model.RetentionSpec;
import dev.skewless.model.RouterSpec;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last step of {@code deploy:backend}, for real against SSM and DynamoDB on moto, with the App
 * record the synthesized backend stack writes (resolved as CloudFormation would): the first
 * deployment creates the App; later ones update what the stack owns and keep what the release
 * manager set; an unchanged stack writes nothing.
 */
class AppWiringMotoTest {
    @TempDir
    Path repo;

    private AwsTestAccess moto;

    @BeforeEach
    void account() {
        moto = AwsTestAccess.freshAccount(repo);
        moto.createTable("skewless-shop");
        moto.putParameter("/skewless/shop/table", "skewless-shop");
    }

    @AfterEach
    void close() {
        moto.close();
    }

    @Test
    void stackOwnsWhereVersionsRunReleaseManagersOwnTheRest() {
        String fromStack = AppManifestTest.manifest(Synthesized.defaults().backend, "shop");
        moto.putParameter("/skewless/shop/app-manifest", fromStack);
        Deployment deployment = moto.deployment("shop");

        deployment.applyApp();
        assertThat(moto.transcript()).contains("App shop created");
        DynamoVersionStore store = moto.store("skewless-shop");
        App created = store.getApp("shop").orElseThrow();
        assertThat(created.spec().router().listenerArn()).isEqualTo(CfnValues.LISTENER_ARN);
        assertThat(created.spec().platform().cluster()).isEqualTo("skewless-shop");
        assertThat(created.spec().release().live()).isEqualTo("latest");

        // A release manager promotes, widens retention, keeps two tasks per superseded version, adds a host.
        AppSpec s = created.spec();
        PlatformSpec p = s.platform();
        RouterSpec r = s.router();
        store.applyApp(new App(created.metadata(), new AppSpec(
                new PlatformSpec(p.cluster(), p.subnets(), p.securityGroups(), p.executionRoleArn(), p.taskRoleArn(), p.logGroup(),
                        p.assignPublicIp(), 2),
                new RouterSpec(r.listenerArn(), r.priorities(), r.pathPatterns(), List.of("shop.example.com"), r.deregistrationDelay(),
                        r.ownsListener(), r.vpcId()),
                s.routing(), new RetentionSpec(Duration.ofHours(12), Duration.ofMinutes(30), Duration.ofDays(3), null, 5),
                new ReleaseSpec("v2", null), s.local()), null));

        // The stack moves the App to another listener (e.g. HTTPS was turned on).
        String moved = CfnValues.LISTENER_ARN.replace("f2f7dc8efc522ab2", "0123456789abcdef");
        moto.putParameter("/skewless/shop/app-manifest", fromStack.replace(CfnValues.LISTENER_ARN, moved));
        deployment.applyApp();
        assertThat(moto.transcript()).contains("App shop changed");
        App updated = store.getApp("shop").orElseThrow();
        assertThat(updated.spec().router().listenerArn()).isEqualTo(moved);
        assertThat(updated.spec().release().live()).isEqualTo("v2");
        assertThat(updated.spec().retention().max()).isEqualTo(Duration.ofDays(3));
        assertThat(updated.spec().retention().maxVersions()).isEqualTo(5);
        assertThat(updated.spec().platform().retainedDesiredCount()).isEqualTo(2);
        assertThat(updated.spec().router().hostHeaders()).containsExactly("shop.example.com");
        assertThat(updated.metadata().labels()).containsEntry("skewless.dev/stack", "skewless-shop-backend");

        deployment.applyApp();
        assertThat(moto.transcript()).contains("App shop unchanged");
        assertThat(store.getApp("shop").orElseThrow().metadata().generation()).isEqualTo(updated.metadata().generation());
    }
}
