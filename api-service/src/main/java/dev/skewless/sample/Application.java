package dev.skewless.sample;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * Starts one version of the sample service. Settings come from the environment (see
 * {@link ServiceSettings}); bad ones stop the process with exit code 2 and every problem listed,
 * before anything listens.
 */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        ServiceSettings settings;
        try {
            settings = ServiceSettings.fromEnvironment(System.getenv(), List.of(args));
        } catch (ServiceSettings.InvalidSettings e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ApplicationContext context = start(settings);
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        LOG.atInfo().addKeyValue("version", settings.deploymentId()).addKeyValue("schema", settings.schema().id())
                .addKeyValue("port", server.getPort())
                .addKeyValue("startupMillis", ManagementFactory.getRuntimeMXBean().getUptime())
                .log("api-service started");
    }

    /**
     * Starts the service with {@code settings}. Environment deduction is off: it probes for cloud
     * metadata, which costs start-up time on a laptop and is never needed here (the version and
     * schema are given).
     */
    static ApplicationContext start(ServiceSettings settings) {
        // The arguments were read into the settings; Micronaut gets no command line of its own.
        return Micronaut.build(new String[0])
                .mainClass(Application.class)
                .banner(false)
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .properties(Map.of(
                        "deployment.id", settings.deploymentId(),
                        "api.schema", settings.schema().id(),
                        // Micronaut's word for "any free port" is -1
                        "micronaut.server.port", settings.port() == 0 ? -1 : settings.port()))
                .start();
    }
}
