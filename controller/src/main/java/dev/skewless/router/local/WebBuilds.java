package dev.skewless.router.local;

import com.sun.net.httpserver.HttpExchange;
import dev.skewless.model.WebAssets;
import dev.skewless.plan.routing.RouteDecision;
import dev.skewless.plan.routing.RoutingTable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The web builds of an App's versions, served side by side as S3 behind CloudFront serves them:
 * {@code <root>/<version>/index.html} and {@code <root>/<version>/assets/*}.
 *
 * <ul>
 *   <li>{@code /assets/...} (content-hashed file names) is looked up in the live version's build,
 *       then in every other retained version's: a tab still running an old build keeps loading its
 *       lazy chunks. Served with {@code Cache-Control: public, max-age=31536000, immutable}.</li>
 *   <li>Any other path is a file of the live build if there is one (no-cache), else the live
 *       build's {@code index.html} (no-cache), so a reload always gets the live version and
 *       client-side routes work.</li>
 * </ul>
 * Live and retained come from the App's routing table, the same one its API requests are routed
 * with, so the page a navigation gets and the backend its calls reach are the same version.
 */
final class WebBuilds {
    private static final String ASSETS = "/assets/";

    private final Path root;
    private final String app;

    WebBuilds(Path root, String app) {
        this.root = root.toAbsolutePath().normalize();
        this.app = app;
    }

    String app() {
        return app;
    }

    /**
     * Answers a request no App's routing took.
     *
     * @param table the web App's current routing table, or null before its first pass
     */
    void serve(HttpExchange exchange, String path, RoutingTable table) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            Forwarding.Responses.json(exchange, 405, "method_not_allowed", "Static files answer GET and HEAD only.");
            return;
        }
        if (!safe(path)) {
            Forwarding.Responses.json(exchange, 404, "not_found", "No such file.");
            return;
        }
        if (path.startsWith(ASSETS)) {
            for (String version : retained(table)) {
                Path file = file(version, path);
                if (file != null && Files.isRegularFile(file)) {
                    send(exchange, file, WebAssets.IMMUTABLE);
                    return;
                }
            }
            Forwarding.Responses.json(exchange, 404, "not_found", "No retained build of " + app + " has " + path + ".");
            return;
        }
        String live = table == null ? null : table.live();
        if (live == null) {
            RouteDecision.Respond none = RoutingTable.noLiveResponse(app);
            Forwarding.Responses.send(exchange, none.status(), none.contentType(), none.body());
            return;
        }
        Path build = buildDir(live);
        if (build == null || !Files.isDirectory(build)) {
            Forwarding.Responses.json(exchange, 503, "no_web_build",
                    "The live version " + live + " of " + app + " has no web build in " + root + ".");
            return;
        }
        Path file = path.equals("/") ? null : file(live, path);
        if (file != null && Files.isRegularFile(file)) {
            send(exchange, file, WebAssets.NO_CACHE);
            return;
        }
        Path index = build.resolve("index.html");
        if (!Files.isRegularFile(index)) {
            Forwarding.Responses.json(exchange, 503, "no_web_build", "The web build of " + app + " " + live + " has no index.html.");
            return;
        }
        send(exchange, index, WebAssets.NO_CACHE);
    }

    /** Live first, then the other routable versions in the table's order (newest first). */
    private static List<String> retained(RoutingTable table) {
        List<String> out = new ArrayList<>();
        if (table == null) {
            return out;
        }
        if (table.live() != null) {
            out.add(table.live());
        }
        table.routable().stream().filter(v -> !out.contains(v)).forEach(out::add);
        return out;
    }

    /** The build directory of a version, or null for an id that is not a plain directory name. */
    private Path buildDir(String version) {
        if (version.equals(".") || version.equals("..") || version.contains("/") || version.contains("\\")) {
            return null;
        }
        return root.resolve(version);
    }

    private Path file(String version, String path) {
        Path build = buildDir(version);
        if (build == null) {
            return null;
        }
        Path file = build.resolve(path.substring(1)).normalize();
        return file.startsWith(build) ? file : null;
    }

    /** No parent segments, no backslashes, no NUL: a path that stays inside a build. */
    private static boolean safe(String path) {
        if (!path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static void send(HttpExchange exchange, Path file, String cacheControl) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", WebAssets.contentType(file.getFileName().toString()));
        exchange.getResponseHeaders().set("Cache-Control", cacheControl);
        long size = Files.size(file);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(200, head || size == 0 ? -1 : size);
        if (!head && size > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }
}
