package dev.skewless.sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one running version of the sample service is, read from its environment.
 *
 * <p>{@code DEPLOYMENT_ID} is the version id the controller gave it (the same id the web build
 * embeds and the router pins on), {@code API_SCHEMA} the API shape it serves, and the port comes from
 * {@code MICRONAUT_SERVER_PORT}, else {@code PORT} (what the dev runtime sets), else 8080. The
 * command-line options {@code --deployment-id=}, {@code --api-schema=} and {@code --port=} override
 * the environment, for launchers that can template a command line but not an environment.
 *
 * @param deploymentId the version id, answered in {@code x-deployment-id} on every response
 * @param schema       the API shape served under {@code /api}
 * @param port         the TCP port; 0 picks a free one
 */
public record ServiceSettings(String deploymentId, ApiSchema schema, int port) {

    /** The same rule as {@code AppVersion.metadata.name}, so any version id the controller accepts fits. */
    static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String DEFAULT_DEPLOYMENT_ID = "dev";
    static final int DEFAULT_PORT = 8080;

    public ServiceSettings {
        List<String> problems = problems(deploymentId, schema, port);
        if (!problems.isEmpty()) {
            throw new InvalidSettings(problems);
        }
    }

    /**
     * Reads the settings from an environment, reporting every bad variable at once.
     *
     * @throws InvalidSettings listing each problem with the variable it concerns
     */
    public static ServiceSettings fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, List.of());
    }

    /**
     * Reads the settings from an environment and command-line options (which win), reporting every
     * bad variable or option at once.
     *
     * @throws InvalidSettings listing each problem with the variable or option it concerns
     */
    public static ServiceSettings fromEnvironment(Map<String, String> env, List<String> args) {
        List<String> problems = new ArrayList<>();
        // variable -> {name as reported, value}: an option given on the command line wins
        Map<String, String[]> given = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String option = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            switch (option) {
                case "--deployment-id" -> given.put("DEPLOYMENT_ID", new String[] {option, value});
                case "--api-schema" -> given.put("API_SCHEMA", new String[] {option, value});
                case "--port" -> given.put("PORT", new String[] {option, value});
                default -> problems.add(arg + ": unknown option; expected --deployment-id=, --api-schema= or --port=");
            }
        }
        String[] idSource = source(given, env, "DEPLOYMENT_ID");
        String deploymentId = valueOr(idSource[1], DEFAULT_DEPLOYMENT_ID);
        if (!VERSION_ID.matcher(deploymentId).matches()) {
            problems.add(idSource[0] + ": '" + deploymentId + "' must match " + VERSION_ID.pattern());
        }
        String[] schemaSource = source(given, env, "API_SCHEMA");
        String schemaText = valueOr(schemaSource[1], ApiSchema.V1.id());
        ApiSchema schema = ApiSchema.parse(schemaText).orElse(null);
        if (schema == null) {
            problems.add(schemaSource[0] + ": '" + schemaText + "' must be v1 or v2");
        }
        String[] portSource = given.containsKey("PORT") ? given.get("PORT")
                : blank(env.get("MICRONAUT_SERVER_PORT")) ? new String[] {"PORT", env.get("PORT")}
                : new String[] {"MICRONAUT_SERVER_PORT", env.get("MICRONAUT_SERVER_PORT")};
        String portVariable = portSource[0];
        String portText = valueOr(portSource[1], Integer.toString(DEFAULT_PORT));
        int port = -1;
        try {
            port = Integer.parseInt(portText.strip());
        } catch (NumberFormatException e) {
            // reported below with the other problems
        }
        if (port < 0 || port > 65_535) {
            problems.add(portVariable + ": '" + portText + "' must be a port number 0..65535");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettings(problems);
        }
        return new ServiceSettings(deploymentId, schema, port);
    }

    private static List<String> problems(String deploymentId, ApiSchema schema, int port) {
        List<String> problems = new ArrayList<>();
        if (deploymentId == null || !VERSION_ID.matcher(deploymentId).matches()) {
            problems.add("deploymentId: '" + deploymentId + "' must match " + VERSION_ID.pattern());
        }
        if (schema == null) {
            problems.add("schema: required");
        }
        if (port < 0 || port > 65_535) {
            problems.add("port: " + port + " must be 0..65535");
        }
        return problems;
    }

    /** {@code {name as reported, value}}: the command-line option if given, else the variable. */
    private static String[] source(Map<String, String[]> given, Map<String, String> env, String variable) {
        return given.getOrDefault(variable, new String[] {variable, env.get(variable)});
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String valueOr(String value, String fallback) {
        return blank(value) ? fallback : value.strip();
    }

    /** The environment does not describe a runnable service; {@link #problems()} says why, one line each. */
    public static final class InvalidSettings extends IllegalArgumentException {
        private final List<String> problems;

        InvalidSettings(List<String> problems) {
            super("invalid api-service settings:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
