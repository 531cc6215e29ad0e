package io.aigateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The config file chosen by {@link ConfigLocator}, and how it was chosen, for the startup log.
 *
 * @param path the absolute path of the file, which exists
 * @param via  where its name came from, e.g. {@code system property aigateway.config}
 */
public record ConfigSource(Path path, String via) {

    /** Checks that both parts are given. */
    public ConfigSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(via, "via");
    }
}
