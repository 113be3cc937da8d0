package dev.skewless.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the controller's HTTP server is set up.
 *
 * @param port            the port; null leaves it to configuration ({@code SKEWLESS_PORT},
 *                        {@code MICRONAUT_SERVER_PORT}, default 8080); 0 picks a free one
 * @param apiToken        when set, every {@code /api/**} request needs {@code Authorization: Bearer
 *                        <token>}; health and metrics stay open
 * @param corsOrigins     browser origins allowed to call the API (a dashboard on another host);
 *                        empty disables CORS
 * @param streamHeartbeat how often the status stream sends a heartbeat comment
 */
public record ServerOptions(Integer port, String apiToken, List<String> corsOrigins, Duration streamHeartbeat) {
    /** Environment variable holding the bearer token. */
    public static final String TOKEN_ENV = "SKEWLESS_API_TOKEN";
    /** Environment variable holding comma-separated CORS origins. */
    public static final String CORS_ENV = "SKEWLESS_CORS_ORIGINS";
    /** Default heartbeat of the status stream. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** Port from configuration, no token, no CORS. */
    public static final ServerOptions DEFAULT = new ServerOptions(null, null, List.of(), DEFAULT_HEARTBEAT);

    public ServerOptions {
        apiToken = apiToken == null || apiToken.isBlank() ? null : apiToken.strip();
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        streamHeartbeat = streamHeartbeat == null ? DEFAULT_HEARTBEAT : streamHeartbeat;
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    /** Token and CORS origins from the environment; the port is left to configuration. */
    public static ServerOptions fromEnvironment(Map<String, String> env) {
        String origins = env.getOrDefault(CORS_ENV, "");
        return new ServerOptions(null, env.get(TOKEN_ENV),
                Arrays.stream(origins.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(), DEFAULT_HEARTBEAT);
    }

    public ServerOptions withPort(Integer p) {
        return new ServerOptions(p, apiToken, corsOrigins, streamHeartbeat);
    }

    public ServerOptions withApiToken(String t) {
        return new ServerOptions(port, t, corsOrigins, streamHeartbeat);
    }

    public ServerOptions withCorsOrigins(List<String> o) {
        return new ServerOptions(port, apiToken, o, streamHeartbeat);
    }

    public ServerOptions withStreamHeartbeat(Duration d) {
        return new ServerOptions(port, apiToken, corsOrigins, d);
    }
}
