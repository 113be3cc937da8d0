package dev.skewless.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The exact {@code cdk} argument lists of every deploy command, from its {@code --dry-run} against
 * an account on moto where the stacks' SSM parameters are (or are not) written. Each deploy names
 * one stack with {@code --exclusively} (the frontend depends on the backend, and a plain
 * {@code cdk deploy <frontend>} deploys the backend too), and every call synthesizes the backend
 * with the controller image tag that is deployed, read back from
 * {@code /skewless/<app>/controller-image-tag}, or the one being deployed: never the stacks'
 * default {@code latest}, which is never pushed.
 */
class CdkInvocationTest {
    private static final String CDK = "[dry-run] local (in infra-cdk) infra-cdk/node_modules/.bin/cdk ";
    /** The tag the backend stack wrote when it was last deployed. */
    private static final String DEPLOYED = "3f9a1c0ffee1";

    @TempDir
    Path repo;

    private final Moto moto = Moto.shared();
    private AwsClients aws;

    @BeforeEach
    void account() throws IOException {
        moto.reset();
        aws = moto.clients();
        Files.createDirectories(repo.resolve("infra-cdk/node_modules/.bin"));
        Files.writeString(repo.resolve("infra-cdk/cdk.json"), "{\"app\": \"bin/cdk-app\"}");
        Files.writeString(repo.resolve("infra-cdk/node_modules/.bin/cdk"), "#!/bin/sh\nexit 1\n");
        repo.resolve("infra-cdk/node_modules/.bin/cdk").toFile().setExecutable(true);
        Path dist = Files.createDirectories(repo.resolve("web/dist/assets"));
        Files.writeString(dist.resolve("app-3f9a1c.js"), "console.log('v3')");
        Files.writeString(repo.resolve("web/dist/index.html"), "<script src=/assets/app-3f9a1c.js></script>");
    }

    @AfterEach
    void close() {
        aws.close();
    }

    // ---- both stacks deployed ----

    @Test
    void deployFrontendDeploysOnlyTheFrontendWithTheDeployedControllerTag() {
        deployed();
        assertThat(cdkCalls("deploy:frontend")).containsExactly(
                List.of("deploy", "skewless-shop-frontend", "--exclusively", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=" + DEPLOYED));
    }

    @Test
    void deployBackendDeploysOnlyTheBackendWithTheNewTag() {
        deployed();
        assertThat(cdkCalls("deploy:backend", "--controller-tag", "c0ffee")).containsExactly(
                List.of("deploy", "skewless-shop-backend", "--exclusively", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee"));
    }

    @Test
    void deployGivesTheFrontendTheTagTheBackendStepDeployed() {
        deployed();
        assertThat(cdkCalls("deploy", "--controller-tag", "c0ffee", "--version", "v4", "--skip-web-build", "--yes",
                "-c", "skewless:vpc=new")).containsExactly(
                List.of("deploy", "skewless-shop-backend", "--exclusively", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee", "-c", "skewless:vpc=new", "--require-approval", "never"),
                List.of("deploy", "skewless-shop-frontend", "--exclusively", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee", "-c", "skewless:vpc=new", "--require-approval", "never"));
    }

    @Test
    void deployApiAndDeployWebRunNoCdk() {
        deployed();
        assertThat(cdkCalls("deploy:api", "--version", "v4")).isEmpty();
        assertThat(cdkCalls("deploy:web", "--version", "v4", "--skip-web-build")).isEmpty();
    }

    @Test
    void infraDiffComparesWithTheDeployedTagSoADiffAfterADeployIsEmpty() {
        deployed();
        assertThat(cdkCalls("infra:diff")).containsExactly(
                List.of("diff", "skewless-shop-backend", "skewless-shop-frontend", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=" + DEPLOYED));
    }

    @Test
    void infraSynthSynthesizesWithTheDeployedTag() {
        deployed();
        assertThat(cdkCalls("infra:synth")).containsExactly(
                List.of("synth", "--quiet", "-c", "skewless:app=shop", "-c", "skewless:controllerImageTag=" + DEPLOYED));
        assertThat(cdkCalls("infra:synth", "--offline", "--controller-tag", "c0ffee")).containsExactly(
                List.of("synth", "--quiet", "-c", "skewless:offline=true", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee"));
    }

    @Test
    void destroyDeletesTheFrontendThenTheBackend() {
        deployed();
        assertThat(cdkCalls("destroy")).containsExactly(
                List.of("destroy", "skewless-shop-frontend", "skewless-shop-backend", "--force", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=" + DEPLOYED));
    }

    // ---- nothing deployed yet ----

    @Test
    void aFirstDeployBackendGoesUpWithoutTheControllerThenWithIt() {
        assertThat(cdkCalls("deploy:backend", "--controller-tag", "c0ffee")).containsExactly(
                List.of("deploy", "skewless-shop-backend", "--exclusively", "-c", "skewless:controllerDesiredCount=0",
                        "-c", "skewless:app=shop", "-c", "skewless:controllerImageTag=c0ffee"),
                List.of("deploy", "skewless-shop-backend", "--exclusively", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee"));
    }

    @Test
    void aFirstDeployDeploysTheFrontendWithTheTagItJustDeployed() {
        assertThat(cdkCalls("deploy", "--controller-tag", "c0ffee")).containsExactly(
                List.of("deploy", "skewless-shop-backend", "--exclusively", "-c", "skewless:controllerDesiredCount=0",
                        "-c", "skewless:app=shop", "-c", "skewless:controllerImageTag=c0ffee"),
                List.of("deploy", "skewless-shop-backend", "--exclusively", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee"),
                List.of("deploy", "skewless-shop-frontend", "--exclusively", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee"));
    }

    @Test
    void deployFrontendBeforeTheBackendFailsAndSaysWhy() {
        Run r = run("deploy:frontend");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("/skewless/shop/controller-image-tag").contains("deploy:backend");
        assertThat(r.cdkCalls()).isEmpty();
    }

    @Test
    void diffAndSynthWithNothingDeployedSayWhichTagTheyAssume() {
        Run diff = run("infra:diff", "--controller-tag", "c0ffee");
        assertThat(diff.cdkCalls()).containsExactly(
                List.of("diff", "skewless-shop-backend", "skewless-shop-frontend", "-c", "skewless:app=shop",
                        "-c", "skewless:controllerImageTag=c0ffee"));
        Run synth = run("infra:synth");
        assertThat(synth.cdkCalls()).containsExactly(
                List.of("synth", "--quiet", "-c", "skewless:app=shop", "-c", "skewless:controllerImageTag={git HEAD}"));
        assertThat(synth.out).contains("[dry-run] note  no controller image is deployed (/skewless/shop/controller-image-tag is missing): "
                + "the stacks are synthesized with {git HEAD}, the tag deploy:backend would push");
    }

    // ---- plumbing ----

    /** The stacks' parameters as a deployed backend (tag {@link #DEPLOYED}) and frontend wrote them. */
    private void deployed() {
        Map<String, String> values = Map.ofEntries(
                Map.entry("cluster", "skewless-shop"),
                Map.entry("controller-service", "skewless-controller"),
                Map.entry("controller-repository-uri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/skewless/shop-controller"),
                Map.entry("controller-image-tag", DEPLOYED),
                Map.entry("api-repository-uri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/skewless/shop-api"),
                Map.entry("table", "skewless-shop"),
                Map.entry("listener-arn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/skewless-shop/1/2"),
                Map.entry("web-bucket", "skewless-shop-web"),
                Map.entry("asset-retention-days", "7"));
        values.forEach((name, value) -> aws.ssm().putParameter(b -> b.name("/skewless/shop/" + name).value(value)
                .type(ParameterType.STRING)));
    }

    private List<List<String>> cdkCalls(String... args) {
        Run r = run(args);
        assertThat(r.code).as(r.err).isZero();
        return r.cdkCalls();
    }

    private record Run(int code, String out, String err) {
        /** Every cdk call, as its argument list. */
        List<List<String>> cdkCalls() {
            return out.lines().filter(l -> l.startsWith(CDK)).map(l -> words(l.substring(CDK.length()))).toList();
        }

        /** The words of a printed command line: space-separated, an argument with a space in single quotes. */
        private static List<String> words(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            for (char c : line.toCharArray()) {
                if (c == '\'') {
                    quoted = !quoted;
                } else if (c == ' ' && !quoted) {
                    words.add(word.toString());
                    word.setLength(0);
                } else {
                    word.append(c);
                }
            }
            words.add(word.toString());
            return words;
        }
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--repo", repo.toString(), "--dry-run"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> before = parameters();
        int code = InfraCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), moto::clients);
        assertThat(parameters()).as("a dry run reads the parameters and writes none").isEqualTo(before);
        assertThat(out.toString().lines()).as("every line is a heading or marked dry-run")
                .allMatch(l -> l.startsWith("== ") || l.startsWith("[dry-run] "));
        return new Run(code, out.toString(), err.toString());
    }

    private Map<String, String> parameters() {
        Map<String, String> values = new java.util.TreeMap<>();
        aws.ssm().getParametersByPathPaginator(b -> b.path("/skewless/").recursive(true))
                .forEach(page -> page.parameters().forEach(p -> values.put(p.name(), p.value() + " v" + p.version())));
        return values;
    }
}
