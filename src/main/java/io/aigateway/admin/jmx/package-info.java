/**
 * JMX MBeans for the server console (JConsole, VisualVM, Tomcat's {@code /manager/jmxproxy}), under the domain
 * {@code aigateway}: the gateway, each backend, deployment and tenant. Each is a view over the live registry,
 * health and statistics, looked up by name at every read, never a copy. Registered on the platform MBean server
 * when the web application starts, kept in step with the registry on reload, and all unregistered when it stops.
 */
package io.aigateway.admin.jmx;
