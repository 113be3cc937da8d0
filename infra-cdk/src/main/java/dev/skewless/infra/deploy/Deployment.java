package dev.skewless.infra.deploy;

import dev.skewless.infra.FrontendStack;
import dev.skewless.infra.InfraSettings;
import dev.skewless.infra.ParameterNames;
import dev.skewless.model.App;
import dev.skewless.model.DurationText;
import dev.skewless.model.WebAssets;
import dev.skewless.model.manifest.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deploy commands of the original demo, for skewless: {@code deploy}, {@code deploy:backend},
 * {@code deploy:frontend}, {@code deploy:api}, {@code deploy:web}, {@code infra:diff},
 * {@code infra:synth}, {@code destroy}. Every side effect goes through {@link Effects}, which
 * prints it first and, in a dry run, does nothing.
 */
public final class Deployment {
    /** Where the AppVersion's version id reaches the api container (what it echoes in x-deployment-id). */
    public static final String DEFAULT_VERSION_ENV = "DEPLOYMENT_ID";
    /** Where the web build's version id reaches Vite (what the web client pins to). */
    public static final String DEFAULT_WEB_VERSION_ENV = "VITE_DEPLOYMENT_ID";

    private final Effects effects;
    private final Transcript transcript;
    private final Target target;
    private final Clock clock;
    /**
     * Stacks this dry run showed a {@code cdk deploy} of: the parameters they write are answered
     * with stand-ins when they are not there yet, as a real run would find them written.
     */
    private final Set<String> deployedInDryRun = new HashSet<>();

    /**
     * What the commands work on.
     *
     * @param app        the App (stack names, SSM prefix, records)
     * @param owner      the controller's owner id (ownership tag value)
     * @param root       the repository root
     * @param cdkContext extra {@code key=value} context for every cdk call (e.g. {@code skewless:vpc=new})
     * @param approve    pass {@code --require-approval never} to cdk deploy (no prompt for IAM changes)
     */
    public record Target(String app, String owner, Path root, List<String> cdkContext, boolean approve) {
        public Target {
            cdkContext = List.copyOf(cdkContext);
        }

        Path module() {
            return root.resolve("infra-cdk");
        }

        String backendStack() {
            return "skewless-" + app + "-backend";
        }

        String frontendStack() {
            return "skewless-" + app + "-frontend";
        }
    }

    /** Options of {@code deploy:api}; the image is built with {@code dockerfile} from the repository root. */
    public record ApiRelease(String version, int cpu, int memory, int desiredCount, Map<String, String> env, String versionEnv,
                             String healthPath, Path dockerfile, Map<String, Integer> autoscaling) {
        public ApiRelease {
            autoscaling = Map.copyOf(autoscaling);
        }
    }

    /** Options of {@code deploy:web}; {@code buildEnv} holds more build variables (e.g. VITE_API_SCHEMA). */
    public record WebRelease(String version, String versionEnv, Map<String, String> buildEnv, Path webDirectory, Path dist,
                             boolean skipBuild) {
        public WebRelease {
            buildEnv = Map.copyOf(buildEnv);
        }
    }

    /** Options of {@code deploy:backend}: the controller image tag (null: the git commit) and its Dockerfile. */
    public record BackendRelease(String controllerTag, Path dockerfile) {}

    public Deployment(Effects effects, Transcript transcript, Target target, Clock clock) {
        this.effects = effects;
        this.transcript = transcript;
        this.target = target;
        this.clock = clock;
    }

    // ---- infra:synth, infra:diff ----

    /**
     * {@code cdk synth}; offline uses the fixture account, needs no credentials and reads nothing
     * deployed.
     *
     * @param controllerTag the backend's controller image tag; null: the deployed one (offline: the git commit)
     */
    public void synth(boolean offline, Path outDir, String controllerTag) {
        transcript.step("synthesize " + target.backendStack() + " and " + target.frontendStack());
        ensureCdkCli();
        String tag = controllerTag != null ? controllerTag
                : offline ? assumedTag("offline, nothing deployed is read") : deployedOrAssumedTag(parameters());
        List<String> args = new ArrayList<>(List.of("synth", "--quiet"));
        if (offline) {
            args.addAll(List.of("-c", "skewless:offline=true"));
        }
        if (outDir != null) {
            args.addAll(List.of("-o", outDir.toAbsolutePath().toString()));
        }
        effects.run(cdk(args, tag));
    }

    /**
     * {@code cdk diff} of both stacks against what is deployed, synthesized with the deployed
     * controller image tag, so a diff right after a deploy shows no change.
     *
     * @param controllerTag the tag to compare with instead (what {@code deploy:backend --controller-tag} would change); may be null
     */
    public void diff(String controllerTag) {
        transcript.step("diff " + target.backendStack() + " and " + target.frontendStack() + " against the account");
        ensureCdkCli();
        String tag = controllerTag != null ? controllerTag : deployedOrAssumedTag(parameters());
        effects.run(cdk(List.of("diff", target.backendStack(), target.frontendStack()), tag));
    }

    // ---- deploy, deploy:backend, deploy:frontend ----

    /** Backend, frontend, and with a version also the api and the web app of that version. */
    public void deployAll(BackendRelease backend, ApiRelease api, WebRelease web) {
        String tag = deployBackend(backend);
        deployFrontend(tag);
        if (api != null) {
            deployApi(api);
        }
        if (web != null) {
            deployWeb(web);
        }
    }

    /**
     * The backend stack with the controller image, then the App record. On a first deployment
     * the stack goes up once with no controller task (its repository does not exist before), the
     * image is pushed, and the stack is deployed again with the controller running.
     *
     * @return the controller image tag the stack now runs
     */
    public String deployBackend(BackendRelease release) {
        transcript.step("backend: " + target.backendStack());
        ensureCdkCli();
        Map<String, String> params = parameters();
        String tag = release.controllerTag() != null ? release.controllerTag() : gitHead();
        String repository = params.get(ParameterNames.CONTROLLER_REPOSITORY_URI);
        if (repository == null) {
            transcript.note("first deployment: the stack goes up with no controller task until its image is pushed");
            deployStack(target.backendStack(), List.of("-c", "skewless:controllerDesiredCount=0"), tag);
            params = parameters();
            repository = required(params, ParameterNames.CONTROLLER_REPOSITORY_URI);
        } else if (effects.dryRun() && repository.equals(Effects.standIn(target.app(), ParameterNames.CONTROLLER_REPOSITORY_URI))) {
            transcript.note("(dry run: assuming the stack exists; a first deployment runs cdk deploy with "
                    + "skewless:controllerDesiredCount=0 before pushing the image)");
        }
        if (effects.imageExists(repositoryName(repository), tag)) {
            transcript.note("controller image " + tag + " is already pushed");
        } else {
            pushImage(repository, tag, release.dockerfile());
        }
        deployStack(target.backendStack(), List.of(), tag);
        applyApp();
        return tag;
    }

    /**
     * The frontend stack alone (it reads the ALB's name from the backend's parameters). The cdk
     * CLI synthesizes the backend with it, so it gets the deployed controller image tag too.
     */
    public void deployFrontend() {
        deployFrontend(null);
    }

    /** The frontend stack alone; the backend is synthesized with {@code controllerTag}, or the deployed tag when null. */
    private void deployFrontend(String controllerTag) {
        transcript.step("frontend: " + target.frontendStack());
        ensureCdkCli();
        String tag = controllerTag != null ? controllerTag : parameters().get(ParameterNames.CONTROLLER_IMAGE_TAG);
        if (tag == null) {
            throw new DeployException("SSM parameter " + ParameterNames.path(target.app(), ParameterNames.CONTROLLER_IMAGE_TAG)
                    + " is missing: the frontend stack is synthesized with the backend, which must keep the controller image it runs; "
                    + "deploy the backend first (deploy:backend writes it)");
        }
        deployStack(target.frontendStack(), List.of(), tag);
    }

    /**
     * {@code cdk deploy <stack> --exclusively}: only that stack, never one it depends on (the
     * cdk CLI deploys a stack's dependencies first unless told not to).
     */
    private void deployStack(String stack, List<String> context, String controllerTag) {
        List<String> args = new ArrayList<>(List.of("deploy", stack, "--exclusively"));
        args.addAll(context);
        effects.run(cdk(args, controllerTag));
        if (effects.dryRun()) {
            deployedInDryRun.add(stack);
        }
    }

    /**
     * Applies the App the backend stack wrote to {@code /skewless/<app>/app-manifest}, keeping the
     * release manager's fields of the stored App (the last step of {@code deploy:backend}).
     */
    public void applyApp() {
        Map<String, String> params = parameters();
        String table = required(params, ParameterNames.TABLE);
        String manifest = required(params, ParameterNames.APP_MANIFEST);
        if (effects.dryRun() && !manifest.startsWith("{\"")) {
            // The stand-in value is not a record; show the calls a real run makes.
            effects.app(table, target.app());
            transcript.note("(dry run: the App from " + manifest + " is merged with the stored App: the stack's platform and "
                    + "router, the release manager's routing, retention, release and local)");
            effects.applyStandIn(table, List.of("App " + target.app()));
            return;
        }
        App fromStack = RecordDrafts.onlyApp(RecordDrafts.read(manifest, ParameterNames.path(target.app(), ParameterNames.APP_MANIFEST)));
        App stored = effects.app(table, fromStack.name()).orElse(null);
        App merged = RecordDrafts.merge(fromStack, stored);
        effects.apply(table, RecordDrafts.asManifest(merged)).forEach(transcript::note);
    }

    // ---- deploy:api ----

    /**
     * Builds and pushes the api image tagged with the version, then applies its AppVersion. The
     * record is validated before anything is built; an already pushed tag is never rebuilt
     * (the repository's tags are immutable: a version id is one image forever).
     */
    public void deployApi(ApiRelease r) {
        transcript.step("api " + target.app() + "/" + r.version());
        Map<String, String> params = parameters();
        String repository = required(params, ParameterNames.API_REPOSITORY_URI);
        String table = required(params, ParameterNames.TABLE);
        Map<String, String> env = new LinkedHashMap<>(r.env());
        env.put(r.versionEnv(), r.version());
        String json = RecordDrafts.appVersion(new RecordDrafts.VersionDraft(target.app(), r.version(), repository + ":" + r.version(),
                r.cpu(), r.memory(), r.desiredCount(), env, r.healthPath(), r.autoscaling()));
        Manifests records = RecordDrafts.read(json, "deploy:api");
        // The record on its own, before anything is built; the apply checks it against the stored App.
        RecordDrafts.requireValidAlone(records);
        if (effects.imageExists(repositoryName(repository), r.version())) {
            transcript.note("image " + r.version() + " is already pushed; not rebuilt (a version's image never changes)");
        } else {
            pushImage(repository, r.version(), r.dockerfile());
        }
        effects.apply(table, records).forEach(transcript::note);
    }

    /**
     * Builds an image with the module's own Dockerfile (it builds the jar inside Docker, from the
     * repository root), for the platform the task definitions run on, and pushes it.
     */
    private void pushImage(String repository, String tag, Path dockerfile) {
        String image = repository + ":" + tag;
        Path file = target.root().resolve(dockerfile);
        if (!effects.dryRun() && !Files.isRegularFile(file)) {
            throw new DeployException(file + " does not exist: it builds the image " + image);
        }
        effects.run(LocalCommand.in(target.root(), "docker", "build", "--platform", "linux/amd64", "--file", file.toString(),
                "--tag", image, target.root().toString()));
        effects.run(LocalCommand.in(target.root(), "docker", "login", "--username", "AWS", "--password-stdin", registry(repository))
                .withStdin(effects.registryPassword()));
        effects.run(LocalCommand.in(target.root(), "docker", "push", image));
    }

    // ---- deploy:web ----

    /**
     * Builds the web app with its version, uploads hashed assets first and {@code index.html} last,
     * then marks the assets the new build no longer uses as superseded (the bucket's lifecycle
     * rule expires them after the longest retention). Nothing is ever deleted here.
     */
    public void deployWeb(WebRelease r) {
        transcript.step("web " + target.app() + "/" + r.version());
        Map<String, String> params = parameters();
        String bucket = required(params, ParameterNames.WEB_BUCKET);
        String table = required(params, ParameterNames.TABLE);
        checkAssetRetention(table, params.get(ParameterNames.ASSET_RETENTION_DAYS));
        if (!r.skipBuild()) {
            if (!Files.isDirectory(r.webDirectory().resolve("node_modules"))) {
                effects.run(LocalCommand.in(r.webDirectory(), "npm", "ci", "--no-audit", "--no-fund"));
            }
            LocalCommand build = LocalCommand.in(r.webDirectory(), "npm", "run", "build");
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(r.buildEnv()).entrySet()) {
                build = build.withEnv(e.getKey(), e.getValue());
            }
            effects.run(build.withEnv(r.versionEnv(), r.version()));
        }
        List<WebBuild.File> files;
        Set<String> newAssets;
        if (effects.dryRun() && !Files.isRegularFile(r.dist().resolve(WebBuild.INDEX))) {
            transcript.note("(dry run: " + target.root().relativize(r.dist()) + " is not built; showing the upload order)");
            Path d = r.dist();
            files = List.of(
                    new WebBuild.File("assets/<each hashed asset>", d, "<by extension>", WebAssets.IMMUTABLE),
                    new WebBuild.File("<each other file>", d, "<by extension>", WebAssets.NO_CACHE),
                    new WebBuild.File(WebBuild.INDEX, d.resolve(WebBuild.INDEX), WebAssets.contentType(WebBuild.INDEX), WebAssets.NO_CACHE));
            newAssets = Set.of();
        } else {
            WebBuild build = WebBuild.scan(r.dist());
            files = build.files();
            newAssets = new HashSet<>(build.assetKeys());
        }
        for (WebBuild.File f : files) {
            effects.putObject(bucket, f.key(), f.path(), f.contentType(), f.cacheControl());
        }
        String now = clock.instant().toString();
        int marked = 0;
        for (String key : effects.listKeys(bucket, FrontendStack.ASSETS_PREFIX)) {
            if (newAssets.contains(key)) {
                continue;
            }
            Optional<Effects.ObjectHead> head = effects.head(bucket, key);
            if (effects.dryRun() && head.isEmpty()) {
                head = Optional.of(new Effects.ObjectHead("<its type>", WebAssets.IMMUTABLE, null));
            }
            if (head.isPresent() && head.get().supersededAt() == null) {
                effects.markSuperseded(bucket, key, head.get(), FrontendStack.SUPERSEDED_TAG, now);
                marked++;
            }
        }
        transcript.note((effects.dryRun() ? "uploads the build; marks every older asset not yet superseded"
                : "uploaded " + files.size() + " file(s); marked " + marked + " older asset(s) superseded") + "; deletes nothing "
                + "(superseded assets expire " + params.getOrDefault(ParameterNames.ASSET_RETENTION_DAYS, "?")
                + " day(s) after being superseded)");
    }

    /**
     * Old assets must outlive the longest backend retention, or a tab pinned to a retained
     * version loses its lazy-loaded code first. Warn when the App allows longer than the bucket keeps.
     */
    private void checkAssetRetention(String table, String assetDays) {
        Optional<App> app = effects.app(table, target.app());
        if (app.isEmpty() || assetDays == null) {
            return;
        }
        Duration max = app.get().spec().retention().max();
        int days;
        try {
            days = Integer.parseInt(assetDays.strip());
        } catch (NumberFormatException e) {
            return;
        }
        if (max.compareTo(Duration.ofDays(days)) > 0) {
            transcript.note("WARNING: App " + target.app() + " keeps versions up to " + DurationText.format(max)
                    + " but superseded web assets expire after " + days + " day(s); redeploy the frontend with -c skewless:maxRetention="
                    + DurationText.format(max));
        }
    }

    // ---- destroy ----

    /**
     * Removes everything: first what the controller made for this App (it is stopped first so it
     * does not rebuild), since CloudFormation cannot delete a cluster with services in it, then
     * both stacks. Data with a RETAIN policy (the default) outlives the stacks.
     */
    public void destroy(boolean confirmed) {
        if (!effects.dryRun() && !confirmed) {
            throw new DeployException("destroy deletes both stacks of " + target.app() + " and every service, target group and rule "
                    + "the controller made for it; run it again with --yes (or look first with --dry-run)");
        }
        transcript.step("destroy " + target.app());
        ensureCdkCli();
        Map<String, String> params = parameters();
        removeControllerResources(params);
        transcript.step("delete the stacks");
        // One call: the cdk CLI deletes the frontend first (it depends on the backend). The
        // synthesis it starts with gets the deployed tag, like every other call.
        effects.run(cdk(List.of("destroy", target.frontendStack(), target.backendStack(), "--force"), deployedOrAssumedTag(params)));
        transcript.note("kept unless deployed with -c skewless:removal=destroy: the records table, both ECR repositories, "
                + "the web bucket and the log groups");
    }

    /**
     * Stops the controller, then removes what it made for this App, in the order AWS allows:
     * services (and waits until they are gone), rules, target groups, task definitions. Only
     * resources tagged {@code skewless.dev/managed-by=<owner>} and {@code skewless.dev/app=<app>}.
     */
    void removeControllerResources(Map<String, String> params) {
        String cluster = params.get(ParameterNames.CLUSTER);
        if (cluster == null) {
            transcript.note("no parameters under " + ParameterNames.prefix(target.app()) + ": nothing of the controller's to remove");
            return;
        }
        String controller = params.get(ParameterNames.CONTROLLER_SERVICE);
        if (controller != null) {
            transcript.step("stop the controller, so it does not rebuild what is removed");
            effects.scaleService(cluster, controller, 0);
        }
        transcript.step("remove what the controller made for " + target.app());
        List<String> services = effects.ownedServices(cluster, target.owner(), target.app());
        services.forEach(s -> effects.deleteService(cluster, s));
        effects.awaitServicesInactive(cluster, services, Duration.ofMinutes(15));
        String listener = params.get(ParameterNames.LISTENER_ARN);
        if (listener != null) {
            effects.ownedRules(listener, target.owner(), target.app()).forEach(effects::deleteRule);
        }
        effects.ownedTargetGroups(target.owner(), target.app()).forEach(effects::deleteTargetGroup);
        effects.ownedTaskDefinitions(target.owner(), target.app()).forEach(effects::deregisterTaskDefinition);
    }

    // ---- plumbing ----

    /** The pinned cdk CLI, installed from package-lock.json when missing. */
    private void ensureCdkCli() {
        if (!Files.isExecutable(cdkBinary())) {
            effects.run(LocalCommand.in(target.module(), "npm", "ci", "--no-audit", "--no-fund"));
        }
    }

    private Path cdkBinary() {
        return target.module().resolve("node_modules").resolve(".bin").resolve("cdk");
    }

    /**
     * A cdk CLI call in infra-cdk, with the App's context, the controller image tag and the user's
     * context. Every call synthesizes both stacks, so every call gets the tag: without it the
     * backend would be synthesized with the stacks' default, {@code latest}, which is never pushed.
     */
    public LocalCommand cdk(List<String> args, String controllerTag) {
        List<String> argv = new ArrayList<>();
        argv.add(cdkBinary().toString());
        argv.addAll(args);
        argv.addAll(List.of("-c", InfraSettings.PREFIX + "app=" + target.app()));
        argv.addAll(List.of("-c", InfraSettings.PREFIX + "controllerImageTag=" + controllerTag));
        for (String kv : target.cdkContext()) {
            argv.addAll(List.of("-c", kv));
        }
        if (target.approve() && args.getFirst().equals("deploy")) {
            argv.addAll(List.of("--require-approval", "never"));
        }
        return new LocalCommand(argv, target.module(), Map.of(), null);
    }

    /**
     * The App's parameters; in a dry run, those of a stack it showed a deploy of are filled in
     * with stand-ins where they are not written yet.
     */
    private Map<String, String> parameters() {
        Map<String, String> params = new LinkedHashMap<>(effects.parameters(target.app()));
        if (deployedInDryRun.contains(target.backendStack())) {
            ParameterNames.BACKEND.forEach(n -> params.putIfAbsent(n, Effects.standIn(target.app(), n)));
        }
        if (deployedInDryRun.contains(target.frontendStack())) {
            ParameterNames.FRONTEND.forEach(n -> params.putIfAbsent(n, Effects.standIn(target.app(), n)));
        }
        return params;
    }

    /** The deployed controller image tag; when none is, the one {@code deploy:backend} would push, saying so. */
    private String deployedOrAssumedTag(Map<String, String> params) {
        String tag = params.get(ParameterNames.CONTROLLER_IMAGE_TAG);
        return tag != null ? tag : assumedTag("no controller image is deployed ("
                + ParameterNames.path(target.app(), ParameterNames.CONTROLLER_IMAGE_TAG) + " is missing)");
    }

    private String assumedTag(String why) {
        String tag = gitHead();
        transcript.note(why + ": the stacks are synthesized with " + tag + ", the tag deploy:backend would push");
        return tag;
    }

    /** The default controller image tag: the commit the image is built from. */
    private String gitHead() {
        return effects.capture(LocalCommand.in(target.root(), "git", "rev-parse", "--short=12", "HEAD"), "{git HEAD}");
    }

    private String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            throw new DeployException("SSM parameter " + ParameterNames.path(target.app(), name) + " is missing: deploy the "
                    + (ParameterNames.FRONTEND.contains(name) ? "frontend" : "backend") + " stack first (deploy:"
                    + (ParameterNames.FRONTEND.contains(name) ? "frontend" : "backend") + ")");
        }
        return v;
    }

    /** {@code skewless/shop-api} of {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/skewless/shop-api}. */
    static String repositoryName(String repositoryUri) {
        int slash = repositoryUri.indexOf('/');
        if (repositoryUri.startsWith("{") || slash < 0) {
            return repositoryUri.startsWith("{") ? "{name in " + repositoryUri + "}" : repositoryUri;
        }
        return repositoryUri.substring(slash + 1);
    }

    /** {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com} of a repository URI. */
    static String registry(String repositoryUri) {
        int slash = repositoryUri.indexOf('/');
        if (repositoryUri.startsWith("{") || slash < 0) {
            return repositoryUri.startsWith("{") ? "{registry of " + repositoryUri + "}" : repositoryUri;
        }
        return repositoryUri.substring(0, slash);
    }
}
