package dev.skewless.infra;

import dev.skewless.model.validation.ValidationException;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: the backend stack and the frontend stack of one App. The cdk CLI runs it through
 * {@code bin/cdk-app} (see {@code cdk.json}).
 *
 * <p>Context keys are described by {@link InfraSettings}; {@code skewless:offline=true} synthesizes
 * for the fixture account with the lookups answered by {@link OfflineFixture}, so no AWS account
 * is needed (what CI and the tests do).
 */
public final class SkewlessInfraApp {
    /** Context key that switches to the offline fixture. */
    public static final String OFFLINE = InfraSettings.PREFIX + "offline";

    /** Both stacks of one App. */
    public record Stacks(BackendStack backend, FrontendStack frontend) {}

    private SkewlessInfraApp() {}

    public static void main(String[] args) {
        App app = new App();
        try {
            define(app);
        } catch (ValidationException e) {
            System.err.println("skewless infra: " + e.getMessage());
            e.problems().forEach(p -> System.err.println("  " + p));
            System.exit(2);
        }
        app.synth();
    }

    /** A new app with the given context (tests and the benchmark; the CLI passes context itself). */
    public static App newApp(Map<String, Object> context) {
        return new App(AppProps.builder().context(context).build());
    }

    /** A new app that writes its cloud assembly to {@code outdir}. */
    public static App newApp(Map<String, Object> context, String outdir) {
        return new App(AppProps.builder().context(context).outdir(outdir).build());
    }

    /**
     * Adds both stacks to {@code app}, reading the settings from its context.
     *
     * @throws ValidationException listing every bad context value
     */
    public static Stacks define(App app) {
        boolean offline = "true".equalsIgnoreCase(String.valueOf(app.getNode().tryGetContext(OFFLINE)));
        if (offline) {
            // Only before any construct exists may context be set; lookups below then find it.
            OfflineFixture.context().forEach((k, v) -> {
                if (app.getNode().tryGetContext(k) == null) {
                    app.getNode().setContext(k, v);
                }
            });
        }
        InfraSettings settings = InfraSettings.fromContext(key -> app.getNode().tryGetContext(InfraSettings.PREFIX + key));
        Environment env = environment(app, offline);
        StackProps props = StackProps.builder().env(env)
                .description("skewless " + settings.appName() + ": backend (network, ALB, ECS cluster, records table, controller)").build();
        BackendStack backend = new BackendStack(app, settings.backendStackName(), props, settings);
        FrontendStack frontend = new FrontendStack(app, settings.frontendStackName(), StackProps.builder().env(env)
                .description("skewless " + settings.appName() + ": frontend (web bucket, CloudFront)").crossRegionReferences(false).build(),
                settings);
        // Ordering only: the frontend reads the ALB's name from the backend's SSM parameter.
        frontend.addStackDependency(backend, "the frontend reads /skewless/<app>/load-balancer-dns");
        return new Stacks(backend, frontend);
    }

    /**
     * The fixture account offline; otherwise {@code skewless:account}/{@code skewless:region}, or
     * the account and region of the credentials the cdk CLI found ({@code CDK_DEFAULT_*}).
     */
    static Environment environment(App app, boolean offline) {
        if (offline) {
            return Environment.builder().account(OfflineFixture.ACCOUNT).region(OfflineFixture.REGION).build();
        }
        Object account = app.getNode().tryGetContext(InfraSettings.PREFIX + "account");
        Object region = app.getNode().tryGetContext(InfraSettings.PREFIX + "region");
        String a = account != null ? account.toString() : System.getenv("CDK_DEFAULT_ACCOUNT");
        String r = region != null ? region.toString() : System.getenv("CDK_DEFAULT_REGION");
        return Environment.builder().account(a).region(r).build();
    }
}
