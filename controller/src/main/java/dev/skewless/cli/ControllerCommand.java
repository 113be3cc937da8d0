package dev.skewless.cli;

import dev.skewless.api.ControllerServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code skewless controller}: the long-running controller service against AWS. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        header = "Run the controller service against AWS until SIGTERM.",
        description = {
            "Reconciles ECS services, target groups and listener rules toward the records in the DynamoDB table "
                    + "(SKEWLESS_TABLE, default skewless), with the SDK's default credentials and region; "
                    + "AWS_ENDPOINT_URL points it at moto or LocalStack. Replicas share one table: one leads, the others stand by.",
            "",
            "HTTP on SKEWLESS_PORT (default 8080): /health/liveness, /health/readiness (200 only on the leader), "
                    + "/metrics (Prometheus), /api/v1 (read-only status; SKEWLESS_API_TOKEN requires a bearer token, "
                    + "SKEWLESS_CORS_ORIGINS allows a dashboard origin). Logs: SKEWLESS_LOG_FORMAT=json|text.",
            "",
            "Extra arguments are Micronaut properties, e.g. --micronaut.server.port=9090."
        })
final class ControllerCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        ControllerServer.runFromEnvironment(args.toArray(String[]::new));
        return ExitCode.OK;
    }
}
