package dev.skewless.infra.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The repository's Dockerfiles, found by walking it (not listed by hand, so a new image is
 * checked the day it is added). Every one is built from the repository root, as the deploy
 * commands build them ({@code docker build --file <Dockerfile> <root>}).
 */
public final class RepositoryDockerfiles {
    /** Build output, dependencies and VCS data: never a Dockerfile of ours. */
    private static final Set<String> SKIPPED = Set.of(".git", "node_modules", "target", "dist", "cdk.out");

    private RepositoryDockerfiles() {}

    /** The repository root: the nearest directory up from here holding {@code mvnw} and {@code .mvn}. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve(".mvn"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (mvnw and .mvn) above " + Path.of("").toAbsolutePath());
    }

    /** Every file named {@code Dockerfile} or {@code <name>.Dockerfile} (BuildKit's conventions), sorted. */
    public static List<Path> all() {
        Path root = root();
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isRegularFile() && (name.equals("Dockerfile") || name.endsWith(".Dockerfile"))) {
                        found.add(root.relativize(file));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found.stream().sorted().toList();
    }
}
