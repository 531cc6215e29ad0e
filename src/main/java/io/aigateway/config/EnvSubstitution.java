package io.aigateway.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} and {@code ${env:NAME:-default}} in a string with the value of an environment
 * variable; <code>$${</code> stands for a literal <code>${</code>.
 *
 * <p>It runs on string values after YAML parsing, so a variable's value can never change the structure of the
 * file, and a value is not scanned again, so a variable cannot pull in another. As in a POSIX shell, the default
 * is used when the variable is unset <em>or empty</em>. Any other {@code ${...}} is an error rather than left
 * as is, so that a mistyped reference ({@code ${OPENAI_KEY}}) is not sent upstream as a literal key.
 */
public final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String PREFIX = "env:";

    private final Function<String, String> env;

    /** @param env looks up an environment variable; returns null when it is not set */
    public EnvSubstitution(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * Returns the text with every reference replaced.
     *
     * @throws IllegalArgumentException naming the variable (never its value) when one without a default is unset,
     *                                  or when a reference is malformed
     */
    public String apply(String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("'${' without a closing '}' (write $${ for a literal ${)");
                }
                out.append(resolve(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private String resolve(String reference) {
        if (!reference.startsWith(PREFIX)) {
            throw new IllegalArgumentException(
                    "'${" + reference + "}' is not supported (use ${env:NAME} or ${env:NAME:-default}; $${ for a literal ${)");
        }
        String body = reference.substring(PREFIX.length());
        int separator = body.indexOf(":-");
        String name = separator < 0 ? body : body.substring(0, separator);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an environment variable name");
        }
        String value = env.apply(name);
        if (separator >= 0 && (value == null || value.isEmpty())) {
            return body.substring(separator + 2);
        }
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value;
    }
}
