/**
 * The gateway as a web application: built from the located config when the context starts, shared by the filter
 * and servlets through the servlet context, and torn down (threads, clients) when the context stops.
 */
package io.aigateway.webapp;
