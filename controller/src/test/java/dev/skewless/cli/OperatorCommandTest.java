package dev.skewless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skewless operator} refuses settings it cannot run with before it connects to anything. */
class OperatorCommandTest {

    @Test
    void aWebhookCertificateDirectoryWithoutACertificateIsAUsageError(@TempDir Path empty) {
        try (Terminal t = new Terminal()) {
            Terminal.Run r = t.run("operator", "--webhook-cert-dir", empty.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("error: --webhook-cert-dir " + empty + " holds no tls.crt",
                    "Mount the webhook's certificate Secret there");
        }
    }

    @Test
    void everyNamespaceCannotBeCombinedWithNames() {
        try (Terminal t = new Terminal()) {
            Terminal.Run r = t.run("operator", "--namespace", "*,shop");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("'*' (every namespace) cannot be combined with names");
        }
    }

    @Test
    void aWebhookPortThatIsNoPortIsAUsageError() {
        try (Terminal t = new Terminal()) {
            t.variables.put("SKEWLESS_WEBHOOK_PORT", "https");
            Terminal.Run r = t.run("operator");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("SKEWLESS_WEBHOOK_PORT='https' is not a port number");
        }
    }
}
