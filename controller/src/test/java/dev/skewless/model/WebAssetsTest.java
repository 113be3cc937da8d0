package dev.skewless.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebAssetsTest {

    @Test
    void contentTypesByExtension() {
        assertThat(WebAssets.contentType("index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(WebAssets.contentType("assets/a.JS")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(WebAssets.contentType("assets/a.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(WebAssets.contentType("assets/f.woff2")).isEqualTo("font/woff2");
        assertThat(WebAssets.contentType("site.webmanifest")).isEqualTo("application/manifest+json");
    }

    @Test
    void noExtensionIsUnknownEvenUnderADottedDirectory() {
        assertThat(WebAssets.contentType("LICENSE")).isEqualTo(WebAssets.UNKNOWN_TYPE);
        assertThat(WebAssets.contentType("assets.v2/LICENSE")).isEqualTo(WebAssets.UNKNOWN_TYPE);
        assertThat(WebAssets.contentType("assets/a.unknownext")).isEqualTo(WebAssets.UNKNOWN_TYPE);
    }
}
