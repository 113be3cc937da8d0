package dev.skewless.infra.deploy;

import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** A fresh moto account and real-mode {@link Deployment}s against it, for tests outside this package. */
public final class AwsTestAccess implements AutoCloseable {
    private final AwsClients aws;
    private final Path repo;
    private final StringWriter out = new StringWriter();
    private int read;

    private AwsTestAccess(AwsClients aws, Path repo) {
        this.aws = aws;
        this.repo = repo;
    }

    /** Resets the shared moto server and returns access to it; {@code repo} is the repository root. */
    public static AwsTestAccess freshAccount(Path repo) {
        Moto moto = Moto.shared();
        moto.reset();
        return new AwsTestAccess(moto.clients(), repo);
    }

    public void createTable(String name) {
        TableSetup.create(aws.dynamoDb(), name);
    }

    public void putParameter(String name, String value) {
        aws.ssm().putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true));
    }

    public DynamoVersionStore store(String table) {
        return new DynamoVersionStore(aws.dynamoDb(), aws.dynamoDbStreams(), DynamoStoreConfig.of(table), InstantSource.system());
    }

    /** A real-mode deployment of {@code app} whose transcript {@link #transcript()} returns. */
    public Deployment deployment(String app) {
        Transcript t = new Transcript(new PrintWriter(out, true), false);
        return new Deployment(new Effects(t, repo, aws), t, new Deployment.Target(app, "skewless", repo, List.of(), false), Clock.systemUTC());
    }

    /** What the deployments printed since the previous call. */
    public String transcript() {
        String all = out.toString();
        String fresh = all.substring(read);
        read = all.length();
        return fresh;
    }

    @Override
    public void close() {
        aws.close();
    }
}
