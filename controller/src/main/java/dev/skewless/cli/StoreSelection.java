package dev.skewless.cli;

import dev.skewless.aws.AwsCallMetrics;
import dev.skewless.aws.AwsClientFactory;
import dev.skewless.store.dynamodb.DynamoStoreConfig;
import dev.skewless.store.dynamodb.DynamoVersionStore;
import dev.skewless.store.dynamodb.TableSetup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Which store the verbs talk to. {@code SKEWLESS_STORE} chooses: {@code dynamodb} (the default:
 * the table named by {@code --table}, else {@code SKEWLESS_TABLE}, else {@code skewless}, with
 * the caller's AWS credentials), or {@code <kind>:<argument>} for stores that need one (e.g.
 * {@code embedded:<dir>} for the dev runtime's store on disk).
 */
public final class StoreSelection {
    /** Environment variable choosing the store. */
    public static final String STORE_ENV = "SKEWLESS_STORE";
    /** The default store kind. */
    public static final String DYNAMODB = "dynamodb";

    private StoreSelection() {}

    /**
     * Opens the chosen store.
     *
     * @param tableOption {@code --table}, or null to use {@code SKEWLESS_TABLE} / the default
     * @throws CliFailure (usage) for a store kind skewless does not know
     */
    public static StoreConnection open(CliEnvironment env, String tableOption) {
        String choice = env.variable(STORE_ENV).orElse(DYNAMODB);
        int colon = choice.indexOf(':');
        String kind = colon < 0 ? choice : choice.substring(0, colon);
        String argument = colon < 0 ? "" : choice.substring(colon + 1);
        // The one place a store kind is chosen: add a case per kind.
        return switch (kind) {
            case DYNAMODB -> dynamo(env, tableOption);
            default -> throw CliFailure.usage(STORE_ENV + "=" + choice + " is not a store skewless knows (argument '" + argument + "').",
                    "Use " + STORE_ENV + "=" + DYNAMODB + " (the default), or unset it.");
        };
    }

    /** The table name the DynamoDB store would use: {@code --table}, {@code SKEWLESS_TABLE}, or {@code skewless}. */
    static String tableName(CliEnvironment env, String tableOption) {
        if (tableOption != null && !tableOption.isBlank()) {
            return tableOption.strip();
        }
        return DynamoStoreConfig.fromEnvironment(env.variables()).tableName();
    }

    private static StoreConnection dynamo(CliEnvironment env, String tableOption) {
        String table = tableName(env, tableOption);
        AwsClientFactory clients = new AwsClientFactory(env.aws(), new AwsCallMetrics(new SimpleMeterRegistry()));
        DynamoDbClient ddb = clients.dynamoDb();
        String where = "DynamoDB table " + table + env.awsEndpoint().map(e -> " at " + e).orElse("");
        AwsErrorMessages failures = new AwsErrorMessages(env, "DynamoDB", table);
        DynamoVersionStore store = new DynamoVersionStore(ddb, null, DynamoStoreConfig.of(table), env.clock());
        StoreConnection.Initialiser init = () -> failures.explained(() -> {
            TableSetup.Result r = TableSetup.create(ddb, table);
            List<String> lines = new ArrayList<>();
            lines.add(r.created()
                    ? "table " + table + " created (on-demand billing, stream with new and old images, TTL on expiresAtEpoch)"
                    : "table " + table + " already exists; checked its stream and TTL");
            return lines;
        });
        return new StoreConnection(new ExplainedStore(store, failures), where, init, () -> {
            ddb.close();
            clients.close();
        });
    }
}
