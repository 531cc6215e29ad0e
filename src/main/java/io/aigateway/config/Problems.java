package io.aigateway.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a config or one of its records is checked, so that all of them are reported at once. */
final class Problems {

    /** How the whole document is named in a problem, where its path would otherwise be empty. */
    static final String DOCUMENT = "(file)";

    private final List<ConfigProblem> problems = new ArrayList<>();

    void add(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * Whether a problem was already reported at {@code path} or inside it. A problem found later at the same
     * place is a consequence of the first (a field of the wrong type is then also "required"), so it is dropped.
     */
    boolean anyAtOrBeneath(String path) {
        if (path.isEmpty()) {
            return !problems.isEmpty();
        }
        for (ConfigProblem problem : problems) {
            String p = problem.path();
            if (p.startsWith(path) && (p.length() == path.length()
                    || p.charAt(path.length()) == '.' || p.charAt(path.length()) == '[')) {
                return true;
            }
        }
        return false;
    }

    /** Throws the collected problems, if any, as one exception. */
    void throwIfAny(String origin) {
        if (!problems.isEmpty()) {
            throw new ConfigException(origin, problems);
        }
    }

    /** Joins a field path and a path relative to it: {@code join("backends[0]", "keys[1]")}. */
    static String join(String parent, String child) {
        if (child.isEmpty()) {
            return parent;
        }
        if (parent.isEmpty()) {
            return child;
        }
        return child.startsWith("[") ? parent + child : parent + "." + child;
    }

    /** The path as an operator should see it: the document itself is {@value #DOCUMENT}. */
    static String display(String path) {
        return path.isEmpty() ? DOCUMENT : path;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
