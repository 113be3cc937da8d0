package dev.skewless.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.infra.FrontendStack;
import dev.skewless.model.WebAssets;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@code deploy:web} for real, against S3, SSM and DynamoDB on moto: three releases and a
 * rollback. Nothing is ever deleted; an asset the live build stops using is tagged superseded
 * once (its age restarting then), and a rollback that uses it again clears the tag.
 */
class WebDeployMotoTest {
    private static final String BUCKET = "skewless-shop-web";
    private static final String TABLE = "skewless-shop";

    @TempDir
    Path repo;

    private final Moto moto = Moto.shared();
    private AwsClients aws;
    private String transcript;

    @BeforeEach
    void account() throws IOException {
        moto.reset();
        aws = moto.clients();
        aws.s3().createBucket(b -> b.bucket(BUCKET));
        putParameter("web-bucket", BUCKET);
        putParameter("table", TABLE);
        putParameter("asset-retention-days", "1");
        TableSetup.create(aws.dynamoDb(), TABLE);
        // The App keeps versions up to 7 days (manifests/examples/shop-app.yaml): longer than the bucket's 1 day.
        var app = ManifestReader.read(Path.of("").toAbsolutePath().getParent().resolve("manifests/examples/shop-app.yaml"));
        new DynamoVersionStore(aws.dynamoDb(), aws.dynamoDbStreams(), DynamoStoreConfig.of(TABLE), InstantSource.system())
                .applyApp(((dev.skewless.model.validation.Subject.OfApp) app.subjects().getFirst()).app());
        Files.createDirectories(repo.resolve("infra-cdk"));
    }

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void releasesNeverDeleteAndSupersedeOnlyWhatTheLiveBuildStoppedUsing() throws IOException {
        Path v1 = build("v1", Map.of("assets/app-1111.js", "one", "assets/style-aaaa.css", "body{}", "favicon.ico", "icon"));
        Path v2 = build("v2", Map.of("assets/app-2222.js", "two", "assets/style-aaaa.css", "body{}", "favicon.ico", "icon"));

        deploy("v1", v1, "2026-11-25T10:00:00Z");
        assertThat(keys()).containsExactly("assets/app-1111.js", "assets/style-aaaa.css", "favicon.ico", "index.html");
        assertThat(head("assets/app-1111.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(head("assets/app-1111.js").cacheControl()).isEqualTo(WebAssets.IMMUTABLE);
        assertThat(head("index.html").cacheControl()).isEqualTo(WebAssets.NO_CACHE);
        assertThat(head("favicon.ico").contentType()).isEqualTo("image/x-icon");
        assertThat(keys()).allSatisfy(k -> assertThat(tags(k)).isEmpty());
        assertIndexUploadedLast();
        assertThat(transcript).contains("WARNING: App shop keeps versions up to 7d but superseded web assets expire after 1 day(s)");

        deploy("v2", v2, "2026-11-25T11:00:00Z");
        // v1's script is still there for tabs running v1, now tagged for the lifecycle rule.
        assertThat(keys()).containsExactly("assets/app-1111.js", "assets/app-2222.js", "assets/style-aaaa.css", "favicon.ico", "index.html");
        assertThat(tags("assets/app-1111.js")).isEqualTo(Map.of(FrontendStack.SUPERSEDED_TAG, "true"));
        assertThat(head("assets/app-1111.js").metadata()).containsEntry(Effects.SUPERSEDED_AT, "2026-11-25T11:00:00Z");
        assertThat(head("assets/app-1111.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(head("assets/app-1111.js").cacheControl()).isEqualTo(WebAssets.IMMUTABLE);
        assertThat(body("assets/app-1111.js")).isEqualTo("one");
        assertThat(tags("assets/app-2222.js")).isEmpty();
        assertThat(tags("assets/style-aaaa.css")).as("still used by v2").isEmpty();
        assertThat(body("index.html")).contains("v2");
        assertIndexUploadedLast();

        // The same release again: app-1111 was superseded at 11:00 and stays so (its clock is not restarted).
        deploy("v2", v2, "2026-11-25T12:00:00Z");
        assertThat(head("assets/app-1111.js").metadata()).containsEntry(Effects.SUPERSEDED_AT, "2026-11-25T11:00:00Z");
        assertThat(transcript).doesNotContain("CopyObject");

        // Rolling the web back to v1: its script is live again (untagged), v2's is superseded.
        deploy("v1", v1, "2026-11-25T13:00:00Z");
        assertThat(tags("assets/app-1111.js")).isEmpty();
        assertThat(head("assets/app-1111.js").metadata()).doesNotContainKey(Effects.SUPERSEDED_AT);
        assertThat(tags("assets/app-2222.js")).isEqualTo(Map.of(FrontendStack.SUPERSEDED_TAG, "true"));
        assertThat(body("index.html")).contains("v1");
        assertThat(keys()).hasSize(5);
        assertThat(transcript).doesNotContain("DeleteObject");
    }

    // ---- plumbing ----

    private void deploy(String version, Path dist, String at) {
        StringWriter out = new StringWriter();
        Transcript t = new Transcript(new PrintWriter(out, true), false);
        Deployment d = new Deployment(new Effects(t, repo, aws), t,
                new Deployment.Target("shop", "skewless", repo, List.of(), false), Clock.fixed(Instant.parse(at), ZoneOffset.UTC));
        d.deployWeb(new Deployment.WebRelease(version, Deployment.DEFAULT_WEB_VERSION_ENV, Map.of(), repo.resolve("web"), dist, true));
        transcript = out.toString();
    }

    private void assertIndexUploadedLast() {
        List<String> puts = transcript.lines().filter(l -> l.contains("s3 PutObject")).toList();
        assertThat(puts.getLast()).contains("Key=index.html ");
        assertThat(transcript.indexOf("Key=index.html ")).isLessThan(transcript.indexOf("ListObjectsV2"));
    }

    private Path build(String version, Map<String, String> files) throws IOException {
        Path dist = repo.resolve("builds").resolve(version);
        for (var e : files.entrySet()) {
            Files.createDirectories(dist.resolve(e.getKey()).getParent());
            Files.writeString(dist.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(dist.resolve("index.html"), "<html>" + version + "</html>");
        return dist;
    }

    private void putParameter(String name, String value) {
        aws.ssm().putParameter(b -> b.name("/skewless/shop/" + name).value(value).type(ParameterType.STRING));
    }

    private List<String> keys() {
        return aws.s3().listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().map(o -> o.key()).sorted().toList();
    }

    private HeadObjectResponse head(String key) {
        return aws.s3().headObject(b -> b.bucket(BUCKET).key(key));
    }

    private Map<String, String> tags(String key) {
        return aws.s3().getObjectTagging(b -> b.bucket(BUCKET).key(key)).tagSet().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    private String body(String key) {
        return aws.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }
}
