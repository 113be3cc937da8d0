package dev.skewless.model;

import java.util.List;
import java.util.Map;

/**
 * How {@code ./skewless dev} starts one version of the App as a local process instead of an ECS
 * service.
 *
 * @param command the command line; {@code ${VERSION}} and {@code ${PORT}} are substituted
 * @param env     extra environment for the process
 */
public record LocalSpec(List<String> command, Map<String, String> env) {
    public LocalSpec {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
