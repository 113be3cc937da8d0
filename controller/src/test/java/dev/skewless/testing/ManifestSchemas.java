package dev.skewless.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** The JSON Schemas under {@code manifests/schema/}, loaded once, for tests. */
public final class ManifestSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema APP = load("app.schema.json");
    private static final Schema APP_VERSION = load("appversion.schema.json");

    private ManifestSchemas() {}

    /** Schema errors of one document, picking the schema by its {@code kind}; each as {@code location: message}. */
    public static List<String> errors(JsonNode document) {
        String kind = document.path("kind").asText();
        Schema schema = switch (kind) {
            case "App" -> APP;
            case "AppVersion" -> APP_VERSION;
            default -> throw new IllegalArgumentException("no schema for kind '" + kind + "'");
        };
        return schema.validate(document).stream().map(ManifestSchemas::describe).toList();
    }

    private static String describe(Error e) {
        return e.getInstanceLocation() + ": " + e.getMessage();
    }

    private static Schema load(String name) {
        try (InputStream in = Files.newInputStream(RepoFiles.manifests().resolve("schema").resolve(name))) {
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
