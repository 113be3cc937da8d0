package dev.skewless.plan.routing;

import static dev.skewless.plan.routing.RequestBuilder.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skewless.model.OnExpired;
import dev.skewless.model.RoutingSpec;
import dev.skewless.plan.routing.RouteDecision.Forward;
import dev.skewless.plan.routing.RouteDecision.WeightedVersion;
import dev.skewless.plan.routing.RoutingTable.CanarySplit;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RoutingEvaluatorTest {

    static final RoutingSpec REJECT = RoutingSpec.DEFAULT;
    static final RoutingSpec FALLBACK = new RoutingSpec(null, null, null, OnExpired.FALLBACK);
    static final RoutingSpec WITH_COOKIE = new RoutingSpec(null, null, "dpl", OnExpired.REJECT);
    /** Live first, then newest to oldest. */
    static final List<String> ROUTABLE = List.of("v3", "v2", "v1");
    static final RouteDecision NOT_MATCHED = new RouteDecision.NotMatched();

    static RoutingTable table(RoutingSpec routing, String live, CanarySplit canary) {
        return new RoutingTable("shop", routing, List.of("/api/*"), List.of(), false, live, canary,
                live == null ? List.of("v2", "v1") : ROUTABLE);
    }

    static RoutingTable table(RoutingSpec routing) {
        return table(routing, "v3", null);
    }

    static RouteDecision gone() {
        return RoutingTable.expiredResponse("shop", "v3");
    }

    @Nested
    class Scope {
        @Test
        void pathsOutsideThePatternsAreNotOurs() {
            RoutingTable t = table(REJECT);
            assertThat(t.route(get("/static/app.js").build())).isEqualTo(NOT_MATCHED);
            assertThat(t.route(get("/api").build())).isEqualTo(NOT_MATCHED);
            assertThat(t.route(get("/api/").build())).isEqualTo(Forward.to("v3"));
            assertThat(t.route(get("/api/users/1/orders").build())).as("* spans slashes").isEqualTo(Forward.to("v3"));
        }

        @Test
        void pathsCompareCaseSensitively() {
            assertThat(table(REJECT).route(get("/API/users").build())).isEqualTo(NOT_MATCHED);
        }

        @Test
        void questionMarkIsExactlyOneCharacter() {
            RoutingTable t = new RoutingTable("shop", REJECT, List.of("/v?/x"), List.of(), false, "v3", null, ROUTABLE);
            assertThat(t.route(get("/v1/x").build())).isEqualTo(Forward.to("v3"));
            assertThat(t.route(get("/v12/x").build())).isEqualTo(NOT_MATCHED);
            assertThat(t.route(get("/v/x").build())).isEqualTo(NOT_MATCHED);
        }

        @Test
        void hostsCompareCaseInsensitivelyWithWildcards() {
            RoutingTable t = new RoutingTable("shop", REJECT, List.of(), List.of("*.example.com"), false, "v3", null,
                    ROUTABLE);
            assertThat(t.route(get("/x").host("App.EXAMPLE.com").build())).isEqualTo(Forward.to("v3"));
            assertThat(t.route(get("/x").host("example.com").build())).isEqualTo(NOT_MATCHED);
            assertThat(t.route(get("/x").host(null).build())).isEqualTo(NOT_MATCHED);
        }

        @Test
        void pathAndHostMustBothMatch() {
            RoutingTable t = new RoutingTable("shop", REJECT, List.of("/api/*", "/ws"), List.of("app.example.com"),
                    false, "v3", null, ROUTABLE);
            assertThat(t.route(get("/ws").build())).isEqualTo(Forward.to("v3"));
            assertThat(t.route(get("/ws").host("other.example.com").build())).isEqualTo(NOT_MATCHED);
            assertThat(t.route(get("/other").build())).isEqualTo(NOT_MATCHED);
        }

        @Test
        void noScopingMeansEveryRequest() {
            RoutingTable t = new RoutingTable("shop", REJECT, List.of(), List.of(), true, "v3", null, ROUTABLE);
            assertThat(t.route(get("/anything").host(null).build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void anAppOwningTheListenerGetsOutOfScopeRequestsAsUnpinned() {
            // The listener default takes what no rule matches, and the App's rules are scoped.
            RoutingTable t = new RoutingTable("shop", REJECT, List.of("/api/*"), List.of(), true, "v3",
                    new CanarySplit("v2", 10), ROUTABLE);
            HttpRequest pinnedElsewhere = get("/static/app.js").header("x-deployment-id", "v1").navigation().build();
            assertThat(t.route(pinnedElsewhere)).isEqualTo(t.unpinnedDecision());
        }
    }

    @Nested
    class Navigation {
        @Test
        void goesToLiveEvenWhenPinned() {
            HttpRequest r = get("/api/x").navigation().header("x-deployment-id", "v1").query("dpl", "v2").build();
            assertThat(table(REJECT).route(r)).isEqualTo(Forward.to("v3"));
        }

        @Test
        void isNeverPartOfTheCanary() {
            RoutingTable t = table(REJECT, "v3", new CanarySplit("v2", 50));
            assertThat(t.route(get("/api/x").navigation().build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void isRecognisedCaseInsensitivelyAndOnlyForNavigate() {
            RoutingTable t = table(REJECT);
            assertThat(t.route(get("/api/x").header("sec-fetch-mode", "Navigate").header("x-deployment-id", "v1").build()))
                    .isEqualTo(Forward.to("v3"));
            assertThat(t.route(get("/api/x").header("Sec-Fetch-Mode", "cors").header("x-deployment-id", "v1").build()))
                    .isEqualTo(Forward.to("v1"));
        }

        @Test
        void getsThe503WhileNothingIsLive() {
            RouteDecision d = table(REJECT, null, null).route(get("/api/x").navigation().build());
            assertThat(d).isEqualTo(RoutingTable.noLiveResponse("shop"));
            assertThat(((RouteDecision.Respond) d).status()).isEqualTo(503);
        }
    }

    @Nested
    class Pins {
        @Test
        void aHeaderPinGoesToItsVersion() {
            RoutingTable t = table(REJECT, "v3", new CanarySplit("v2", 50));
            assertThat(t.route(get("/api/x").header("x-deployment-id", "v1").build())).isEqualTo(Forward.to("v1"));
            assertThat(t.route(get("/api/x").header("X-Deployment-ID", "v2").build())).isEqualTo(Forward.to("v2"));
            assertThat(t.route(get("/api/x").header("x-deployment-id", "v3").build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void versionIdsCompareCaseInsensitivelyAndTheRoutableSpellingIsUsed() {
            RoutingTable t = new RoutingTable("shop", REJECT, List.of("/api/*"), List.of(), false, "Build.7", null,
                    List.of("Build.7", "build.6"));
            assertThat(t.route(get("/api/x").header("x-deployment-id", "BUILD.6").build())).isEqualTo(Forward.to("build.6"));
        }

        @Test
        void anExpiredHeaderPinIsRejectedWithLiveNamed() {
            assertThat(table(REJECT).route(get("/api/x").header("x-deployment-id", "v0").build())).isEqualTo(gone());
        }

        @Test
        void anEmptyHeaderIsAPinToNothing() {
            assertThat(table(REJECT).route(get("/api/x").header("x-deployment-id", "").build())).isEqualTo(gone());
        }

        @Test
        void fallbackSendsExpiredPinsToLive() {
            assertThat(table(FALLBACK).route(get("/api/x").header("x-deployment-id", "v0").build()))
                    .isEqualTo(Forward.to("v3"));
            assertThat(table(FALLBACK, null, null).route(get("/api/x").header("x-deployment-id", "v0").build()))
                    .isEqualTo(RoutingTable.noLiveResponse("shop"));
        }

        @Test
        void rejectWithoutLiveNamesNoLive() {
            assertThat(table(REJECT, null, null).route(get("/api/x").header("x-deployment-id", "v0").build()))
                    .isEqualTo(RoutingTable.expiredResponse("shop", null));
        }

        @Test
        void aPinToARoutableVersionWorksWhileNothingIsLive() {
            assertThat(table(REJECT, null, null).route(get("/api/x").query("dpl", "v1").build()))
                    .isEqualTo(Forward.to("v1"));
        }

        @Test
        void aQueryPinCountsWhenThereIsNoHeader() {
            RoutingTable t = table(REJECT);
            assertThat(t.route(get("/api/x").query("dpl", "v2").build())).isEqualTo(Forward.to("v2"));
            assertThat(t.route(get("/api/x").query("DPL", "v2").build())).as("keys ignore case").isEqualTo(Forward.to("v2"));
            assertThat(t.route(get("/api/x").query("dpl", null).build())).as("bare ?dpl").isEqualTo(gone());
            assertThat(t.route(get("/api/x").query("dpl", "").build())).isEqualTo(gone());
            assertThat(t.route(get("/api/x").query("xdpl", "v2").query("dpl2", "v1").build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void customCarrierNamesAreUsed() {
            RoutingTable t = table(new RoutingSpec("X-Build", "b", "skew", OnExpired.REJECT));
            assertThat(t.route(get("/api/x").header("x-build", "v1").build())).isEqualTo(Forward.to("v1"));
            assertThat(t.route(get("/api/x").query("B", "v2").build())).isEqualTo(Forward.to("v2"));
            assertThat(t.route(get("/api/x").cookie("skew=v1").build())).isEqualTo(Forward.to("v1"));
            assertThat(t.route(get("/api/x").header("x-deployment-id", "v1").query("dpl", "v2").build()))
                    .isEqualTo(Forward.to("v3"));
        }
    }

    @Nested
    class CarrierPrecedence {
        @Test
        void anExpiredHeaderWinsOverAValidQuery() {
            HttpRequest r = get("/api/x").header("x-deployment-id", "v0").query("dpl", "v2").build();
            assertThat(table(REJECT).route(r)).isEqualTo(gone());
        }

        @Test
        void anEmptyHeaderWinsOverAValidQuery() {
            HttpRequest r = get("/api/x").header("x-deployment-id", "").query("dpl", "v2").build();
            assertThat(table(REJECT).route(r)).isEqualTo(gone());
        }

        @Test
        void aValidHeaderWinsOverAnExpiredQuery() {
            HttpRequest r = get("/api/x").header("x-deployment-id", "v1").query("dpl", "v0").build();
            assertThat(table(REJECT).route(r)).isEqualTo(Forward.to("v1"));
        }

        @Test
        void anExpiredQueryWinsOverAValidCookie() {
            HttpRequest r = get("/api/x").query("dpl", "v0").cookie("dpl=v2").build();
            assertThat(table(WITH_COOKIE).route(r)).isEqualTo(gone());
        }

        @Test
        void aValidHeaderWinsOverEverythingElse() {
            HttpRequest r = get("/api/x").header("x-deployment-id", "v1").query("dpl", "v2").cookie("dpl=v3").build();
            assertThat(table(WITH_COOKIE).route(r)).isEqualTo(Forward.to("v1"));
        }
    }

    @Nested
    class SeveralValues {
        @Test
        void theRoutableVersionListedFirstWinsNotTheFirstInTheRequest() {
            RoutingTable t = table(REJECT);
            assertThat(t.route(get("/api/x").query("dpl", "v1").query("dpl", "v2").build())).isEqualTo(Forward.to("v2"));
            assertThat(t.route(get("/api/x").query("dpl", "v1").query("DPL", "v3").build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void expiredAndEmptyValuesYieldToARoutableOne() {
            RoutingTable t = table(REJECT);
            assertThat(t.route(get("/api/x").query("dpl", "v0").query("dpl", "").query("dpl", "v1").build()))
                    .isEqualTo(Forward.to("v1"));
        }

        @Test
        void noRoutableValueIsExpired() {
            assertThat(table(REJECT).route(get("/api/x").query("dpl", "v0").query("dpl", null).build())).isEqualTo(gone());
        }

        @Test
        void repeatedHeadersAndCookiesAreTreatedAlike() {
            RoutingTable t = table(WITH_COOKIE);
            assertThat(t.route(get("/api/x").header("x-deployment-id", "v1", "v2").build())).isEqualTo(Forward.to("v2"));
            assertThat(t.route(get("/api/x").cookie("dpl=v1; dpl=v2").build())).isEqualTo(Forward.to("v2"));
        }
    }

    @Nested
    class Cookies {
        @Test
        void areIgnoredUnlessEnabled() {
            assertThat(table(REJECT).route(get("/api/x").cookie("dpl=v1").build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void areFoundAnywhereInTheHeader() {
            RoutingTable t = table(WITH_COOKIE);
            assertThat(t.route(get("/api/x").cookie("dpl=v1").build())).isEqualTo(Forward.to("v1"));
            assertThat(t.route(get("/api/x").cookie("dpl=v1; theme=dark").build())).isEqualTo(Forward.to("v1"));
            assertThat(t.route(get("/api/x").cookie("sid=1; dpl=v1").build())).isEqualTo(Forward.to("v1"));
            assertThat(t.route(get("/api/x").cookie("sid=1; DPL=v1; theme=dark").build())).isEqualTo(Forward.to("v1"));
        }

        @Test
        void matchWholeNamesOnly() {
            RoutingTable t = table(WITH_COOKIE);
            assertThat(t.route(get("/api/x").cookie("xdpl=v1; dpl2=v2").build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void anEmptyOrExpiredCookieIsExpired() {
            RoutingTable t = table(WITH_COOKIE);
            assertThat(t.route(get("/api/x").cookie("dpl=").build())).isEqualTo(gone());
            assertThat(t.route(get("/api/x").cookie("a=b; dpl=v0").build())).isEqualTo(gone());
        }

        @Test
        void onlyPairsTheAlbCanSeeCount() {
            // ALB's patterns look for the cookie at the start or after "; " (what browsers send).
            RoutingTable t = table(WITH_COOKIE);
            assertThat(t.route(get("/api/x").cookie("a=b;dpl=v1").build())).isEqualTo(Forward.to("v3"));
            assertThat(t.route(get("/api/x").cookie("dpl=v1;a=b").build())).isEqualTo(Forward.to("v1"));
        }
    }

    @Nested
    class Unpinned {
        @Test
        void goesToLive() {
            assertThat(table(REJECT).route(get("/api/x").build())).isEqualTo(Forward.to("v3"));
        }

        @Test
        void isSplitWithTheCanary() {
            assertThat(table(REJECT, "v3", new CanarySplit("v2", 10)).route(get("/api/x").build()))
                    .isEqualTo(new Forward(List.of(new WeightedVersion("v3", 90), new WeightedVersion("v2", 10))));
        }

        @Test
        void keepsBothTargetsAtTheExtremes() {
            assertThat(table(REJECT, "v3", new CanarySplit("v2", 100)).route(get("/api/x").build()))
                    .isEqualTo(new Forward(List.of(new WeightedVersion("v3", 0), new WeightedVersion("v2", 100))));
        }

        @Test
        void getsThe503WhileNothingIsLiveEvenWithACanary() {
            assertThat(table(REJECT, null, new CanarySplit("v2", 10)).route(get("/api/x").build()))
                    .isEqualTo(RoutingTable.noLiveResponse("shop"));
        }
    }
}
