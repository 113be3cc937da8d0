package dev.skewless.cli;

import dev.skewless.model.manifest.Document;
import dev.skewless.model.manifest.ManifestReader;
import dev.skewless.model.manifest.Manifests;
import dev.skewless.model.validation.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads the {@code -f} arguments of {@code apply}: files, directories (their {@code .yaml},
 * {@code .yml} and {@code .json} files in name order) and {@code -} (standard input). A path
 * that cannot be read becomes a problem like any other, so one run lists everything wrong.
 */
final class ManifestFiles {
    private ManifestFiles() {}

    static Manifests read(List<String> sources, boolean recursive, Supplier<InputStream> stdin) {
        Manifests all = Manifests.EMPTY;
        boolean stdinRead = false;
        for (String source : sources) {
            if (source.equals("-")) {
                if (stdinRead) {
                    all = all.plus(problem("stdin", "'-f -' is given twice; standard input can be read once"));
                    continue;
                }
                stdinRead = true;
                try {
                    InputStream in = stdin.get();
                    all = all.plus(ManifestReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "stdin"));
                } catch (IOException e) {
                    all = all.plus(problem("stdin", "cannot be read: " + e.getMessage()));
                }
                continue;
            }
            Path path = Path.of(source);
            if (Files.isDirectory(path)) {
                List<Path> files = manifestsIn(path, recursive);
                if (files.isEmpty()) {
                    all = all.plus(problem(source, "directory has no .yaml, .yml or .json files" + (recursive ? "" : " (use -R to look in subdirectories)")));
                }
                for (Path f : files) {
                    all = all.plus(file(f, f.toString()));
                }
            } else {
                all = all.plus(file(path, source));
            }
        }
        return all;
    }

    private static Manifests file(Path path, String label) {
        if (!Files.exists(path)) {
            return problem(label, "no such file or directory");
        }
        try {
            return ManifestReader.read(Files.readString(path, StandardCharsets.UTF_8), label);
        } catch (IOException e) {
            return problem(label, "cannot be read: " + e.getMessage());
        }
    }

    private static List<Path> manifestsIn(Path dir, boolean recursive) {
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ManifestFiles::isManifest).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static Manifests problem(String label, String message) {
        return new Manifests(List.of(new Document(label, null, List.of(new Problem(label, message)))));
    }
}
