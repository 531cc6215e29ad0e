package io.aigateway.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Turns YAML 1.2 text (JSON included) into plain values: {@code Map<String, Object>} in file order, {@code List},
 * {@code String}, {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double} and null.
 *
 * <p>It walks snakeyaml-engine's node graph itself, rather than letting the library build the objects, so that a
 * duplicate key or an unsupported tag is reported at its field path ({@code backends[0].name: duplicate key})
 * instead of only at a line number.
 */
final class YamlTree {

    /** Few enough that an alias bomb ("billion laughs") stays small; a real config rarely needs any. */
    static final int MAX_ALIASES = 50;
    /** A config file is a few KiB; this stops a wrong path (a log file, a binary) from filling the heap. */
    static final int MAX_CODE_POINTS = 3 * 1024 * 1024;
    /** The config is four levels deep; anything far deeper is not a config. */
    static final int MAX_DEPTH = 32;

    private static final Schema SCHEMA = new CoreSchema();
    private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL);

    private final Problems problems;
    private final Map<Tag, ConstructNode> scalarConstructors = SCHEMA.getSchemaTagConstructors();
    // An alias shares its anchor's node: converting it once keeps expansion linear.
    private final Map<Node, Object> converted = new IdentityHashMap<>();
    private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

    private YamlTree(Problems problems) {
        this.problems = problems;
    }

    /**
     * Reads one YAML document. Syntax errors are reported at {@code line L, column C}; problems inside the
     * document at their field path.
     *
     * @return the document's value; null when it is empty or cannot be read (then a problem says why)
     */
    static Object read(String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setSchema(SCHEMA)
                .build();
        Optional<Node> document;
        try {
            document = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            problems.add(position(e), describe(e));
            return null;
        } catch (YamlEngineException e) {
            problems.add(Problems.DOCUMENT, e.getMessage());
            return null;
        } catch (StackOverflowError e) {
            // snakeyaml-engine composes recursively and has no nesting limit of its own.
            problems.add(Problems.DOCUMENT, "nested too deeply");
            return null;
        }
        return document.map(node -> new YamlTree(problems).convert(node, "", 0)).orElse(null);
    }

    private Object convert(Node node, String path, int depth) {
        if (converted.containsKey(node)) {
            return converted.get(node);
        }
        if (depth > MAX_DEPTH) {
            problems.add(Problems.display(path), "nested too deeply");
            return null;
        }
        if (!inProgress.add(node)) {
            problems.add(Problems.display(path), "an alias may not refer to a node that contains it");
            return null;
        }
        Object value;
        if (node instanceof ScalarNode scalar) {
            value = scalar(scalar, path);
        } else if (node instanceof SequenceNode sequence && sequence.getTag().equals(Tag.SEQ)) {
            value = sequence(sequence, path, depth);
        } else if (node instanceof MappingNode mapping && mapping.getTag().equals(Tag.MAP)) {
            value = mapping(mapping, path, depth);
        } else {
            value = unsupported(node, path);
        }
        inProgress.remove(node);
        converted.put(node, value);
        return value;
    }

    private Object scalar(ScalarNode node, String path) {
        if (!SCALAR_TAGS.contains(node.getTag())) {
            return unsupported(node, path);
        }
        if (node.getTag().equals(Tag.STR)) {
            return node.getValue();
        }
        try {
            return scalarConstructors.get(node.getTag()).construct(node);
        } catch (YamlEngineException | NumberFormatException e) {
            problems.add(Problems.display(path), "'" + node.getValue() + "' is not a valid " + node.getTag().getValue());
            return null;
        }
    }

    private List<Object> sequence(SequenceNode node, String path, int depth) {
        List<Object> items = new ArrayList<>(node.getValue().size());
        for (Node item : node.getValue()) {
            items.add(convert(item, Problems.index(path, items.size()), depth + 1));
        }
        return items;
    }

    private Map<String, Object> mapping(MappingNode node, String path, int depth) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Node> keyNodes = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                problems.add(Problems.display(path), "keys must be plain strings, not lists or maps");
                continue;
            }
            String key = keyNode.getValue();
            String fieldPath = Problems.join(path, key);
            Node first = keyNodes.putIfAbsent(key, keyNode);
            if (first != null) {
                problems.add(fieldPath, "duplicate key" + first.getStartMark().map(m -> " (first on line "
                        + (m.getLine() + 1) + ")").orElse(""));
                continue;
            }
            fields.put(key, convert(tuple.getValueNode(), fieldPath, depth + 1));
        }
        return fields;
    }

    private Object unsupported(Node node, String path) {
        problems.add(Problems.display(path), "unsupported YAML tag " + node.getTag().getValue());
        return null;
    }

    private static String position(MarkedYamlEngineException e) {
        return e.getProblemMark().or(e::getContextMark)
                .map(YamlTree::position)
                .orElse(Problems.DOCUMENT);
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String describe(MarkedYamlEngineException e) {
        String context = e.getContext();
        return context == null || context.isEmpty() ? e.getProblem() : context + ": " + e.getProblem();
    }
}
