/**
 * The gateway's benchmark: a mock OpenAI backend ({@code mock}), open-loop and streaming load ({@code load}),
 * process figures from {@code /proc} ({@code proc}) and the side-by-side runner with its report ({@code run}).
 */
package io.aigateway.bench;
