package dev.skewless.api;

import dev.skewless.api.Views.AppSummary;
import dev.skewless.api.Views.EventView;
import dev.skewless.api.Views.Items;
import dev.skewless.model.App;
import dev.skewless.model.AppVersion;
import dev.skewless.model.VersionKey;
import dev.skewless.service.Replica;
import dev.skewless.store.VersionStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read-only status API. Apps and versions are read from the store on every request, so any
 * replica (leader or standby) answers the same; events are this replica's own history.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatusApi {
    /** Default and largest {@code limit} of the events endpoint. */
    static final int DEFAULT_EVENTS = 100;

    private final Replica runtime;
    private final VersionStore store;
    private final String openApi;

    public StatusApi(Replica runtime) {
        this.runtime = runtime;
        this.store = runtime.records();
        this.openApi = resource("openapi/skewless-status-api.yaml");
    }

    @Get(uri = "/apps", produces = MediaType.APPLICATION_JSON)
    public Items<AppSummary> apps() {
        List<AppSummary> out = new ArrayList<>();
        for (App app : store.listApps()) {
            out.add(StatusViews.summary(app, store.listVersions(app.name())));
        }
        return new Items<>(out);
    }

    @Get(uri = "/apps/{app}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> app(String app) {
        Optional<App> found = store.getApp(app);
        if (found.isEmpty()) {
            throw Problems.unknownApp(app);
        }
        return HttpResponse.ok(StatusViews.detail(found.get(), store.listVersions(app)));
    }

    @Get(uri = "/apps/{app}/versions", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> versions(String app) {
        Optional<App> found = store.getApp(app);
        if (found.isEmpty()) {
            throw Problems.unknownApp(app);
        }
        return HttpResponse.ok(new Items<>(StatusViews.versions(found.get(), store.listVersions(app))));
    }

    @Get(uri = "/apps/{app}/versions/{version}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> version(String app, String version) {
        Optional<App> found = store.getApp(app);
        if (found.isEmpty()) {
            throw Problems.unknownApp(app);
        }
        Optional<AppVersion> v = store.getVersion(new VersionKey(app, version));
        if (v.isEmpty()) {
            throw Problems.unknownVersion(app, version);
        }
        return HttpResponse.ok(StatusViews.version(found.get(), v.get()));
    }

    @Get(uri = "/apps/{app}/events", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> events(String app, @Nullable @QueryValue String limit) {
        int n = DEFAULT_EVENTS;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1) {
                throw new Problems.ProblemException(HttpStatus.BAD_REQUEST, "bad-limit", "Bad limit",
                        "limit must be a whole number from 1 to " + runtime.events().capacity() + ", got '" + limit + "'");
            }
        }
        if (store.getApp(app).isEmpty()) {
            throw Problems.unknownApp(app);
        }
        List<EventView> items = runtime.events().recent(app, Math.min(n, runtime.events().capacity())).stream()
                .map(StatusViews::event).toList();
        return HttpResponse.ok(new Items<>(items));
    }

    @Get(uri = "/openapi.yaml", produces = "application/yaml")
    public String openApi() {
        return openApi;
    }

    private static String resource(String name) {
        try (InputStream in = StatusApi.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the controller's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
