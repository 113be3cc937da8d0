package dev.skewless.api;

import dev.skewless.service.AwsProviders;
import dev.skewless.service.ControllerRuntime;
import dev.skewless.service.Replica;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the HTTP server (Micronaut on Netty) around a {@link Replica}: {@code skewless controller}
 * calls {@link #runFromEnvironment}, {@code skewless dev} calls {@link #start} with its own
 * runtime, {@code skewless operator} serves the Kubernetes operator the same way.
 */
public final class ControllerServer {
    private static final Logger log = LoggerFactory.getLogger(ControllerServer.class);

    private ControllerServer() {}

    /** {@code java -cp ... dev.skewless.api.ControllerServer}: the AWS controller, until SIGTERM. */
    public static void main(String[] args) {
        runFromEnvironment(args);
    }

    /**
     * The AWS controller: providers from the environment ({@link AwsProviders}), server options
     * from the environment ({@link ServerOptions#fromEnvironment}), then blocks until the JVM is
     * asked to stop (SIGTERM, Ctrl-C). On the way down: readiness turns false, the engine stops
     * taking work and gives in-flight passes its grace period (20 s), the lease is released so a
     * standby takes over at once, then the HTTP server stops; all inside ECS's 30 s stop timeout.
     *
     * @param args Micronaut command-line properties, e.g. {@code --micronaut.server.port=9090}
     */
    public static void runFromEnvironment(String[] args) {
        Map<String, String> env = System.getenv();
        ControllerRuntime runtime = AwsProviders.fromEnvironment(env).build();
        Running<ControllerRuntime> running = start(runtime, ServerOptions.fromEnvironment(env), args);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "skewless-shutdown"));
        running.awaitShutdown();
    }

    /** Starts {@code runtime} (if not yet started) and serves it; the handle owns both. */
    public static <R extends Replica> Running<R> start(R runtime, ServerOptions options) {
        return start(runtime, options, new String[0]);
    }

    /**
     * Starts {@code runtime} (if not yet started) and serves it; the handle owns both.
     *
     * @param args Micronaut command-line properties
     */
    public static <R extends Replica> Running<R> start(R runtime, ServerOptions options, String[] args) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(options, "options");
        Map<String, Object> properties = new HashMap<>();
        if (options.port() != null) {
            // Micronaut picks a random free port for -1.
            properties.put("micronaut.server.port", options.port() == 0 ? -1 : options.port());
        }
        if (!options.corsOrigins().isEmpty()) {
            properties.put("micronaut.server.cors.enabled", true);
            properties.put("micronaut.server.cors.configurations.dashboard.allowed-origins", options.corsOrigins());
            properties.put("micronaut.server.cors.configurations.dashboard.allowed-methods", java.util.List.of("GET", "OPTIONS"));
        }
        runtime.start();
        ApplicationContext context = ApplicationContext.builder()
                .args(args)
                .properties(properties)
                .singletons(runtime, options)
                // No cloud probing at start-up: it costs time and makes network calls.
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .banner(false)
                .start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            log.atInfo().addKeyValue("port", server.getPort()).addKeyValue("token", options.apiToken() != null)
                    .addKeyValue("corsOrigins", options.corsOrigins()).log("controller HTTP server listening");
            return new Running<>(runtime, context, server);
        } catch (RuntimeException e) {
            context.close();
            runtime.close();
            throw e;
        }
    }

    /** A started server and its runtime. */
    public static final class Running<R extends Replica> implements AutoCloseable {
        private final R runtime;
        private final ApplicationContext context;
        private final EmbeddedServer server;
        private final CountDownLatch stopped = new CountDownLatch(1);

        private Running(R runtime, ApplicationContext context, EmbeddedServer server) {
            this.runtime = runtime;
            this.context = context;
            this.server = server;
        }

        /** The port the server listens on. */
        public int port() {
            return server.getPort();
        }

        /** {@code http://host:port}. */
        public URI uri() {
            return server.getURI();
        }

        /** The runtime being served. */
        public R runtime() {
            return runtime;
        }

        /** The Micronaut context (routes, beans), for diagnostics and tests. */
        public ApplicationContext context() {
            return context;
        }

        /**
         * Stops gracefully: the runtime first (readiness false while it drains, the lease
         * released), then the HTTP server. Idempotent.
         */
        @Override
        public void close() {
            synchronized (this) {
                if (stopped.getCount() == 0) {
                    return;
                }
                try {
                    runtime.close();
                } finally {
                    if (context.isRunning()) {
                        context.close();
                    }
                    stopped.countDown();
                }
            }
        }

        /** Blocks until {@link #close()} has finished. */
        public void awaitShutdown() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
