package dev.skewless.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Turns AWS SDK exceptions into messages a person can act on: which service, which endpoint,
 * what is missing (table, region, credentials, network) and the command that fixes it.
 */
final class AwsErrorMessages implements StoreFailures {
    private final CliEnvironment env;
    private final String service;
    private final String table;

    /**
     * @param service what was being called, e.g. {@code DynamoDB}
     * @param table   the DynamoDB table, or null when no table is involved
     */
    AwsErrorMessages(CliEnvironment env, String service, String table) {
        this.env = env;
        this.service = service;
        this.table = table;
    }

    /** Runs {@code call}, explaining SDK failures. */
    @Override
    public <T> T explained(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw explain(e);
        }
    }

    CliFailure explain(SdkException e) {
        String where = env.awsEndpoint().map(u -> " at " + u).orElse("");
        if (e instanceof ResourceNotFoundException && table != null) {
            String t = table;
            return CliFailure.failed("DynamoDB table '" + t + "' does not exist" + where + ".",
                    "Create it:              skewless init" + (t.equals("skewless") ? "" : " --table " + t),
                    "Or use another table:   --table NAME, or export SKEWLESS_TABLE=NAME");
        }
        if (e instanceof SdkClientException) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Unable to load region")) {
                return CliFailure.failed("No AWS region is set, so skewless does not know where your " + service + " is.",
                        "Set one:  export AWS_REGION=eu-west-1   (the region of your skewless table)");
            }
            if (m.contains("Unable to load credentials")) {
                return CliFailure.failed("No AWS credentials were found (environment, profile, SSO, container or instance role).",
                        "Log in:   aws sso login   (or export AWS_PROFILE=NAME)",
                        "Against moto or LocalStack any key works: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing");
            }
            List<String> next = new ArrayList<>();
            if (env.awsEndpoint().isPresent()) {
                next.add("Is the emulator running? AWS_ENDPOINT_URL is " + env.awsEndpoint().get() + ".");
            } else {
                next.add("Check your network or VPN, and AWS_REGION.");
            }
            return CliFailure.failed("Cannot reach " + service + where + ": " + rootMessage(e), next.toArray(String[]::new));
        }
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            String msg = s.awsErrorDetails().errorMessage();
            String operation = s.awsErrorDetails().serviceName();
            List<String> next = new ArrayList<>();
            if (code != null && (code.contains("AccessDenied") || code.contains("UnauthorizedOperation") || code.contains("Unrecognized")
                    || code.contains("InvalidClientTokenId") || code.contains("ExpiredToken"))) {
                next.add("Check the credentials in use (aws sts get-caller-identity) and their IAM permissions.");
            } else {
                next.add("Nothing was changed by the failed call; it is safe to run the command again.");
            }
            return CliFailure.failed((operation == null ? service : operation) + where + " refused the request: " + code + ": " + msg,
                    next.toArray(String[]::new));
        }
        return CliFailure.failed(service + " call failed" + where + ": " + rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String own = String.valueOf(e.getMessage());
        return t == e || t.getMessage() == null || own.contains(t.getMessage()) ? own : own + " (" + t.getMessage() + ")";
    }
}
