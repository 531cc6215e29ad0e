/**
 * Usage accounting: token counts read from a backend's {@code usage} (JSON replies and stream chunks, cumulative or
 * delta), estimated with OpenAI's BPE encodings where the backend gives none, and priced per model.
 */
package io.aigateway.usage;
