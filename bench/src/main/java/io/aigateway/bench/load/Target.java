package io.aigateway.bench.load;

import java.net.URI;

/**
 * One way to reach the mock: directly, through nginx or through the gateway.
 *
 * @param name     {@code direct}, {@code nginx} or {@code gateway}; the key in the report
 * @param chatUri  where chat completions are posted
 */
public record Target(String name, URI chatUri) {
}
