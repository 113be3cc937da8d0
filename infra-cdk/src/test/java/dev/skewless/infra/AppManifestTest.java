package dev.skewless.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.skewless.model.App;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.RecordValidator;
import dev.skewless.model.validation.Subject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The App record the backend stack writes to {@code /skewless/<app>/app-manifest}, resolved as
 * CloudFormation would after a deployment, is a valid record: it passes the JSON Schema and the
 * same validator {@code skewless apply} runs, and it names the stack's resources.
 */
class AppManifestTest {
    @Test
    void defaultShapeIsAValidAppNamingTheStacksResources() throws Exception {
        Synthesized s = Synthesized.defaults();
        String json = manifest(s.backend, "shop");
        App app = validApp(json);
        assertThat(app.name()).isEqualTo("shop");
        assertThat(app.spec().platform().cluster()).isEqualTo("skewless-shop");
        assertThat(app.spec().platform().subnets()).isEqualTo(OfflineFixture.SUBNETS);
        assertThat(app.spec().platform().securityGroups()).containsExactly(CfnValues.SECURITY_GROUP);
        assertThat(app.spec().platform().executionRoleArn()).startsWith("arn:aws:iam::123456789012:role/VersionExecutionRole");
        assertThat(app.spec().platform().taskRoleArn()).startsWith("arn:aws:iam::123456789012:role/VersionTaskRole");
        assertThat(app.spec().platform().logGroup()).isEqualTo("/skewless/shop");
        assertThat(app.spec().platform().assignPublicIp()).isTrue();
        assertThat(app.spec().router().listenerArn()).isEqualTo(CfnValues.LISTENER_ARN);
        assertThat(app.spec().router().priorities().from()).isEqualTo(1000);
        assertThat(app.spec().router().priorities().to()).isEqualTo(1099);
        assertThat(app.spec().router().pathPatterns()).containsExactly("/api/*");
        assertThat(app.spec().router().ownsListener()).isFalse();
        assertThat(app.spec().router().vpcId()).isEqualTo(OfflineFixture.VPC_ID);
        assertThat(app.spec().router().deregistrationDelay()).hasSeconds(30);
        assertThat(app.metadata().labels()).containsEntry("skewless.dev/stack", "skewless-shop-backend");
        // Release-manager fields are left to their defaults (deploy:backend keeps the stored ones).
        assertThat(new ObjectMapper().readTree(json).path("spec").fieldNames()).toIterable().containsExactly("platform", "router");
    }

    @Test
    void variantWithANewVpcAndHttpsIsAValidAppToo() throws Exception {
        Synthesized s = Synthesized.variant();
        App app = validApp(manifest(s.backend, "checkout"));
        assertThat(app.name()).isEqualTo("checkout");
        assertThat(app.spec().platform().subnets()).hasSize(2).allMatch(id -> id.startsWith("subnet-"));
        String https = s.backend.getResourceId("AWS::ElasticLoadBalancingV2::Listener",
                Map.of("Properties", Match.objectLike(Map.of("Port", 443))));
        assertThat(String.valueOf(manifestValue(s.backend, "checkout"))).contains("{Ref=" + https + "}");
    }

    private static App validApp(String json) throws Exception {
        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(schema().validate(doc)).as("JSON Schema errors").isEmpty();
        Manifests m = ManifestReader.read(json, "app-manifest");
        assertThat(m.problems()).as("reader problems").isEmpty();
        List<Subject> subjects = m.subjects();
        assertThat(RecordValidator.validate(subjects, List.of(), List.of())).as("validator problems").isEmpty();
        assertThat(subjects).singleElement().isInstanceOf(Subject.OfApp.class);
        return ((Subject.OfApp) subjects.getFirst()).app();
    }

    static String manifest(Template backend, String app) {
        return (String) new CfnValues(backend.toJSON()).resolve(manifestValue(backend, app));
    }

    private static Object manifestValue(Template backend, String app) {
        Map<String, Map<String, Object>> found = backend.findResources("AWS::SSM::Parameter", Map.of("Properties",
                Match.objectLike(Map.of("Name", ParameterNames.path(app, ParameterNames.APP_MANIFEST)))));
        assertThat(found).hasSize(1);
        return BackendStackTest.props(found.values().iterator().next()).get("Value");
    }

    private static Schema schema() throws Exception {
        Path file = CdkJson.MODULE.getParent().resolve("manifests/schema/app.schema.json");
        try (InputStream in = Files.newInputStream(file)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }
}
