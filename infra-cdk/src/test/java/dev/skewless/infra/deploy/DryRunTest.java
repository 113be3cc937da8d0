package dev.skewless.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Every command's {@code --dry-run}, through the CLI: it prints every AWS call and local command
 * in the order a real run makes them, and makes none. The AWS clients point at a closed port, so
 * the one read a dry run makes (the App's SSM parameters) fails and every value is a stand-in;
 * any other call would fail the command. The repository is a scratch copy whose files must not
 * change (any local command, npm ci or a build, would write there). {@link CdkInvocationTest}
 * runs the dry runs against an account on moto.
 */
class DryRunTest {
    @TempDir
    Path repo;

    private List<String> before;

    @BeforeEach
    void scratchRepository() throws IOException {
        Files.createDirectories(repo.resolve("infra-cdk"));
        Files.writeString(repo.resolve("infra-cdk/cdk.json"), "{\"app\": \"bin/cdk-app\"}");
        Path dist = Files.createDirectories(repo.resolve("web/dist/assets"));
        Files.writeString(dist.resolve("app-3f9a1c.js"), "console.log('v3')");
        Files.writeString(dist.resolve("app-7d2e4b.css"), "body{}");
        Files.writeString(repo.resolve("web/dist/favicon.svg"), "<svg/>");
        Files.writeString(repo.resolve("web/dist/index.html"), "<script src=/assets/app-3f9a1c.js></script>");
        before = tree();
    }

    @Test
    void deployBackendPushesTheControllerImageBeforeTheStackAndAppliesTheAppLast() {
        Run r = run("deploy:backend", "--controller-tag", "c0ffee", "-c", "skewless:vpc=new");
        assertThat(r.code).isZero();
        assertThat(r.lines()).containsSubsequence(
                "[dry-run] aws   ssm GetParametersByPath Path=/skewless/shop/ Recursive=true",
                "[dry-run] aws   ecr DescribeImages repositoryName={name in {/skewless/shop/controller-repository-uri}} imageTag=c0ffee",
                "[dry-run] local docker build --platform linux/amd64 --file controller/Dockerfile "
                        + "--tag {/skewless/shop/controller-repository-uri}:c0ffee .",
                "[dry-run] aws   ecr GetAuthorizationToken",
                "[dry-run] local docker login --username AWS --password-stdin '{registry of {/skewless/shop/controller-repository-uri}}' < (hidden)",
                "[dry-run] local docker push {/skewless/shop/controller-repository-uri}:c0ffee",
                "[dry-run] local (in infra-cdk) infra-cdk/node_modules/.bin/cdk deploy skewless-shop-backend --exclusively -c skewless:app=shop "
                        + "-c skewless:controllerImageTag=c0ffee -c skewless:vpc=new",
                "[dry-run] aws   ssm GetParametersByPath Path=/skewless/shop/ Recursive=true",
                "[dry-run] aws   dynamodb GetItem TableName={/skewless/shop/table} Key=pk=APPS,sk=APP#shop",
                "[dry-run] aws   dynamodb ApplyRecords TableName={/skewless/shop/table} Records=[App shop] "
                        + "Calls=Query, then PutItem/UpdateItem/TransactWriteItems per changed record");
        // The pinned CLI is installed first when missing (the scratch repository has none).
        assertThat(r.lines()).contains("[dry-run] local (in infra-cdk) npm ci --no-audit --no-fund");
        assertNothingHappened(r);
    }

    @Test
    void deployFrontendIsOneCdkDeployOfTheFrontendAlone() {
        Run r = run("deploy:frontend", "--app", "checkout", "--yes");
        assertThat(r.code).isZero();
        assertThat(r.lines()).containsSubsequence(
                "[dry-run] aws   ssm GetParametersByPath Path=/skewless/checkout/ Recursive=true",
                "[dry-run] local (in infra-cdk) infra-cdk/node_modules/.bin/cdk deploy skewless-checkout-frontend --exclusively "
                        + "-c skewless:app=checkout -c skewless:controllerImageTag={/skewless/checkout/controller-image-tag} "
                        + "--require-approval never");
        assertNothingHappened(r);
    }

    @Test
    void aDryRunThatCannotReadTheAccountSaysSoOnceAndShowsStandIns() {
        Run r = run("deploy", "--version", "v4", "--controller-tag", "c0ffee");
        assertThat(r.code).isZero();
        assertThat(r.lines()).filteredOn(l -> l.contains("GetParametersByPath")).hasSizeGreaterThan(1);
        assertThat(r.lines()).filteredOn(l -> l.startsWith("[dry-run] note  (dry run: could not read /skewless/shop/ (")
                && l.endsWith("); every parameter is shown as {/skewless/shop/<name>})")).hasSize(1);
        assertNothingHappened(r);
    }

    @Test
    void deployApiBuildsAndPushesTheVersionTagThenAppliesTheAppVersion() {
        Run r = run("deploy:api", "--version", "2026.11.25-1", "--cpu", "512", "--memory", "1024", "--env", "LOG_LEVEL=info");
        assertThat(r.code).isZero();
        assertThat(r.lines()).containsSubsequence(
                "[dry-run] aws   ssm GetParametersByPath Path=/skewless/shop/ Recursive=true",
                "[dry-run] aws   ecr DescribeImages repositoryName={name in {/skewless/shop/api-repository-uri}} imageTag=2026.11.25-1",
                "[dry-run] local docker build --platform linux/amd64 --file api-service/Dockerfile "
                        + "--tag {/skewless/shop/api-repository-uri}:2026.11.25-1 .",
                "[dry-run] aws   ecr GetAuthorizationToken",
                "[dry-run] local docker push {/skewless/shop/api-repository-uri}:2026.11.25-1",
                "[dry-run] aws   dynamodb ApplyRecords TableName={/skewless/shop/table} Records=[AppVersion shop/2026.11.25-1] "
                        + "Calls=Query, then PutItem/UpdateItem/TransactWriteItems per changed record",
                "[dry-run] note  AppVersion shop/2026.11.25-1 valid (dry run: not applied)");
        assertNothingHappened(r);
    }

    @Test
    void deployApiRefusesABadVersionRecordBeforeBuildingAnything() {
        Run r = run("deploy:api", "--version", "v3", "--cpu", "300", "--env", "9LIVES=yes");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("2 problems").contains("spec.cpu: 300 is not a Fargate CPU size")
                .contains("spec.env[\"9LIVES\"]: '9LIVES' is not an environment variable name");
        assertThat(r.out).doesNotContain("docker").doesNotContain("ApplyRecords");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void deployApiRefusesIncompleteAutoscalingWithItsFieldPathsBeforeBuildingAnything() {
        Run r = run("deploy:api", "--version", "v3", "--min-count", "3", "--max-count", "2");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("2 problems").contains("spec.autoscaling.maxCount: 2 is below minCount 3")
                .contains("spec.autoscaling: no target; give exactly one of cpuPercent");
        assertThat(r.out).doesNotContain("docker").doesNotContain("ApplyRecords");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void deployApiWithAutoscalingAppliesAValidVersion() {
        Run r = run("deploy:api", "--version", "v4", "--min-count", "2", "--max-count", "6", "--cpu-target", "60");
        assertThat(r.code).isZero();
        assertThat(r.lines()).contains("[dry-run] note  AppVersion shop/v4 valid (dry run: not applied)");
        assertNothingHappened(r);
    }

    @Test
    void deployWebUploadsAssetsFirstAndIndexLastAndNeverDeletes() {
        Run r = run("deploy:web", "--version", "v3", "--web-env", "VITE_API_SCHEMA=v2");
        assertThat(r.code).isZero();
        String put = "[dry-run] aws   s3 PutObject Bucket={/skewless/shop/web-bucket} Key=";
        assertThat(r.lines()).containsSubsequence(
                "[dry-run] aws   ssm GetParametersByPath Path=/skewless/shop/ Recursive=true",
                "[dry-run] local (in web) npm ci --no-audit --no-fund",
                "[dry-run] local (in web) VITE_API_SCHEMA=v2 VITE_DEPLOYMENT_ID=v3 npm run build",
                put + "assets/app-3f9a1c.js ContentType=text/javascript; charset=utf-8 CacheControl=public, max-age=31536000, immutable",
                put + "assets/app-7d2e4b.css ContentType=text/css; charset=utf-8 CacheControl=public, max-age=31536000, immutable",
                put + "favicon.svg ContentType=image/svg+xml CacheControl=no-cache",
                put + "index.html ContentType=text/html; charset=utf-8 CacheControl=no-cache",
                "[dry-run] aws   s3 ListObjectsV2 Bucket={/skewless/shop/web-bucket} Prefix=assets/",
                "[dry-run] aws   s3 CopyObject Bucket={/skewless/shop/web-bucket} Key=<each object under assets/> "
                        + "CopySource={/skewless/shop/web-bucket}/<each object under assets/> MetadataDirective=REPLACE "
                        + "TaggingDirective=REPLACE Tagging=skewless.dev/superseded=true");
        // index.html is the last upload.
        List<String> puts = r.lines().stream().filter(l -> l.startsWith(put)).toList();
        assertThat(puts.getLast()).startsWith(put + "index.html ");
        assertThat(r.lines()).filteredOn(l -> l.startsWith("[dry-run] aws ")).noneMatch(l -> l.contains("Delete"));
        assertNothingHappened(r);
    }

    @Test
    void infraSynthAndDiffRunTheCdkCliWithTheAppsContext() {
        Run synth = run("infra:synth", "--offline", "-c", "skewless:maxRetention=3d");
        assertThat(synth.code).isZero();
        assertThat(synth.lines()).contains("[dry-run] local (in infra-cdk) infra-cdk/node_modules/.bin/cdk synth --quiet "
                + "-c skewless:offline=true -c skewless:app=shop -c 'skewless:controllerImageTag={git HEAD}' -c skewless:maxRetention=3d");
        // Offline, nothing deployed is read: the tag is the commit deploy:backend would push, and it says so.
        assertThat(synth.lines()).containsSubsequence("[dry-run] local git rev-parse --short=12 HEAD",
                "[dry-run] note  offline, nothing deployed is read: the stacks are synthesized with {git HEAD}, "
                        + "the tag deploy:backend would push");
        Run diff = run("infra:diff", "--app", "checkout");
        assertThat(diff.lines()).contains("[dry-run] local (in infra-cdk) infra-cdk/node_modules/.bin/cdk diff skewless-checkout-backend "
                + "skewless-checkout-frontend -c skewless:app=checkout -c skewless:controllerImageTag={/skewless/checkout/controller-image-tag}");
        assertNothingHappened(synth);
        assertNothingHappened(diff);
    }

    @Test
    void destroyStopsTheControllerRemovesItsResourcesInOrderThenTheStacks() {
        Run r = run("destroy");
        assertThat(r.code).isZero();
        assertThat(r.lines()).containsSubsequence(
                "[dry-run] aws   ecs UpdateService cluster={/skewless/shop/cluster} service={/skewless/shop/controller-service} desiredCount=0",
                "[dry-run] aws   ecs DeleteService cluster={/skewless/shop/cluster} service=<each service of shop tagged "
                        + "skewless.dev/managed-by=skewless> force=true",
                "[dry-run] aws   elbv2 DeleteRule RuleArn=<each rule of shop tagged skewless.dev/managed-by=skewless>",
                "[dry-run] aws   elbv2 DeleteTargetGroup TargetGroupArn=<each target group of shop tagged skewless.dev/managed-by=skewless>",
                "[dry-run] aws   ecs DeregisterTaskDefinition taskDefinition=<each task definition of shop tagged skewless.dev/managed-by=skewless>",
                "[dry-run] local (in infra-cdk) infra-cdk/node_modules/.bin/cdk destroy skewless-shop-frontend skewless-shop-backend --force "
                        + "-c skewless:app=shop -c skewless:controllerImageTag={/skewless/shop/controller-image-tag}");
        assertNothingHappened(r);
    }

    @Test
    void aRealDestroyWithoutYesDoesNothingAndSaysWhy() {
        Run r = run(false, "destroy");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("run it again with --yes");
        assertThat(r.out).isEmpty();
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void deployWithAVersionReleasesEverythingInOrder() {
        Run r = run("deploy", "--version", "v4", "--controller-tag", "c0ffee");
        assertThat(r.code).isZero();
        assertThat(r.lines().stream().filter(l -> l.startsWith("== ")).toList()).containsExactly(
                "== backend: skewless-shop-backend", "== frontend: skewless-shop-frontend", "== api shop/v4", "== web shop/v4");
        assertNothingHappened(r);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("deploy", "deploy:backend", "deploy:frontend", "deploy:api", "deploy:web", "infra:diff",
                "infra:synth", "destroy")) {
            Run r = run(false, command, "--help");
            assertThat(r.code).as(command).isZero();
            assertThat(r.out).as(command).startsWith("Usage: skewless " + command).contains("--dry-run");
        }
    }

    @Test
    void badOptionsAreRefusedWithUsage() {
        assertThat(run("deploy:web", "--version", "latest").code).isEqualTo(2);
        assertThat(run("deploy:api").err).contains("Missing required option: '--version=<version>'");
        assertThat(run("deploy:frontend", "-c", "novalue").err).contains("--context 'novalue' is not KEY=VALUE");
    }

    // ---- plumbing ----

    private record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run run(String... args) {
        return run(true, args);
    }

    private Run run(boolean dryRun, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--repo", repo.toString()));
        if (dryRun) {
            all.add("--dry-run");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Any AWS call would go to a closed port and fail the command.
        int code = InfraCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
                () -> new AwsClients(URI.create("http://127.0.0.1:9"), Region.EU_WEST_1,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("none", "none"))));
        return new Run(code, out.toString(), err.toString());
    }

    private void assertNothingHappened(Run r) {
        assertThat(r.err).as("stderr").isEmpty();
        assertThat(r.lines()).as("every line is a heading or marked dry-run")
                .allMatch(l -> l.startsWith("== ") || l.startsWith("[dry-run] "));
        assertThat(tree()).as("no local command ran in the repository").isEqualTo(before);
    }

    private List<String> tree() {
        try (Stream<Path> walk = Files.walk(repo)) {
            return walk.map(p -> repo.relativize(p) + (Files.isDirectory(p) ? "/" : " " + p.toFile().length())).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
