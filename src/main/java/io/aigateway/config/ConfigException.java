package io.aigateway.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it (not only the first), so that an
 * operator can fix them all in one round.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String origin;
    private final List<ConfigProblem> problems;

    /**
     * @param origin   where the configuration came from: a file path, or a name such as {@code BackendConfig}
     * @param problems what is wrong; at least one
     */
    public ConfigException(String origin, List<ConfigProblem> problems) {
        super(null, null, false, true);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.origin = origin;
        this.problems = List.copyOf(problems);
    }

    /**
     * A problem with the file as a whole (it is missing, unreadable, empty), reported at the path {@code (file)}.
     *
     * @param origin  the file, or a name for the text
     * @param message what is wrong with it
     */
    public ConfigException(String origin, String message) {
        this(origin, List.of(new ConfigProblem(Problems.DOCUMENT, message)));
    }

    /** Where the configuration came from: a file path, or the name given to {@link ConfigLoader#parse}. */
    public String origin() {
        return origin;
    }

    /** Every problem found, in the order they were found. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Returns {@code "<origin>: N problem(s):"} followed by one indented {@code path: message} line per problem. */
    @Override
    public String getMessage() {
        StringBuilder message = new StringBuilder()
                .append(origin).append(": ").append(problems.size()).append(" problem(s):");
        for (ConfigProblem problem : problems) {
            message.append("\n  ").append(problem);
        }
        return message.toString();
    }
}
