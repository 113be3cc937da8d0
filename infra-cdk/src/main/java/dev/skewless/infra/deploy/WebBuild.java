package dev.skewless.infra.deploy;

import dev.skewless.infra.FrontendStack;
import dev.skewless.model.WebAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A built web app ({@code web/dist}) as {@code deploy:web} uploads it: hashed assets first, other
 * files next, {@code index.html} last, so a page can never name an asset that is not there yet.
 *
 * @param files every file, in upload order
 */
public record WebBuild(List<File> files) {
    /** The page every navigation loads; uploaded last. */
    public static final String INDEX = "index.html";


    /**
     * One file of the build.
     *
     * @param key          the S3 key (path relative to the build directory, with {@code /})
     * @param path         the file on disk
     * @param contentType  its Content-Type
     * @param cacheControl immutable for hashed assets, no-cache otherwise
     */
    public record File(String key, Path path, String contentType, String cacheControl) {
        /** Whether it is a hashed asset (under {@code assets/}). */
        public boolean hashed() {
            return key.startsWith(FrontendStack.ASSETS_PREFIX);
        }
    }

    public WebBuild {
        files = List.copyOf(files);
    }

    /** Reads a build directory; fails if it has no {@code index.html}. */
    public static WebBuild scan(Path dist) {
        if (!Files.isRegularFile(dist.resolve(INDEX))) {
            throw new DeployException(dist + " holds no " + INDEX + ": build the web app first (npm run build in web/)");
        }
        List<File> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dist)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String key = dist.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                boolean hashed = key.startsWith(FrontendStack.ASSETS_PREFIX);
                files.add(new File(key, p, WebAssets.contentType(key), hashed ? WebAssets.IMMUTABLE : WebAssets.NO_CACHE));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.comparingInt(WebBuild::rank).thenComparing(File::key));
        return new WebBuild(files);
    }

    /** Keys of the hashed assets, the ones a superseded build may still load. */
    public List<String> assetKeys() {
        return files.stream().filter(File::hashed).map(File::key).toList();
    }

    /** Upload rank: hashed assets 0, other files 1, index.html 2. */
    private static int rank(File f) {
        if (f.key().equals(INDEX)) {
            return 2;
        }
        return f.hashed() ? 0 : 1;
    }
}
