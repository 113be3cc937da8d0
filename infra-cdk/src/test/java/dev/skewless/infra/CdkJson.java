package dev.skewless.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** The module's cdk.json, read by tests. */
final class CdkJson {
    static final Path MODULE = Path.of("").toAbsolutePath();

    private CdkJson() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> read() {
        try {
            return new ObjectMapper().readValue(MODULE.resolve("cdk.json").toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> context() {
        return (Map<String, Object>) read().get("context");
    }
}
