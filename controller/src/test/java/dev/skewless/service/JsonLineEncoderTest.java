package dev.skewless.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.skewless.engine.AppReconciler");
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    @Test
    void oneDecisionIsOneFlatJsonLine() throws Exception {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "CreateService for version v1 done", null, null);
        event.setKeyValuePairs(List.of(new KeyValuePair("app", "shop"), new KeyValuePair("version", "v1"),
                new KeyValuePair("action", "CreateService"), new KeyValuePair("outcome", "ok"), new KeyValuePair("workers", 4),
                new KeyValuePair("error", "ThrottlingException: slow down"),
                new KeyValuePair("message", "a key that clashes with a field is dropped")));
        event.setTimeStamp(1_700_000_000_123L);
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.toString()).isEqualTo("{\"time\":\"2023-11-14T22:13:20.123Z\",\"level\":\"INFO\",\"logger\":\"AppReconciler\","
                + "\"message\":\"CreateService for version v1 done\",\"app\":\"shop\",\"version\":\"v1\",\"action\":\"CreateService\","
                + "\"outcome\":\"ok\",\"workers\":4,\"error\":\"ThrottlingException: slow down\"}");
    }

    @Test
    void aStackTraceStaysInsideTheLine() throws Exception {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "pass threw \"badly\"",
                new IllegalStateException("boom"), null);
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("message").asText()).isEqualTo("pass threw \"badly\"");
        assertThat(json.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom").contains("\tat ");
    }
}
