/**
 * The gateway's configuration: locating the YAML/JSON file, substituting {@code ${env:}} references,
 * and binding it into immutable, validated records whose every problem is reported with its field path.
 *
 * <p>This package depends only on the JDK and snakeyaml-engine, so the standalone launcher can ship it alone.
 */
package io.aigateway.config;
