/**
 * Who is calling: the filter that turns a gateway key from {@code Authorization: Bearer}, {@code api-key} or
 * {@code x-api-key} into a tenant. Keys exist here only long enough to be hashed.
 */
package io.aigateway.auth;
