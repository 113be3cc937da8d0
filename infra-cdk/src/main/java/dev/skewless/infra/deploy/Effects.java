package dev.skewless.infra.deploy;

import dev.skewless.cli.ManifestApplier;
import dev.skewless.infra.ParameterNames;
import dev.skewless.model.App;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.ValidationException;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Every side effect of the deploy commands: AWS calls and local processes. Each method first
 * prints what it is about to do on the {@link Transcript}; in a dry run it then returns a
 * stand-in answer and does nothing, so dry and real runs print the same lines. The one
 * exception is the App's SSM parameters, which a dry run reads too (see {@link #parameters}).
 *
 * <p>Every stand-in answer is symbolic and visible in later lines: a value the dry run cannot
 * know is {@code {/skewless/shop/cluster}}, a listing is {@code <each ...>}, an image or object is absent.
 */
public final class Effects {
    /** Object metadata key (x-amz-meta-...) holding when an asset was superseded. */
    public static final String SUPERSEDED_AT = "skewless-superseded-at";

    private final Transcript transcript;
    private final Path root;
    private final AwsClients aws;
    /** A dry run that could not read the account once does not try again (and says so once). */
    private boolean unreadable;

    /**
     * @param transcript where every step is printed; its dry-run flag decides whether anything is done
     * @param root       the repository root (local commands are printed relative to it)
     * @param aws        clients for real runs; unused in a dry run
     */
    public Effects(Transcript transcript, Path root, AwsClients aws) {
        this.transcript = transcript;
        this.root = root;
        this.aws = aws;
    }

    public boolean dryRun() {
        return transcript.dryRun();
    }

    // ---- local processes ----

    /** Runs a command, its output going to this process's; fails on a non-zero exit. */
    public void run(LocalCommand command) {
        transcript.local(command.describe(root));
        if (!dryRun()) {
            int code = start(command, false).exitCode();
            if (code != 0) {
                throw new DeployException("'" + command.describe(root) + "' failed with exit code " + code);
            }
        }
    }

    /** Runs a command and returns its standard output, stripped; {@code placeholder} in a dry run. */
    public String capture(LocalCommand command, String placeholder) {
        transcript.local(command.describe(root));
        if (dryRun()) {
            return placeholder;
        }
        Finished f = start(command, true);
        if (f.exitCode() != 0) {
            throw new DeployException("'" + command.describe(root) + "' failed with exit code " + f.exitCode());
        }
        return f.stdout().strip();
    }

    private record Finished(int exitCode, String stdout) {}

    private static Finished start(LocalCommand command, boolean captureStdout) {
        ProcessBuilder pb = new ProcessBuilder(command.argv()).directory(command.directory().toFile());
        pb.environment().putAll(command.env());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(captureStdout ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(command.stdin() == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = captureStdout
                    ? CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()))
                    : CompletableFuture.completedFuture("");
            if (command.stdin() != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(command.stdin().getBytes(StandardCharsets.UTF_8));
                }
            }
            int code = p.waitFor();
            return new Finished(code, out.join());
        } catch (IOException e) {
            throw new DeployException("could not start '" + command.argv().getFirst() + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while running " + command.argv().getFirst());
        }
    }

    private static String readAll(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- SSM ----

    /**
     * Every parameter under {@code /skewless/<app>/}, by short name. A dry run reads them too (the
     * one read that decides what a real run does: which stack exists, which controller image is
     * deployed), so the commands it prints are the exact ones; when the account cannot be read
     * (no credentials, no network) it says so and answers every name with its stand-in
     * {@link #standIn}.
     */
    public Map<String, String> parameters(String app) {
        String prefix = ParameterNames.prefix(app);
        transcript.aws("ssm", "GetParametersByPath", params("Path", prefix, "Recursive", true));
        if (dryRun()) {
            if (!unreadable) {
                try {
                    return readParameters(prefix);
                } catch (SdkException e) {
                    unreadable = true;
                    transcript.note("(dry run: could not read " + prefix + " (" + firstLine(e) + "); every parameter is shown as "
                            + standIn(app, "<name>") + ")");
                }
            }
            Map<String, String> stand = new LinkedHashMap<>();
            for (List<String> names : List.of(ParameterNames.BACKEND, ParameterNames.FRONTEND)) {
                names.forEach(n -> stand.put(n, standIn(app, n)));
            }
            return stand;
        }
        return readParameters(prefix);
    }

    /** How a dry run shows a parameter's value it cannot know: {@code {/skewless/shop/cluster}}. */
    public static String standIn(String app, String name) {
        return "{" + ParameterNames.path(app, name) + "}";
    }

    private Map<String, String> readParameters(String prefix) {
        Map<String, String> out = new TreeMap<>();
        aws.ssm().getParametersByPathPaginator(b -> b.path(prefix).recursive(true))
                .forEach(page -> page.parameters().forEach(p -> out.put(p.name().substring(prefix.length()), p.value())));
        return out;
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    // ---- ECR ----

    /** Whether {@code repository:tag} exists; false in a dry run. */
    public boolean imageExists(String repository, String tag) {
        transcript.aws("ecr", "DescribeImages", params("repositoryName", repository, "imageTag", tag));
        if (dryRun()) {
            transcript.note("(dry run: assuming " + repository + ":" + tag + " is not pushed yet)");
            return false;
        }
        try {
            return !aws.ecr().describeImages(b -> b.repositoryName(repository)
                    .imageIds(ImageIdentifier.builder().imageTag(tag).build())).imageDetails().isEmpty();
        } catch (ImageNotFoundException | RepositoryNotFoundException e) {
            return false;
        }
    }

    /** The password {@code docker login --username AWS} needs for the account's registry. */
    public String registryPassword() {
        transcript.aws("ecr", "GetAuthorizationToken", Map.of());
        if (dryRun()) {
            return "(registry password)";
        }
        String token = aws.ecr().getAuthorizationToken().authorizationData().getFirst().authorizationToken();
        String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        return decoded.substring(decoded.indexOf(':') + 1);
    }

    // ---- S3 ----

    /** Keys under {@code prefix}; one stand-in {@code <each object under prefix>} in a dry run. */
    public List<String> listKeys(String bucket, String prefix) {
        transcript.aws("s3", "ListObjectsV2", params("Bucket", bucket, "Prefix", prefix));
        if (dryRun()) {
            return List.of("<each object under " + prefix + ">");
        }
        List<String> keys = new ArrayList<>();
        aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** What {@code deploy:web} needs to know of a stored object. */
    public record ObjectHead(String contentType, String cacheControl, String supersededAt) {}

    /** The object's type, caching and superseded mark; empty if absent (and in a dry run). */
    public Optional<ObjectHead> head(String bucket, String key) {
        transcript.aws("s3", "HeadObject", params("Bucket", bucket, "Key", key));
        if (dryRun()) {
            return Optional.empty();
        }
        try {
            HeadObjectResponse h = aws.s3().headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new ObjectHead(h.contentType(), h.cacheControl(), h.metadata().get(SUPERSEDED_AT)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Uploads a file. */
    public void putObject(String bucket, String key, Path file, String contentType, String cacheControl) {
        transcript.aws("s3", "PutObject", params("Bucket", bucket, "Key", key, "ContentType", contentType, "CacheControl", cacheControl));
        if (!dryRun()) {
            aws.s3().putObject(b -> b.bucket(bucket).key(key).contentType(contentType).cacheControl(cacheControl), RequestBody.fromFile(file));
        }
    }

    /**
     * Marks an asset superseded: copies it onto itself with the lifecycle tag and a metadata
     * stamp. The copy is a new object, so its age (what S3 lifecycle expiration counts) starts now.
     */
    public void markSuperseded(String bucket, String key, ObjectHead head, String tagKey, String at) {
        String tagging = URLEncoder.encode(tagKey, StandardCharsets.UTF_8) + "=true";
        transcript.aws("s3", "CopyObject", params("Bucket", bucket, "Key", key, "CopySource", bucket + "/" + key,
                "MetadataDirective", "REPLACE", "TaggingDirective", "REPLACE", "Tagging", tagKey + "=true"));
        if (!dryRun()) {
            aws.s3().copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                    .metadataDirective(MetadataDirective.REPLACE).contentType(head.contentType()).cacheControl(head.cacheControl())
                    .metadata(Map.of(SUPERSEDED_AT, at)).taggingDirective(TaggingDirective.REPLACE).tagging(tagging));
        }
    }

    // ---- records (DynamoDB, through the same store and applier as `skewless apply -f`) ----

    /** The stored App; empty when there is none (and in a dry run). */
    public Optional<App> app(String table, String name) {
        transcript.aws("dynamodb", "GetItem", params("TableName", table, "Key", "pk=APPS,sk=APP#" + name));
        if (dryRun()) {
            return Optional.empty();
        }
        return store(table).getApp(name);
    }

    /**
     * Validates and applies records, as {@code skewless apply -f} does; one line per record. A
     * dry run checks each record on its own (the stored ones are not read) and writes nothing.
     *
     * @throws ValidationException listing every problem; nothing is written
     */
    public List<String> apply(String table, Manifests records) {
        List<String> names = records.subjects().stream().map(s -> s.kind() + " " + s.displayName()).toList();
        transcript.aws("dynamodb", "ApplyRecords", params("TableName", table, "Records", names,
                "Calls", "Query, then PutItem/UpdateItem/TransactWriteItems per changed record"));
        if (dryRun()) {
            ValidationException.throwIfAny(records.problems());
            RecordDrafts.requireValidAlone(records);
            return names.stream().map(n -> n + " valid (dry run: not applied)").toList();
        }
        return new ManifestApplier(store(table)).apply(records, false).lines();
    }

    /**
     * Prints the apply of records whose content a dry run cannot know (they come from a value
     * read at run time).
     */
    public void applyStandIn(String table, List<String> names) {
        if (!dryRun()) {
            throw new IllegalStateException("stand-in records are for dry runs only");
        }
        transcript.aws("dynamodb", "ApplyRecords", params("TableName", table, "Records", names,
                "Calls", "Query, then PutItem/UpdateItem/TransactWriteItems per changed record"));
    }

    private DynamoVersionStore store(String table) {
        return new DynamoVersionStore(aws.dynamoDb(), aws.dynamoDbStreams(), DynamoStoreConfig.of(table), InstantSource.system());
    }

    // ---- ECS and ELB (destroy) ----

    /** Sets a service's desired count. */
    public void scaleService(String cluster, String service, int desiredCount) {
        transcript.aws("ecs", "UpdateService", params("cluster", cluster, "service", service, "desiredCount", desiredCount));
        if (!dryRun()) {
            aws.ecs().updateService(b -> b.cluster(cluster).service(service).desiredCount(desiredCount));
        }
    }

    /** ARNs of the App's services the controller made (tagged managed-by and app). */
    public List<String> ownedServices(String cluster, String owner, String app) {
        transcript.aws("ecs", "ListServices", params("cluster", cluster));
        transcript.aws("ecs", "DescribeServices", params("cluster", cluster, "services", "(10 at a time)", "include", "TAGS"));
        if (dryRun()) {
            return List.of("<each service of " + app + " tagged " + ownership(owner) + ">");
        }
        List<String> arns = new ArrayList<>();
        aws.ecs().listServicesPaginator(b -> b.cluster(cluster)).serviceArns().forEach(arns::add);
        List<String> owned = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 10) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 10));
            aws.ecs().describeServices(b -> b.cluster(cluster).services(batch).include(ServiceField.TAGS)).services().stream()
                    .filter(s -> !"INACTIVE".equals(s.status()))
                    .filter(s -> owned(s.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value(), (a, b) -> a)),
                            owner, app))
                    .forEach(s -> owned.add(s.serviceArn()));
        }
        return owned;
    }

    /** Deletes a service, stopping its tasks. */
    public void deleteService(String cluster, String serviceArn) {
        transcript.aws("ecs", "DeleteService", params("cluster", cluster, "service", serviceArn, "force", true));
        if (!dryRun()) {
            aws.ecs().deleteService(b -> b.cluster(cluster).service(serviceArn).force(true));
        }
    }

    /** Waits until the services are INACTIVE (their tasks stopped, their target groups free). */
    public void awaitServicesInactive(String cluster, List<String> serviceArns, Duration timeout) {
        if (serviceArns.isEmpty()) {
            return;
        }
        transcript.aws("ecs", "DescribeServices", params("cluster", cluster, "services", serviceArns.size() + " service(s)",
                "until", "INACTIVE"));
        if (dryRun()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < serviceArns.size(); i += 10) {
            List<String> batch = serviceArns.subList(i, Math.min(serviceArns.size(), i + 10));
            while (aws.ecs().describeServices(b -> b.cluster(cluster).services(batch)).services().stream()
                    .anyMatch(s -> !"INACTIVE".equals(s.status()))) {
                if (System.nanoTime() > deadline) {
                    throw new DeployException("services still draining after " + timeout + ": " + batch);
                }
                sleep(Duration.ofSeconds(5));
            }
        }
    }

    /** ARNs of the App's rules on the listener that the controller made. */
    public List<String> ownedRules(String listenerArn, String owner, String app) {
        transcript.aws("elbv2", "DescribeRules", params("ListenerArn", listenerArn));
        transcript.aws("elbv2", "DescribeTags", params("ResourceArns", "(20 at a time)"));
        if (dryRun()) {
            return List.of("<each rule of " + app + " tagged " + ownership(owner) + ">");
        }
        List<String> arns = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeRulesResponse r = aws.elbv2().describeRules(b -> b.listenerArn(listenerArn).marker(m));
            r.rules().stream().filter(rule -> !Boolean.TRUE.equals(rule.isDefault())).map(Rule::ruleArn).forEach(arns::add);
            marker = r.nextMarker();
        } while (marker != null);
        return ownedByTags(arns, owner, app);
    }

    /** Deletes a listener rule. */
    public void deleteRule(String ruleArn) {
        transcript.aws("elbv2", "DeleteRule", params("RuleArn", ruleArn));
        if (!dryRun()) {
            aws.elbv2().deleteRule(b -> b.ruleArn(ruleArn));
        }
    }

    /** ARNs of the App's target groups ({@code skl-<app>-*}) that the controller made. */
    public List<String> ownedTargetGroups(String owner, String app) {
        transcript.aws("elbv2", "DescribeTargetGroups", params("(names starting)", "skl-" + app + "-"));
        transcript.aws("elbv2", "DescribeTags", params("ResourceArns", "(20 at a time)"));
        if (dryRun()) {
            return List.of("<each target group of " + app + " tagged " + ownership(owner) + ">");
        }
        List<String> arns = aws.elbv2().describeTargetGroupsPaginator(b -> b.pageSize(400)).targetGroups().stream()
                .filter(g -> g.targetGroupName().startsWith("skl-" + app + "-")).map(TargetGroup::targetGroupArn).toList();
        return ownedByTags(arns, owner, app);
    }

    /** Deletes a target group. */
    public void deleteTargetGroup(String arn) {
        transcript.aws("elbv2", "DeleteTargetGroup", params("TargetGroupArn", arn));
        if (!dryRun()) {
            aws.elbv2().deleteTargetGroup(b -> b.targetGroupArn(arn));
        }
    }

    /** ARNs of the App's ACTIVE task definition revisions that the controller registered. */
    public List<String> ownedTaskDefinitions(String owner, String app) {
        transcript.aws("ecs", "ListTaskDefinitionFamilies", params("familyPrefix", app + "-", "status", "ACTIVE"));
        transcript.aws("ecs", "ListTaskDefinitions", params("familyPrefix", "(each family)", "status", "ACTIVE"));
        transcript.aws("ecs", "DescribeTaskDefinition", params("taskDefinition", "(each revision)", "include", "TAGS"));
        if (dryRun()) {
            return List.of("<each task definition of " + app + " tagged " + ownership(owner) + ">");
        }
        List<String> owned = new ArrayList<>();
        for (String family : aws.ecs().listTaskDefinitionFamiliesPaginator(b -> b.familyPrefix(app + "-")
                .status(TaskDefinitionFamilyStatus.ACTIVE)).families()) {
            for (String arn : aws.ecs().listTaskDefinitionsPaginator(b -> b.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                    .taskDefinitionArns()) {
                Map<String, String> tags = new LinkedHashMap<>();
                aws.ecs().describeTaskDefinition(b -> b.taskDefinition(arn).include(TaskDefinitionField.TAGS)).tags()
                        .forEach(t -> tags.put(t.key(), t.value()));
                if (owned(tags, owner, app)) {
                    owned.add(arn);
                }
            }
        }
        return owned;
    }

    /** Deregisters a task definition revision. */
    public void deregisterTaskDefinition(String arn) {
        transcript.aws("ecs", "DeregisterTaskDefinition", params("taskDefinition", arn));
        if (!dryRun()) {
            aws.ecs().deregisterTaskDefinition(b -> b.taskDefinition(arn));
        }
    }

    private List<String> ownedByTags(List<String> arns, String owner, String app) {
        List<String> owned = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 20) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 20));
            for (TagDescription d : aws.elbv2().describeTags(b -> b.resourceArns(batch)).tagDescriptions()) {
                Map<String, String> tags = new LinkedHashMap<>();
                d.tags().forEach(t -> tags.put(t.key(), t.value()));
                if (owned(tags, owner, app)) {
                    owned.add(d.resourceArn());
                }
            }
        }
        return owned;
    }

    private static boolean owned(Map<String, String> tags, String owner, String app) {
        return owner.equals(tags.get("skewless.dev/managed-by")) && app.equals(tags.get("skewless.dev/app"));
    }

    private static String ownership(String owner) {
        return "skewless.dev/managed-by=" + owner;
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted");
        }
    }
}
