package dev.skewless.infra.image;

import dev.skewless.infra.image.Dockerfile.Copy;
import dev.skewless.infra.image.Dockerfile.Flagged;
import dev.skewless.infra.image.Dockerfile.Instruction;
import dev.skewless.infra.image.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs one build stage of a Dockerfile on this machine, without a container engine: an empty
 * directory stands for the stage's filesystem root, its {@code COPY} lines copy exactly what they
 * name from the build context (minus what the ignore file leaves out), its {@code WORKDIR} and
 * {@code ENV} apply, and its {@code RUN} commands run there with bash, offline, against the local
 * Maven repository.
 *
 * <p>What differs from a container, each decided here and nowhere else:
 * <ul>
 *   <li>The base image's tools come from this machine ({@link #toolchain}): a JDK of at least the
 *       image's Java version, and for {@code maven:} images a {@code mvn} (the repository's Maven
 *       wrapper, the same Maven 3.9 the project builds with).</li>
 *   <li>Absolute paths of the image's filesystem in a {@code RUN} command are rewritten into the
 *       stage's root directory ({@link #hostCommand}): the stage's {@code WORKDIR}s and {@code COPY}
 *       destinations, and the files later stages copy {@code --from} it (a build that ends with
 *       {@code cp target/app.jar /app.jar} writes {@code <root>/app.jar}).</li>
 *   <li>{@code RUN --mount=type=cache,target=/root/.m2} is the local {@code ~/.m2} (the runner
 *       keeps {@code HOME}); any other mount is refused.</li>
 *   <li>Maven runs offline: {@code MAVEN_ARGS=-o}, which Maven 3.9 and its wrapper read.</li>
 * </ul>
 */
public final class BuildStage {
    /** Where the build's Maven repository lives in the images; here it is {@code ~/.m2}. */
    static final String IMAGE_MAVEN_HOME = "/root/.m2";

    private static final Pattern TEMURIN_JDK = Pattern.compile("eclipse-temurin:(\\d+)[.\\w-]*-jdk[.\\w-]*");
    private static final Pattern MAVEN_TEMURIN = Pattern.compile("maven:[\\d.]+-eclipse-temurin-(\\d+)[.\\w-]*");

    private final Dockerfile dockerfile;
    private final Stage stage;
    private final Path context;
    private final DockerIgnore ignore;
    private final Path repository;

    /**
     * @param dockerfile the Dockerfile
     * @param stageName  the stage to run
     * @param context    the build context ({@code docker build ... <context>})
     * @param ignore     the ignore rules that apply to that context
     * @param repository the project's root, whose Maven wrapper stands in for an image's {@code mvn}
     */
    public BuildStage(Dockerfile dockerfile, String stageName, Path context, DockerIgnore ignore, Path repository) {
        this.dockerfile = dockerfile;
        this.stage = dockerfile.stage(stageName);
        this.context = context;
        this.ignore = ignore;
        this.repository = repository;
    }

    /**
     * What a run did.
     *
     * @param root      the stage's filesystem root
     * @param exitCode  the failed command's status, or 0
     * @param failed    the instruction that failed, or null
     * @param output    the output of every command (and what the runner itself reports)
     * @param artifacts the files later stages copy {@code --from} this stage, as image paths, each
     *                  with where it is (or should be) under {@link #root}
     */
    public record Result(Path root, int exitCode, Instruction failed, String output, Map<String, Path> artifacts) {
        public boolean succeeded() {
            return failed == null;
        }

        /** The last {@code lines} lines of the output, for an assertion message. */
        public String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /** Runs the stage in {@code work} (an empty directory): {@code work/root} is its filesystem. */
    public Result run(Path work) throws IOException, InterruptedException {
        Path root = Files.createDirectories(work.resolve("root"));
        Path tools = Files.createDirectories(work.resolve("tools"));
        Path log = work.resolve("output.log");
        Files.writeString(log, "");
        Map<String, String> env = toolchain(tools);
        Map<String, Path> imagePaths = new LinkedHashMap<>();
        Map<String, Path> artifacts = new LinkedHashMap<>();
        for (Stage later : dockerfile.stages()) {
            for (Copy c : later.copiesFrom()) {
                if (c.from().equals(stage.name())) {
                    for (String source : c.sources()) {
                        String path = absolute("/", source);
                        artifacts.put(path, onHost(root, path));
                        imagePaths.put(path, onHost(root, path));
                    }
                }
            }
        }
        String workdir = "/";
        for (Instruction i : stage.instructions()) {
            switch (i.keyword()) {
                case "WORKDIR" -> {
                    workdir = absolute(workdir, i.arguments().strip());
                    Files.createDirectories(onHost(root, workdir));
                    imagePaths.put(workdir, onHost(root, workdir));
                }
                case "ENV" -> env.putAll(Dockerfile.envPairs(i));
                // A build argument's default is what a plain docker build (no --build-arg) uses.
                case "ARG" -> {
                    String arg = i.arguments().strip();
                    int eq = arg.indexOf('=');
                    if (eq > 0) {
                        env.put(arg.substring(0, eq), Dockerfile.words(arg.substring(eq + 1)).stream().findFirst().orElse(""));
                    }
                }
                case "COPY" -> {
                    Copy c = Copy.of(i);
                    if (c.from() != null) {
                        return failed(root, i, log, "COPY --from in a build stage is not supported by this runner", artifacts);
                    }
                    String problem = copy(c, root, workdir, imagePaths);
                    if (problem != null) {
                        return failed(root, i, log, problem, artifacts);
                    }
                }
                case "RUN" -> {
                    Flagged f = i.flagged();
                    for (String flag : f.flagList()) {
                        int eq = flag.indexOf('=');
                        String problem = checkFlag(eq < 0 ? flag : flag.substring(0, eq), eq < 0 ? "" : flag.substring(eq + 1));
                        if (problem != null) {
                            return failed(root, i, log, problem, artifacts);
                        }
                    }
                    List<String> command = hostCommand(f.rest(), imagePaths);
                    Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardOpenOption.APPEND);
                    ProcessBuilder pb = new ProcessBuilder(command).directory(onHost(root, workdir).toFile())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                    pb.environment().clear();
                    pb.environment().putAll(env);
                    int status = pb.start().waitFor();
                    if (status != 0) {
                        Files.writeString(log, "(exit status " + status + ")\n", StandardOpenOption.APPEND);
                        return new Result(root, status, i, Files.readString(log), artifacts);
                    }
                }
                // Build-stage metadata: nothing to run.
                case "LABEL", "USER", "EXPOSE", "STOPSIGNAL", "HEALTHCHECK", "CMD", "ENTRYPOINT", "VOLUME" -> { }
                default -> {
                    return failed(root, i, log, i.keyword() + " is not supported by this runner", artifacts);
                }
            }
        }
        return new Result(root, 0, null, Files.readString(log), artifacts);
    }

    private static Result failed(Path root, Instruction i, Path log, String problem, Map<String, Path> artifacts) throws IOException {
        Files.writeString(log, problem + "\n", StandardOpenOption.APPEND);
        return new Result(root, -1, i, Files.readString(log), artifacts);
    }

    private static String checkFlag(String name, String value) {
        return switch (name) {
            case "mount" -> {
                Map<String, String> opts = new LinkedHashMap<>();
                for (String kv : value.split(",")) {
                    int eq = kv.indexOf('=');
                    opts.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
                }
                String target = opts.getOrDefault("target", opts.getOrDefault("dst", opts.get("destination")));
                yield "cache".equals(opts.get("type")) && IMAGE_MAVEN_HOME.equals(target) ? null
                        : "RUN --mount=" + value + ": only a cache mount of " + IMAGE_MAVEN_HOME + " (here: ~/.m2) is supported";
            }
            case "network" -> null; // offline either way
            default -> "RUN --" + name + " is not supported by this runner";
        };
    }

    /**
     * The command to run for a {@code RUN}'s shell or exec form, with the image's absolute paths
     * ({@code imagePaths}) rewritten to their place under the stage's root. Only whole paths are
     * rewritten (after a space, '=', a quote or the start, before a space, '/', a quote, ';', '&',
     * '|' or the end), longest first, so {@code /src} never rewrites {@code api-service/src}.
     */
    static List<String> hostCommand(String arguments, Map<String, Path> imagePaths) {
        List<Map.Entry<String, Path>> byLength = imagePaths.entrySet().stream()
                .filter(e -> !e.getKey().equals("/"))
                .sorted(Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length()).reversed()).toList();
        java.util.function.UnaryOperator<String> rewrite = s -> {
            String out = s;
            for (Map.Entry<String, Path> e : byLength) {
                Pattern p = Pattern.compile("(?<=^|[\\s='\"])" + Pattern.quote(e.getKey()) + "(?=$|[\\s/'\";&|)])");
                out = p.matcher(out).replaceAll(Matcher.quoteReplacement(e.getValue().toString()));
            }
            return out;
        };
        return Dockerfile.execForm(arguments).map(args -> args.stream().map(rewrite).toList())
                .orElseGet(() -> List.of("bash", "-c", rewrite.apply(arguments)));
    }

    /**
     * What the stage's base image provides, from this machine: JAVA_HOME (this JVM, which must be
     * a JDK of at least the image's Java version), and for {@code maven:} images a {@code mvn} on
     * the PATH that runs the repository's Maven wrapper. An image it does not know is an error.
     */
    private Map<String, String> toolchain(Path tools) throws IOException {
        String image = stage.image();
        Matcher jdk = TEMURIN_JDK.matcher(image);
        Matcher maven = MAVEN_TEMURIN.matcher(image);
        int javaVersion;
        if (maven.matches()) {
            javaVersion = Integer.parseInt(maven.group(1));
            Path mvn = tools.resolve("mvn");
            Files.writeString(mvn, "#!/bin/sh\nexec '" + repository.resolve("mvnw") + "' \"$@\"\n");
            if (!mvn.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + mvn + " executable");
            }
        } else if (jdk.matches()) {
            javaVersion = Integer.parseInt(jdk.group(1));
        } else {
            throw new IllegalArgumentException(dockerfile.path() + ": this runner does not know what the image " + image
                    + " provides; teach BuildStage.toolchain");
        }
        Path javaHome = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() < javaVersion || !Files.isExecutable(javaHome.resolve("bin/javac"))) {
            throw new IllegalStateException("the build stage's image " + image + " has a JDK " + javaVersion
                    + "; run the tests on a JDK >= " + javaVersion + " (this one: " + javaHome + ", " + Runtime.version() + ")");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", System.getProperty("user.home"));
        env.put("JAVA_HOME", javaHome.toString());
        env.put("PATH", tools + ":" + javaHome.resolve("bin") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("MAVEN_ARGS", "-o");
        return env;
    }

    /**
     * Copies one {@code COPY}'s sources from the context, as BuildKit does: a file to the
     * destination (into it when it ends with '/' or there are several sources), a directory's
     * contents into the destination. A source that is not in the context, or that the ignore
     * rules leave out, is the build's error (BuildKit: "not found"); the problem is returned.
     */
    private String copy(Copy c, Path root, String workdir, Map<String, Path> imagePaths) throws IOException {
        String destination = absolute(workdir, c.destination());
        boolean intoDirectory = c.destination().endsWith("/") || c.sources().size() > 1;
        for (String source : c.sources()) {
            List<String> matches = resolve(source);
            if (matches.isEmpty()) {
                return "COPY " + source + ": not in the build context " + context + " (missing, or left out by the ignore file)";
            }
            for (String m : matches) {
                Path from = context.resolve(m);
                if (Files.isDirectory(from)) {
                    copyDirectory(m, onHost(root, destination));
                } else {
                    Path to = intoDirectory || matches.size() > 1 || Files.isDirectory(onHost(root, destination))
                            ? onHost(root, destination).resolve(from.getFileName().toString()) : onHost(root, destination);
                    Files.createDirectories(to.getParent());
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        imagePaths.put(destination.length() > 1 && destination.endsWith("/") ? destination.substring(0, destination.length() - 1)
                : destination, onHost(root, destination));
        return null;
    }

    /** The context paths a COPY source names (a wildcard source can name several), kept ones only. */
    private List<String> resolve(String source) throws IOException {
        String s = source.replaceAll("^/+", "").replaceAll("/+$", "");
        if (s.isEmpty() || s.equals(".")) {
            return List.of(".");
        }
        if (!s.matches(".*[*?\\[].*")) {
            Path p = context.resolve(s);
            boolean kept = Files.isDirectory(p) ? !keptFiles(s).isEmpty() : Files.isRegularFile(p) && !ignore.excludes(s);
            return kept ? List.of(s) : List.of();
        }
        Pattern glob = Pattern.compile(s.chars().mapToObj(ch -> switch ((char) ch) {
            case '*' -> "[^/]*";
            case '?' -> "[^/]";
            default -> Pattern.quote(String.valueOf((char) ch));
        }).reduce("", String::concat));
        int depth = s.split("/").length;
        List<String> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(context, depth)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = relative(p);
                if (glob.matcher(rel).matches() && (Files.isDirectory(p) ? !keptFiles(rel).isEmpty() : !ignore.excludes(rel))) {
                    found.add(rel);
                }
            }
        }
        return found.stream().sorted().toList();
    }

    private void copyDirectory(String source, Path to) throws IOException {
        Path base = context.resolve(source).normalize();
        for (String rel : keptFiles(source)) {
            Path from = context.resolve(rel);
            Path target = to.resolve(base.relativize(from.normalize()).toString());
            Files.createDirectories(target.getParent());
            Files.copy(from, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(to);
    }

    /** The files under a context directory that the ignore rules keep (what BuildKit sends). */
    private List<String> keptFiles(String directory) throws IOException {
        try (Stream<Path> files = Files.walk(context.resolve(directory))) {
            return files.filter(Files::isRegularFile).map(this::relative).filter(rel -> !ignore.excludes(rel)).sorted().toList();
        }
    }

    private String relative(Path p) {
        return context.relativize(p.normalize()).toString().replace('\\', '/');
    }

    /** An image path resolved against the working directory. */
    static String absolute(String workdir, String path) {
        String joined = path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
        return Path.of(joined).normalize().toString() + (path.endsWith("/") && !joined.equals("/") ? "/" : "");
    }

    private static Path onHost(Path root, String imagePath) {
        String rel = imagePath.replaceAll("^/+", "");
        return rel.isEmpty() ? root : root.resolve(rel);
    }
}
