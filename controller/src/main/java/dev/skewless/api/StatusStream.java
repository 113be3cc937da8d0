package dev.skewless.api;

import dev.skewless.service.Replica;
import dev.skewless.service.StatusFeed;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * {@code GET /api/v1/stream}: server-sent events of changes, optionally for one App. Event names:
 * {@code app} (an AppSummary), {@code version} (a VersionView), {@code event} (an Event of this
 * replica's engine); plus {@code appRemoved} and {@code versionRemoved} ({@code {"app","version"}})
 * when records disappear. A comment line every heartbeat keeps proxies from closing the stream.
 */
@Controller("/api/v1")
public class StatusStream {
    /** Events a slow client may fall behind by before the oldest are dropped (it re-reads on reconnect). */
    private static final int BUFFER = 1024;

    private final Replica runtime;
    private final ServerOptions options;

    public StatusStream(Replica runtime, ServerOptions options) {
        this.runtime = runtime;
        this.options = options;
    }

    @Get(uri = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<Object>> stream(@Nullable @QueryValue String app) {
        Flux<Event<Object>> changes = Flux.create(sink -> {
            AutoCloseable statuses = runtime.feed().subscribe(change -> {
                if (app == null || app.equals(change.app())) {
                    sink.next(event(change));
                }
            });
            AutoCloseable decisions = runtime.events().subscribe(d -> {
                if (app == null || app.equals(d.app())) {
                    sink.next(Event.<Object>of(StatusViews.event(d)).name("event"));
                }
            });
            sink.onDispose(() -> {
                close(statuses);
                close(decisions);
            });
        }, FluxSink.OverflowStrategy.BUFFER);
        Flux<Event<Object>> heartbeats = Flux.interval(options.streamHeartbeat()).map(i -> Event.<Object>of("").comment("heartbeat"));
        // A comment first, so the response headers go out at once: a browser's EventSource reports
        // the stream open only then, not at the first change, which may be minutes away.
        Flux<Event<Object>> hello = Flux.just(Event.<Object>of("").comment("connected"));
        return Flux.concat(hello,
                Flux.merge(changes.onBackpressureBuffer(BUFFER, dropped -> {}, BufferOverflowStrategy.DROP_OLDEST), heartbeats));
    }

    private static Event<Object> event(StatusFeed.Change change) {
        return switch (change) {
            case StatusFeed.AppChanged c -> Event.<Object>of(StatusViews.summary(c.record(), c.versions())).name("app");
            case StatusFeed.VersionChanged c -> Event.<Object>of(StatusViews.version(c.record(), c.version())).name("version");
            case StatusFeed.AppRemoved r -> Event.<Object>of(Map.of("app", r.app())).name("appRemoved");
            case StatusFeed.VersionRemoved r -> Event.<Object>of(Map.of("app", r.app(), "version", r.version())).name("versionRemoved");
        };
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // removing a listener from a list does not fail
        }
    }
}
