package io.aigateway.quota;

import io.aigateway.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Quota counters in a JSON file ({@code limits.state_file}), written atomically: a temporary file beside it, then
 * renamed over it, so that a crash leaves the old file or the new one, never half of one.
 */
public final class FileQuotaCounterStore implements QuotaCounterStore {
    private static final Logger LOG = LogManager.getLogger(FileQuotaCounterStore.class);

    private final Path file;

    public FileQuotaCounterStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    @Override
    public List<QuotaCounter> load() {
        List<QuotaCounter> counters = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); JsonReader reader = Json.createReader(in)) {
            for (JsonValue value : reader.readObject().getJsonArray("counters")) {
                JsonObject counter = value.asJsonObject();
                counters.add(new QuotaCounter(counter.getString("subject"), Instant.parse(counter.getString("period_start")),
                    counter.getJsonNumber("requests").longValue(), counter.getJsonNumber("tokens").longValue(),
                    new BigDecimal(counter.getString("cost"))));
            }
        } catch (NoSuchFileException none) {
            return counters;
        } catch (IOException | RuntimeException x) {
            // Starting with no counters would silently hand every tenant a fresh budget: refuse instead.
            throw new IllegalStateException("Cannot read the quota state file " + file + ": " + x.getMessage(), x);
        }
        return counters;
    }

    @Override
    public synchronized void save(Collection<QuotaCounter> counters) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (QuotaCounter counter : counters) {
            array.add(Json.createObjectBuilder().add("subject", counter.subject())
                .add("period_start", counter.periodStart().toString()).add("requests", counter.requests())
                .add("tokens", counter.tokens()).add("cost", counter.cost().toPlainString()));
        }
        String text = Json.createObjectBuilder().add("counters", array).build().toString();
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException x) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException x) {
            LOG.warn("Could not write the quota state file {}: {}", file, x.toString());
            throw new UncheckedIOException(x);
        }
    }
}
