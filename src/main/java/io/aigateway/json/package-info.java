/**
 * JSON-P for the whole gateway through one provider found once (see {@link io.aigateway.json.Json}).
 */
package io.aigateway.json;
