package dev.skewless.infra.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Dockerfile read the way BuildKit reads it, as far as the project's Dockerfiles go: parser
 * directives, comments, line continuations, stages ({@code FROM image AS name}), the exec and
 * shell forms, instruction flags ({@code --from=}, {@code --mount=}). Anything it does not
 * understand (an unknown instruction, another escape character, {@code ADD}) is an error naming
 * the line, so a Dockerfile this test cannot check fails instead of being half-checked.
 *
 * @param path   the file
 * @param stages its stages, in order; the last one is the image
 */
public record Dockerfile(Path path, List<Stage> stages) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD",
            "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");

    public Dockerfile {
        stages = List.copyOf(stages);
    }

    /** One instruction, continuation lines joined. */
    public record Instruction(String keyword, String arguments, int line) {
        /** The exec form's arguments ({@code ["a", "b"]}), or empty for the shell form. */
        public Optional<List<String>> execForm() {
            return Dockerfile.execForm(arguments);
        }

        /** Leading {@code --name=value} flags (BuildKit's instruction flags) and what follows them. */
        public Flagged flagged() {
            return Flagged.of(arguments);
        }

        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + arguments;
        }
    }

    /** Instruction flags ({@code --from=build}) and the rest of the arguments. */
    public record Flagged(Map<String, String> flags, List<String> flagList, String rest) {
        static Flagged of(String arguments) {
            Map<String, String> flags = new LinkedHashMap<>();
            List<String> list = new ArrayList<>();
            String s = arguments.strip();
            while (s.startsWith("--")) {
                int end = 0;
                while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
                    end++;
                }
                String flag = s.substring(2, end);
                int eq = flag.indexOf('=');
                flags.put(eq < 0 ? flag : flag.substring(0, eq), eq < 0 ? "" : flag.substring(eq + 1));
                list.add(flag);
                s = s.substring(end).strip();
            }
            return new Flagged(Map.copyOf(flags), List.copyOf(list), s);
        }
    }

    /**
     * One stage.
     *
     * @param image        the base image ({@code FROM})
     * @param name         the {@code AS} name, or null
     * @param instructions the stage's instructions after {@code FROM}
     */
    public record Stage(String image, String name, List<Instruction> instructions) {
        public Stage {
            instructions = List.copyOf(instructions);
        }

        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The last instruction of a kind (the one that counts for CMD, ENTRYPOINT, USER, ...). */
        public Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
        }

        /** The environment the stage's ENV instructions set, in order. */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : all("ENV")) {
                env.putAll(envPairs(i));
            }
            return env;
        }

        /** {@code COPY --from=<stage>} instructions of this stage. */
        public List<Copy> copiesFrom() {
            return all("COPY").stream().map(Copy::of).filter(c -> c.from() != null).toList();
        }
    }

    /**
     * A {@code COPY}: sources and destination, and the stage it copies from (null: the build
     * context).
     */
    public record Copy(String from, List<String> sources, String destination, Instruction instruction) {
        static Copy of(Instruction i) {
            Flagged f = i.flagged();
            for (String flag : f.flags().keySet()) {
                if (!Set.of("from", "chown", "chmod", "link").contains(flag)) {
                    throw new IllegalArgumentException("COPY --" + flag + " is not supported by this reader (" + i + ")");
                }
            }
            List<String> words = execForm(f.rest()).orElseGet(() -> List.of(f.rest().split("\\s+")));
            if (words.size() < 2) {
                throw new IllegalArgumentException("COPY needs a source and a destination (" + i + ")");
            }
            return new Copy(f.flags().get("from"), List.copyOf(words.subList(0, words.size() - 1)), words.getLast(), i);
        }
    }

    public static Dockerfile read(Path path) {
        try {
            return parse(path, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dockerfile parse(Path path, String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean directives = true;
        StringBuilder pending = null;
        int start = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].stripTrailing();
            String trimmed = line.strip();
            if (directives && trimmed.startsWith("#")) {
                String d = trimmed.substring(1).strip().toLowerCase(Locale.ROOT);
                if (d.startsWith("escape=") && !d.substring("escape=".length()).strip().equals("\\")) {
                    throw new IllegalArgumentException(path + " line " + (n + 1) + ": only the default escape character is supported");
                }
                continue;
            }
            directives = false;
            // Comment lines are dropped, also between the lines of a continued instruction.
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending == null)) {
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = n + 1;
            }
            boolean continued = line.endsWith("\\");
            pending.append(continued ? line.substring(0, line.length() - 1) : line).append(continued ? " " : "");
            if (!continued) {
                instructions.add(instruction(path, pending.toString().strip(), start));
                pending = null;
            }
        }
        if (pending != null) {
            instructions.add(instruction(path, pending.toString().strip(), start));
        }
        List<Stage> stages = new ArrayList<>();
        String image = null;
        String name = null;
        List<Instruction> current = null;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                if (current != null) {
                    stages.add(new Stage(image, name, current));
                }
                Flagged f = i.flagged();
                String[] words = f.rest().split("\\s+");
                image = words[0];
                name = words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
                if (words.length != 1 && name == null) {
                    throw new IllegalArgumentException(path + " " + i + ": expected FROM <image> [AS <name>]");
                }
                current = new ArrayList<>();
            } else if (current == null) {
                if (!i.keyword().equals("ARG")) {
                    throw new IllegalArgumentException(path + " " + i + ": an instruction before the first FROM");
                }
            } else {
                current.add(i);
            }
        }
        if (current != null) {
            stages.add(new Stage(image, name, current));
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(path + ": no FROM");
        }
        return new Dockerfile(path, stages);
    }

    private static Instruction instruction(Path path, String text, int line) {
        String[] parts = text.split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        if (!KEYWORDS.contains(keyword)) {
            throw new IllegalArgumentException(path + " line " + line + ": unknown instruction '" + parts[0] + "'");
        }
        return new Instruction(keyword, parts.length > 1 ? parts[1] : "", line);
    }

    /** The image: the last stage. */
    public Stage runtime() {
        return stages.getLast();
    }

    /** The stage named {@code name}. */
    public Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(path + ": no stage named " + name));
    }

    /** BuildKit's rule: arguments that parse as a JSON array of strings are the exec form. */
    static Optional<List<String>> execForm(String arguments) {
        String s = arguments.strip();
        if (!s.startsWith("[")) {
            return Optional.empty();
        }
        try {
            return Optional.of(List.copyOf(JSON.readValue(s, new TypeReference<List<String>>() {})));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * The pairs of one ENV instruction: {@code ENV a=1 b="two words"} or the legacy
     * {@code ENV a one value}. Quotes and backslashes work as in the Dockerfile reference.
     */
    static Map<String, String> envPairs(Instruction i) {
        List<String> words = words(i.arguments());
        Map<String, String> pairs = new LinkedHashMap<>();
        if (!words.isEmpty() && !words.getFirst().contains("=")) {
            String rest = i.arguments().strip().substring(words.getFirst().length()).strip();
            pairs.put(words.getFirst(), rest);
            return pairs;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("ENV expects NAME=VALUE pairs (" + i + ")");
            }
            pairs.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return pairs;
    }

    /** Splits on unquoted whitespace, removing quotes and backslash escapes. */
    static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                continue;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (c == '\\' && k + 1 < s.length() && quote != '\'') {
                w.append(s.charAt(++k));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else {
                w.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in: " + s);
        }
        if (w != null) {
            words.add(w.toString());
        }
        return words;
    }
}
