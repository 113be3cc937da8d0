package dev.skewless.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.App;
import dev.skewless.model.AppSpec;
import dev.skewless.model.PriorityRange;
import dev.skewless.model.RouterSpec;
import dev.skewless.testing.SampleRecords;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The overlap rule of decision 032, and cross-record validation refusing it with both Apps named. */
class AppShadowingTest {

    private static App app(String name, int from, List<String> paths, List<String> hosts) {
        App a = SampleRecords.app(name);
        return new App(a.metadata(), new AppSpec(a.spec().platform(),
                new RouterSpec(SampleRecords.LISTENER, new PriorityRange(from, from + 99), paths, hosts, null, false, null),
                null, null, null, null), null);
    }

    private static List<String> list(String spaced) {
        return spaced.isBlank() ? List.of() : List.of(spaced.strip().split(" +"));
    }

    @ParameterizedTest(name = "first {0} on {1}, later {2} on {3}: {4}")
    @CsvSource(delimiter = '|', value = {
            // first paths | first hosts | later paths | later hosts | shadowed field paths of the later App ('-' = none)
            "/api/*      |             | /api/*           |                 | spec.router",
            "/api/*      |             | /api/v1/*        |                 | spec.router",
            "/api/*      |             | /api/v?          |                 | spec.router",
            "/api/*      |             | /api/* /web/*    |                 | spec.router.pathPatterns[0]",
            "/api/v1/*   |             | /api/*           |                 | -",
            "/a*         |             | */b              |                 | -",
            "/api/*      | a.example   | /api/*           |                 | -",
            "/api/*      |             | /api/*           | a.example       | spec.router",
            "            | *.example   | /x               | shop.EXAMPLE    | spec.router",
            "/api/*      | a.example   | /api/*           | a.example b.example | spec.router.hostHeaders[0]",
            "/v1/* /v2/* |             | /v?/*            |                 | -",
            "/v1/* /v*   |             | /v?/*            |                 | spec.router",
            "/API/*      |             | /api/*           |                 | -",
    })
    void theLaterAppIsShadowedWhereTheFirstIncludesIt(String firstPaths, String firstHosts, String laterPaths, String laterHosts,
            String shadowed) {
        App first = app("first", 100, list(firstPaths == null ? "" : firstPaths), list(firstHosts == null ? "" : firstHosts));
        App later = app("later", 200, list(laterPaths == null ? "" : laterPaths), list(laterHosts == null ? "" : laterHosts));

        var shadow = AppShadowing.between(later, first);

        assertThat(shadow.map(AppShadowing.Shadow::paths).orElse(List.of("-"))).isEqualTo(List.of(shadowed.split(" ")));
        assertThat(AppShadowing.between(first, later)).as("symmetric").isEqualTo(shadow);
        shadow.ifPresent(s -> assertThat(s.summary()).contains("App later", "App first"));
    }

    @Test
    void nestingWithTheSpecificAppFirstIsAllowedButNotTheOtherWayRound() {
        App specific = app("v1api", 100, List.of("/api/v1/*"), List.of());
        App general = app("api", 200, List.of("/api/*"), List.of());
        assertThat(AppShadowing.between(specific, general)).isEmpty();

        App late = app("v1api", 300, List.of("/api/v1/*"), List.of());
        assertThat(AppShadowing.between(late, general)).get().satisfies(s -> {
            assertThat(s.shadowed().name()).isEqualTo("v1api");
            assertThat(s.by().name()).isEqualTo("api");
            assertThat(s.whole()).isTrue();
        });
    }

    @Test
    void applyRefusesAnAppAStoredAppWouldShadowNamingBoth() {
        App stored = app("shop", 100, List.of("/api/*"), List.of());
        App applied = app("blog", 200, List.of("/api/*"), List.of());

        List<Problem> problems = RecordValidator.validate(List.of(new Subject.OfApp("doc[0] (App blog)", applied)), List.of(stored),
                List.of());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("doc[0] (App blog): spec.router");
            assertThat(p.message()).contains("would never receive a request", "App blog", "App shop", "already stored", "/api/*");
        });
    }

    @Test
    void applyRefusesAnAppThatWouldShadowAStoredOneAndReportsEachAppOfOneApply() {
        App stored = app("blog", 200, List.of("/api/v1/*"), List.of());
        App applied = app("shop", 100, List.of("/api/*"), List.of());

        List<Problem> problems = RecordValidator.validate(List.of(new Subject.OfApp("doc[0] (App shop)", applied)), List.of(stored),
                List.of());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("doc[0] (App shop): spec.router.priorities");
            assertThat(p.message()).contains("would shadow App blog", "already stored");
        });

        List<Problem> both = RecordValidator.validate(List.of(new Subject.OfApp("doc[0] (App shop)", applied),
                new Subject.OfApp("doc[1] (App blog)", stored)), List.of(), List.of());
        assertThat(both).extracting(Problem::path)
                .containsExactly("doc[0] (App shop): spec.router.priorities", "doc[1] (App blog): spec.router");
    }
}
