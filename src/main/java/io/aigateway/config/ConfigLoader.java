package io.aigateway.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads a config file (YAML 1.2, or JSON, which YAML includes) into a validated {@link GatewayConfig}, reporting
 * every problem in it at once, each with its field path.
 */
public final class ConfigLoader {

    private final EnvSubstitution env;

    /** @param env looks up an environment variable for {@code ${env:NAME}}; returns null when it is not set */
    public ConfigLoader(Function<String, String> env) {
        this.env = new EnvSubstitution(Objects.requireNonNull(env, "env"));
    }

    /** A loader that substitutes from this process's environment. */
    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    /**
     * Reads and checks a UTF-8 file.
     *
     * @throws ConfigException with every problem found, its origin being the file's path
     */
    public GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), "is not UTF-8");
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "does not exist");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read (" + e.getMessage() + ")");
        }
        // Editors on Windows may start a UTF-8 file with a byte order mark.
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return parse(text, file.toString());
    }

    /**
     * Reads and checks config text.
     *
     * @param origin names the text in the exception's message, e.g. a file path
     * @throws ConfigException with every problem found
     */
    public GatewayConfig parse(String text, String origin) {
        Problems problems = new Problems();
        Object tree = YamlTree.read(text, problems);
        GatewayConfig config = null;
        if (tree != null) {
            config = ConfigBinder.bind(ConfigNode.root(tree, problems, env));
        } else if (problems.isEmpty()) {
            problems.add(Problems.DOCUMENT, "is empty");
        }
        problems.throwIfAny(origin);
        return config;
    }
}
