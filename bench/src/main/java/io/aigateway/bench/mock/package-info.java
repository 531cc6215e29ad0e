/** A fast OpenAI-compatible mock backend: chat completions as JSON or as paced server-sent events. */
package io.aigateway.bench.mock;
