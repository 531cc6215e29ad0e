package io.aigateway.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A value of the parsed config file together with its field path: reads it as the type a field needs and
 * reports what is wrong at that path, so the binder never repeats a check or builds a path by hand.
 *
 * <p>Readers return null when the value is absent (or YAML null) and also when it is wrong, after reporting the
 * problem; record constructors then see the null and report "is required", which {@link #build} drops because
 * the real problem is already there.
 */
final class ConfigNode {

    private final String path;
    private final Object value;
    private final Problems problems;
    private final EnvSubstitution env;

    private ConfigNode(String path, Object value, Problems problems, EnvSubstitution env) {
        this.path = path;
        this.value = value;
        this.problems = problems;
        this.env = env;
    }

    static ConfigNode root(Object value, Problems problems, EnvSubstitution env) {
        return new ConfigNode("", value, problems, env);
    }

    boolean isAbsent() {
        return value == null;
    }

    boolean isMap() {
        return value instanceof Map;
    }

    /** Reports a problem here, unless one was already reported here or inside (by the YAML reader) that causes it. */
    void problem(String message) {
        if (!problems.anyAtOrBeneath(Problems.display(path))) {
            problems.add(Problems.display(path), message);
        }
    }

    /**
     * Checks that this is a map whose keys are all among {@code known}, reporting each other key as an unknown
     * field. Returns false, after reporting it, when this is not a map at all.
     */
    boolean expectFields(Set<String> known) {
        if (!(value instanceof Map<?, ?> map)) {
            problem("must be a map with the fields " + new TreeSet<>(known));
            return false;
        }
        for (Object key : map.keySet()) {
            if (!known.contains(key)) {
                problems.add(Problems.join(path, (String) key), "unknown field");
            }
        }
        return true;
    }

    /** The field of this map; absent when this is not a map or has no such field. */
    ConfigNode field(String name) {
        Object child = value instanceof Map<?, ?> map ? map.get(name) : null;
        return new ConfigNode(Problems.join(path, name), child, problems, env);
    }

    /** The items of this list: empty when absent, null when this is something else. */
    List<ConfigNode> items() {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problem("must be a list");
            return null;
        }
        List<ConfigNode> items = new ArrayList<>(list.size());
        for (Object item : list) {
            items.add(new ConfigNode(Problems.index(path, items.size()), item, problems, env));
        }
        return items;
    }

    /** The entries of this map in file order: empty when absent, null when this is something else. */
    Map<String, ConfigNode> entries() {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem("must be a map");
            return null;
        }
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        map.forEach((key, child) ->
                entries.put((String) key, new ConfigNode(Problems.join(path, (String) key), child, problems, env)));
        return entries;
    }

    /** This string with {@code ${env:}} references replaced. */
    String string() {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            problem("must be a string");
            return null;
        }
        return substitute(text);
    }

    /**
     * This scalar as text, whatever YAML made of it, for fields with a syntax of their own (durations) where
     * {@code 30} deserves "not a duration" rather than "must be a string".
     */
    String scalarText() {
        if (value instanceof Map || value instanceof List) {
            problem("must be a string");
            return null;
        }
        return value instanceof String text ? substitute(text) : value == null ? null : String.valueOf(value);
    }

    Integer integer() {
        Long number = longInteger();
        if (number != null && (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)) {
            problem("is out of range");
            return null;
        }
        return number == null ? null : number.intValue();
    }

    Long longInteger() {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger) {
            problem("is out of range");
            return null;
        }
        if (isReference()) {
            String text = substitute((String) value);
            try {
                return text == null ? null : Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                problem("must be an integer (after ${env:} substitution)");
                return null;
            }
        }
        if (value != null) {
            problem("must be an integer");
        }
        return null;
    }

    /** A number with a fraction, such as a price: an integer, a decimal, or a {@code ${env:}} reference to one. */
    java.math.BigDecimal decimal() {
        if (value instanceof Number number && !(value instanceof BigInteger)) {
            return new java.math.BigDecimal(number.toString());
        }
        if (value instanceof BigInteger big) {
            return new java.math.BigDecimal(big);
        }
        if (isReference()) {
            String text = substitute((String) value);
            try {
                return text == null ? null : new java.math.BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                problem("must be a number (after ${env:} substitution)");
                return null;
            }
        }
        if (value != null) {
            problem("must be a number");
        }
        return null;
    }

    Boolean bool() {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (isReference()) {
            String text = substitute((String) value);
            if (text == null) {
                return null;
            }
            if (text.trim().equals("true") || text.trim().equals("false")) {
                return Boolean.valueOf(text.trim());
            }
            problem("must be true or false (after ${env:} substitution)");
            return null;
        }
        if (value != null) {
            problem("must be true or false");
        }
        return null;
    }

    /** Same as {@link #build(Supplier, UnaryOperator)} with the record's field paths taken as they are. */
    <T> T build(Supplier<T> constructor) {
        return build(constructor, UnaryOperator.identity());
    }

    /**
     * Constructs the record for this node, reporting the problems its constructor finds at this node's path.
     *
     * @param constructor  calls the record's constructor, which throws {@link ConfigException} with paths
     *                     relative to the record
     * @param relativePath maps such a path to the file's own, where the two differ
     * @return the record; null if anything at or inside this node is wrong
     */
    <T> T build(Supplier<T> constructor, UnaryOperator<String> relativePath) {
        T built = null;
        try {
            built = constructor.get();
        } catch (ConfigException e) {
            // A set: two fields of the record may map to one place in the file (the models[] shorthand).
            Set<ConfigProblem> found = new LinkedHashSet<>();
            for (ConfigProblem problem : e.problems()) {
                String at = Problems.join(path, relativePath.apply(problem.path()));
                // A problem already reported here (the field's type, say) is the cause of this one.
                if (!problems.anyAtOrBeneath(at)) {
                    found.add(new ConfigProblem(Problems.display(at), problem.message()));
                }
            }
            found.forEach(problem -> problems.add(problem.path(), problem.message()));
        }
        return problems.anyAtOrBeneath(path) ? null : built;
    }

    // Lets numbers and flags come from the environment: YAML can only give them as strings.
    private boolean isReference() {
        return value instanceof String text && text.contains("${");
    }

    private String substitute(String text) {
        try {
            return env.apply(text);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return null;
        }
    }
}
