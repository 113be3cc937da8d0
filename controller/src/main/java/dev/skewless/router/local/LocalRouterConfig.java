package dev.skewless.router.local;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link LocalTrafficRouter}.
 *
 * @param bind           where the proxy listens (port 0 picks a free one)
 * @param webRoot        the web builds, one directory per version ({@code <webRoot>/<version>/index.html},
 *                       {@code assets/*}); null serves no static files
 * @param webApp         the App whose versions the web builds belong to (its live version's
 *                       {@code index.html} is served, its retained versions' assets stay reachable);
 *                       null when {@code webRoot} is null
 * @param statusUpstream where {@code /_skewless/**} is forwarded with the prefix stripped (the
 *                       controller's status API); null answers those paths 404
 * @param connectTimeout connecting to a backend; a target that does not accept in time is a 502
 */
public record LocalRouterConfig(InetSocketAddress bind, Path webRoot, String webApp, URI statusUpstream, Duration connectTimeout) {
    /** The path prefix forwarded to {@link #statusUpstream}. */
    public static final String STATUS_PREFIX = "/_skewless";

    public LocalRouterConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if ((webRoot == null) != (webApp == null)) {
            throw new IllegalArgumentException("webRoot and webApp go together: got webRoot=" + webRoot + ", webApp=" + webApp);
        }
        if (statusUpstream != null && (statusUpstream.getScheme() == null || statusUpstream.getHost() == null)) {
            throw new IllegalArgumentException("statusUpstream must be an absolute http URI, got " + statusUpstream);
        }
    }

    /** Loopback, a free port, no static files, no status upstream, 5s connect timeout. */
    public static LocalRouterConfig loopback() {
        return new LocalRouterConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, null,
                Duration.ofSeconds(5));
    }

    /** Listen on loopback at {@code port} (0 for a free one). */
    public LocalRouterConfig withPort(int port) {
        return new LocalRouterConfig(new InetSocketAddress(bind.getAddress(), port), webRoot, webApp, statusUpstream, connectTimeout);
    }

    /** Serve the web builds under {@code root} for the App {@code app}. */
    public LocalRouterConfig withWeb(Path root, String app) {
        return new LocalRouterConfig(bind, root, app, statusUpstream, connectTimeout);
    }

    /** Forward {@code /_skewless/**} to {@code upstream}. */
    public LocalRouterConfig withStatusUpstream(URI upstream) {
        return new LocalRouterConfig(bind, webRoot, webApp, upstream, connectTimeout);
    }
}
