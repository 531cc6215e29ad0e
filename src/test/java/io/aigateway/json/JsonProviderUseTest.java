package io.aigateway.json;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The gateway's code reaches JSON-P only through {@link Json}: {@code jakarta.json.Json} looks its provider up
 * through the ServiceLoader on every call, which on the request path costs more than the rest of the request.
 */
class JsonProviderUseTest {
    private static final Pattern JAKARTA_JSON = Pattern.compile("\\bjakarta\\.json\\.Json\\b");

    @Test
    void noMainSourceUsesJakartaJsonDirectly() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(file -> file.toString().endsWith(".java"))
                .filter(file -> !file.endsWith(Path.of("io/aigateway/json/Json.java")))
                .filter(JsonProviderUseTest::namesJakartaJson)
                .map(Path::toString)
                .toList();
        }
        assertEquals(List.of(), offenders, "use io.aigateway.json.Json instead of jakarta.json.Json");
    }

    @Test
    void everyCallIsServedByTheSameProvider() {
        assertNotNull(Json.provider());
        assertSame(Json.provider(), Json.provider());
        assertEquals("{\"a\":[1,\"b\"]}", Json.createObjectBuilder()
            .add("a", Json.createArrayBuilder().add(1).add(Json.createValue("b"))).build().toString());
    }

    private static boolean namesJakartaJson(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(line -> JAKARTA_JSON.matcher(line).find());
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}
