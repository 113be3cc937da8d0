package dev.skewless.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * When {@link ServerOptions#apiToken()} is set, every {@code /api/**} request must carry
 * {@code Authorization: Bearer <token>} (401 problem otherwise). CORS preflights carry no
 * credentials by design and pass; health and metrics are outside {@code /api}.
 */
@ServerFilter("/api/**")
public class ApiTokenFilter {
    private final byte[] expected;

    public ApiTokenFilter(ServerOptions options) {
        this.expected = options.apiToken() == null ? null : ("Bearer " + options.apiToken()).getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (expected == null || request.getMethod() == HttpMethod.OPTIONS) {
            return null;
        }
        String given = request.getHeaders().get("Authorization");
        // Constant-time comparison: the answer must not leak how much of the token was right.
        if (given != null && MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                        given == null ? "this API needs 'Authorization: Bearer <token>' (SKEWLESS_API_TOKEN)" : "wrong bearer token")
                .header("WWW-Authenticate", "Bearer");
    }
}
