package dev.skewless.infra.image;

import dev.skewless.infra.image.Dockerfile.Copy;
import dev.skewless.infra.image.Dockerfile.Instruction;
import dev.skewless.infra.image.Dockerfile.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an image runs with, read from its Dockerfile's last stage: the facts a task definition
 * must agree with.
 *
 * @param user        {@code USER}, or null (root)
 * @param entrypoint  {@code ENTRYPOINT} in exec form, or null when absent or in shell form
 * @param shellEntrypoint true when the entrypoint is in shell form ({@code /bin/sh -c} is PID 1)
 * @param cmd         {@code CMD} in exec form, or null
 * @param exposed     {@code EXPOSE}d ports
 * @param healthCheck {@code HEALTHCHECK}, or null
 * @param stopSignal  {@code STOPSIGNAL}, or null (SIGTERM)
 * @param env         {@code ENV} of the stage
 * @param jvmOptions  the JVM options the image starts java with: the entrypoint's arguments
 *                    between {@code java} and {@code -jar}, then {@code JAVA_TOOL_OPTIONS}
 * @param copiedJars  image path of each jar copied {@code --from} a build stage
 * @param installed   packages the stage's {@code apt-get install} commands install
 */
public record ImageConfig(String user, List<String> entrypoint, boolean shellEntrypoint, List<String> cmd, List<Integer> exposed,
                          HealthCheck healthCheck, String stopSignal, Map<String, String> env, List<String> jvmOptions,
                          List<String> copiedJars, List<String> installed) {
    private static final Pattern APT_INSTALL = Pattern.compile("apt-get\\s+install\\s+([^&|;]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /**
     * A {@code HEALTHCHECK}, with the command as ECS writes a container health check: {@code
     * ["CMD-SHELL", "<shell command>"]} for the shell form, {@code ["CMD", args...]} for the exec
     * form. Unset options have Docker's defaults (30s, 30s, 0s, 3).
     */
    public record HealthCheck(List<String> command, Duration interval, Duration timeout, Duration startPeriod, int retries) {}

    public static ImageConfig of(Dockerfile dockerfile) {
        Stage s = dockerfile.runtime();
        Optional<Instruction> entry = s.last("ENTRYPOINT");
        List<String> entrypoint = entry.flatMap(Instruction::execForm).orElse(null);
        boolean shellEntrypoint = entry.isPresent() && entrypoint == null;
        List<String> cmd = s.last("CMD").map(i -> i.execForm().orElse(List.of("/bin/sh", "-c", i.arguments()))).orElse(null);
        List<Integer> exposed = s.all("EXPOSE").stream().flatMap(i -> List.of(i.arguments().strip().split("\\s+")).stream())
                .map(p -> Integer.parseInt(p.replaceAll("/tcp$", ""))).toList();
        Map<String, String> env = s.env();
        List<String> jvm = new ArrayList<>();
        if (entrypoint != null && !entrypoint.isEmpty() && entrypoint.getFirst().endsWith("java")) {
            for (String a : entrypoint.subList(1, entrypoint.size())) {
                if (a.equals("-jar")) {
                    break;
                }
                jvm.add(a);
            }
        }
        if (env.containsKey("JAVA_TOOL_OPTIONS")) {
            jvm.addAll(Dockerfile.words(env.get("JAVA_TOOL_OPTIONS")));
        }
        List<String> jars = new ArrayList<>();
        for (Copy c : s.copiesFrom()) {
            if (c.destination().endsWith(".jar")) {
                jars.add(c.destination());
            }
        }
        List<String> installed = new ArrayList<>();
        for (Instruction run : s.all("RUN")) {
            Matcher m = APT_INSTALL.matcher(run.arguments());
            while (m.find()) {
                for (String w : m.group(1).strip().split("\\s+")) {
                    if (!w.startsWith("-")) {
                        installed.add(w);
                    }
                }
            }
        }
        return new ImageConfig(s.last("USER").map(i -> i.arguments().strip()).orElse(null), entrypoint, shellEntrypoint, cmd,
                exposed, s.last("HEALTHCHECK").map(ImageConfig::healthCheck).orElse(null),
                s.last("STOPSIGNAL").map(i -> i.arguments().strip()).orElse(null), env, List.copyOf(jvm), List.copyOf(jars),
                List.copyOf(installed));
    }

    private static HealthCheck healthCheck(Instruction i) {
        Dockerfile.Flagged f = i.flagged();
        if (f.rest().equalsIgnoreCase("NONE")) {
            return null;
        }
        if (!f.rest().regionMatches(true, 0, "CMD", 0, 3)) {
            throw new IllegalArgumentException("HEALTHCHECK without CMD (" + i + ")");
        }
        String command = f.rest().substring(3).strip();
        List<String> ecs = Dockerfile.execForm(command).map(args -> {
            List<String> l = new ArrayList<>(List.of("CMD"));
            l.addAll(args);
            return List.copyOf(l);
        }).orElse(List.of("CMD-SHELL", command));
        Map<String, String> o = f.flags();
        return new HealthCheck(ecs, duration(o.getOrDefault("interval", "30s")), duration(o.getOrDefault("timeout", "30s")),
                duration(o.getOrDefault("start-period", "0s")), Integer.parseInt(o.getOrDefault("retries", "3")));
    }

    /** A Go duration as Docker writes them ({@code 15s}, {@code 1m30s}). */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end != text.length() || text.isEmpty()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        return d;
    }

    /** The value of {@code -XX:<name>=<value>} among the JVM options (the last one counts), if set. */
    public Optional<String> xxValue(String name) {
        String prefix = "-XX:" + name + "=";
        return jvmOptions.stream().filter(o -> o.startsWith(prefix)).reduce((a, b) -> b).map(o -> o.substring(prefix.length()));
    }
}
