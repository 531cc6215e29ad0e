/**
 * Notifications to operators: the events of deployment health and circuit breakers turned into short messages,
 * deduplicated per event and subject, and delivered off the request path to webhook, Feishu/Lark, Matrix and
 * Slack channels with timeouts and retries. Messages name deployments, backends and models only, and pass through
 * the log redactor before they leave.
 */
package io.aigateway.notify;
