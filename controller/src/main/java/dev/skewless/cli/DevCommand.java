package dev.skewless.cli;

import dev.skewless.cli.dev.DevRuntime;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.Phase;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code skewless dev}: the whole of skewless on one machine, with a demo App. */
@Command(name = "dev", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Run skewless on this machine: local processes instead of ECS, a local router instead of the ALB.",
        description = {
            "The same records, planner, routing table and engine as production, on an embedded store in --state-dir. "
                    + "On first start it applies the demo App (manifests/dev): the sample api-service and the web client, v1 live.",
            "",
            "In a second terminal, the verbs find this store by themselves:",
            "  ./skewless apply -f manifests/dev/shop-v2.yaml    # a release with a breaking API change",
            "  ./skewless promote shop v2",
            "  ./skewless get versions shop",
            "",
            "Ctrl-C (or SIGTERM) stops every process it started; starting again resumes from the store."
        })
final class DevCommand implements Callable<Integer> {
    @ParentCommand
    SkewlessCommand root;

    @Option(names = "--port", defaultValue = "4000", description = "Port of the local router: the URL to open (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Records, web builds and logs (default: .skewless/dev in the repository).")
    Path stateDir;

    @Option(names = "--api-port", defaultValue = "0", description = "Port of the controller's own HTTP server (default: a free one).")
    int apiPort;

    @Option(names = "--no-demo", description = "Start with an empty store instead of the demo App.")
    boolean noDemo;

    @Override
    public Integer call() throws Exception {
        CliEnvironment env = root.env();
        PrintWriter out = env.out();
        Path repo = env.variable(StoreSelection.HOME_ENV).map(Path::of).orElse(Path.of("")).toAbsolutePath();
        Path state = (stateDir != null ? stateDir : StoreSelection.devStateDir(env)).toAbsolutePath().normalize();
        List<Path> demo = noDemo ? List.of()
                : List.of(repo.resolve("manifests/dev/shop-app.yaml"), repo.resolve("manifests/dev/shop-v1.yaml"));
        for (Path f : demo) {
            if (!Files.isRegularFile(f)) {
                throw CliFailure.failed("The demo manifest " + f + " is missing.",
                        "Run ./skewless dev from the skewless repository, or start with --no-demo.");
            }
        }
        if (!noDemo && !Files.isRegularFile(repo.resolve("api-service/target/api-service.jar"))) {
            throw CliFailure.failed("The demo runs api-service/target/api-service.jar, which is not built.",
                    "Run it through ./skewless (it builds what is missing), or: ./mvnw -pl api-service -am package -DskipTests");
        }

        DevRuntime dev;
        try {
            dev = DevRuntime.start(new DevRuntime.Options(repo, state, port, apiPort, demo, null, null));
        } catch (IllegalStateException e) {
            throw CliFailure.failed(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(dev::close, "skewless-dev-shutdown"));

        String url = "http://localhost:" + dev.routerUri().getPort();
        dev.seeded().forEach(line -> out.println("  " + line));
        if (!dev.restoring().isEmpty()) {
            long n = dev.restoring().values().stream().mapToLong(java.util.Set::size).sum();
            out.println("Restoring " + n + (n == 1 ? " version" : " versions") + " that served before this restart; "
                    + "requests are answered 503 (Retry-After: 1) until they serve again.");
        }
        out.println();
        out.println("skewless dev is running. State, web builds and logs: " + state);
        out.println("  app:        " + url + "/");
        out.println("  status:     " + url + "/#/status");
        out.println("  status API: " + url + "/_skewless/api/v1/apps   (controller on " + dev.apiUri() + ", /metrics there)");
        out.println();
        boolean defaultState = state.equals(StoreSelection.devStateDir(env).toAbsolutePath().normalize());
        if (defaultState) {
            out.println("In a second terminal (the verbs find this store by themselves):");
        } else {
            // Only the default state directory is found without help; say exactly what to set.
            out.println("In a second terminal, point the verbs at this store first:");
            out.println("  export " + StoreSelection.STORE_ENV + "=" + StoreSelection.EMBEDDED + ":" + state.resolve("store"));
        }
        out.println("  ./skewless get versions" + (dev.webApp() == null ? "" : " " + dev.webApp()));
        if (dev.webApp() != null && dev.webApp().equals("shop")) {
            out.println("  ./skewless apply -f manifests/dev/shop-v2.yaml    # a release with a breaking API change");
            out.println("  ./skewless promote shop v2                       # once v2 is Ready; old tabs stay on v1 until it expires");
        }
        out.println("Stop with Ctrl-C.");
        out.flush();
        if (dev.webApp() != null) {
            Thread.ofVirtual().name("skewless-dev-ready").start(() -> announceLive(dev, out));
        }
        dev.awaitShutdown();
        return ExitCode.OK;
    }

    /** Says when the web App has a live version whose web client is built: the moment to open the browser. */
    private static void announceLive(DevRuntime dev, PrintWriter out) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            try {
                Optional<App> app = dev.store().getApp(dev.webApp());
                String live = app.map(a -> a.status().liveVersion()).orElse(null);
                if (live != null && dev.webBuilt(live)) {
                    Optional<AppVersion> v = dev.store().listVersions(dev.webApp()).stream()
                            .filter(x -> x.metadata().name().equals(live)).findFirst();
                    if (v.isPresent() && v.get().status().phase() == Phase.Live) {
                        out.println(dev.webApp() + "/" + live + " is live: open " + "http://localhost:" + dev.routerUri().getPort() + "/");
                        out.flush();
                        return;
                    }
                }
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The store is being written; ask again.
            }
        }
        out.println("No live version of " + dev.webApp() + " after 5 minutes; see ./skewless describe " + dev.webApp()
                + " and the logs in the state directory.");
        out.flush();
    }
}
