package dev.skewless.service;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line, flat, for CloudWatch Logs Insights: {@code time}, {@code level},
 * {@code logger} (simple name), {@code message}, then every key-value the code attached
 * ({@code app}, {@code version}, {@code action}, {@code outcome}, ...) as a top-level field, and
 * {@code exception} with the stack trace when there is one (the engine's own {@code error}
 * key-value, a one-line summary, stays as it is). Logback's own {@code JsonEncoder} nests
 * key-values in a list and adds sequence numbers and nanoseconds, which makes queries longer for
 * nothing. Selected by {@code SKEWLESS_LOG_FORMAT=json} in {@code logback.xml}.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final Set<String> RESERVED = Set.of("time", "level", "logger", "message", "exception");
    private static final byte[] NONE = new byte[0];
    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            String logger = event.getLoggerName();
            g.writeStringField("logger", logger.substring(logger.lastIndexOf('.') + 1));
            g.writeStringField("message", event.getFormattedMessage());
            Set<String> seen = new HashSet<>(RESERVED);
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    // First wins: a key repeated by mistake must not produce invalid-looking JSON.
                    if (kv.key != null && seen.add(kv.key)) {
                        g.writeFieldName(kv.key);
                        writeValue(g, kv.value);
                    }
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(error));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d when Double.isFinite(d) -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            default -> g.writeString(value.toString());
        }
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }
}
