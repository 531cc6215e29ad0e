/**
 * The side-by-side run: starts the mock, nginx and the gateway pinned to their cores, drives each stage against the
 * three targets interleaved, and writes the report (Markdown and JSON).
 */
package io.aigateway.bench.run;
