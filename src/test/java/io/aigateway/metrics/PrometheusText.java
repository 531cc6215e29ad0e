package io.aigateway.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict little parser of Prometheus' text format (0.0.4) for tests: every line is a comment, blank, or a
 * sample {@code name{label="value",...} number}; anything else fails the test, so the output is proved parsable.
 */
final class PrometheusText {
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty())
                continue;
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                continue;
            }
            if (line.startsWith("#"))
                continue;
            samples.add(sample(line, lineNumber));
        }
        return new PrometheusText(samples, types);
    }

    private static Sample sample(String line, int lineNumber) {
        int i = 0;
        while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == ':'))
            i++;
        String name = line.substring(0, i);
        if (name.isEmpty())
            throw new AssertionError("line " + lineNumber + ": no metric name: " + line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf("=\"", i);
                if (eq < 0)
                    throw new AssertionError("line " + lineNumber + ": bad label: " + line);
                String label = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',')
                    i++;
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ')
            throw new AssertionError("line " + lineNumber + ": no value: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        return new Sample(name, labels, value);
    }

    List<Sample> samples() {
        return samples;
    }

    /** The declared type of a metric family ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
    String type(String family) {
        return types.get(family);
    }

    /** The sample of that name whose labels include all of these (given as name, value, name, value, ...). */
    Optional<Sample> find(String name, String... labelPairs) {
        return samples.stream().filter(s -> s.name().equals(name) && hasLabels(s, labelPairs)).findFirst();
    }

    /** The value of the one sample of that name with exactly these labels; fails when there is none. */
    double value(String name, String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2)
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).findFirst()
            .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in\n" + dump(name)))
            .value();
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private String dump(String name) {
        StringBuilder text = new StringBuilder();
        samples.stream().filter(s -> s.name().equals(name)).forEach(s -> text.append(s).append('\n'));
        return text.toString();
    }

    private static boolean hasLabels(Sample sample, String... labelPairs) {
        for (int i = 0; i < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(sample.labels().get(labelPairs[i])))
                return false;
        }
        return true;
    }
}
