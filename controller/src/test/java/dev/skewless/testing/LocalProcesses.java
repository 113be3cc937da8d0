package dev.skewless.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Real processes for the local runtime's tests: a Python interpreter and a tiny version server. */
public final class LocalProcesses {
    private LocalProcesses() {}

    /** The machine's Python 3 (the Debian one when present: the pyenv shim is a shell script). */
    public static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** {@code src/test/resources/local/version-server.py}: see its docstring for what it answers. */
    public static Path versionServer() {
        try {
            return Path.of(Objects.requireNonNull(LocalProcesses.class.getResource("/local/version-server.py")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command line that runs the version server (it reads PORT and VERSION from the environment). */
    public static List<String> versionServerCommand() {
        return List.of(python(), versionServer().toString());
    }
}
