package io.aigateway.admin.jmx;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import io.aigateway.registry.Tenant;
import io.aigateway.webapp.Gateway;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers the gateway's MBeans on the platform MBean server and keeps them in step with the registry: after a
 * reload, beans of backends, deployments and tenants that appeared are added and those that went are removed.
 * {@link #close()} unregisters every one, so an undeployed WAR leaves nothing behind that pins its class loader.
 * <p>
 * Names are fixed ({@code aigateway:type=Gateway}), so one JVM shows one gateway: a second web application finding
 * them taken registers none and says so in the log.
 */
public final class GatewayMBeans implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(GatewayMBeans.class);

    /** The JMX domain of every gateway MBean. */
    public static final String DOMAIN = "aigateway";

    private final MBeanServer server;
    private final Gateway gateway;
    private final GatewayView gatewayView;
    /** What this gateway registered, by name; only these are ever unregistered. */
    private final Set<ObjectName> registered = new LinkedHashSet<>();
    private volatile boolean closed;
    private volatile io.aigateway.quota.Quotas quotas;

    private GatewayMBeans(MBeanServer server, Gateway gateway, String configSource) {
        this.server = server;
        this.gateway = gateway;
        RequestTotals totals = new RequestTotals();
        this.gatewayView = new GatewayView(gateway, configSource, totals);
        gateway.addRequestListener(record -> {
            if (!closed)
                totals.onRequest(record);
        });
    }

    /**
     * Registers the beans of the gateway and of everything its registry holds, and follows its reloads.
     *
     * @param configSource where the config came from, shown as {@code ConfigSource}
     */
    public static GatewayMBeans register(Gateway gateway, String configSource) {
        return register(ManagementFactory.getPlatformMBeanServer(), gateway, configSource);
    }

    /** {@link #register(Gateway, String)} with the quota ledger, so that tenants show their quota and can reset it. */
    public static GatewayMBeans register(Gateway gateway, String configSource, io.aigateway.quota.Quotas quotas) {
        return register(ManagementFactory.getPlatformMBeanServer(), gateway, configSource, quotas);
    }

    /**
     * Gives the gateway bean its {@code reload()} operation.
     *
     * @param reload reloads the config file and says {@code applied} or {@code refused: } and why
     */
    public void reloadThrough(java.util.function.Supplier<String> reload) {
        gatewayView.reloadThrough(reload);
    }

    static GatewayMBeans register(MBeanServer server, Gateway gateway, String configSource) {
        return register(server, gateway, configSource, null);
    }

    static GatewayMBeans register(MBeanServer server, Gateway gateway, String configSource, io.aigateway.quota.Quotas quotas) {
        GatewayMBeans beans = new GatewayMBeans(server, gateway, configSource);
        beans.quotas = quotas;
        if (beans.registerGateway()) {
            beans.sync(gateway.registry());
            gateway.addReloadListener(beans::reloaded);
        }
        return beans;
    }

    public static ObjectName gatewayName() {
        return name("type=Gateway");
    }

    public static ObjectName backendName(String backend) {
        return name("type=Backend,name=" + value(backend));
    }

    public static ObjectName deploymentName(String backend, String deployment) {
        return name("type=Deployment,backend=" + value(backend) + ",name=" + value(deployment));
    }

    public static ObjectName tenantName(String tenant) {
        return name("type=Tenant,name=" + value(tenant));
    }

    private synchronized boolean registerGateway() {
        try {
            register(gatewayName(), new StandardMBean(gatewayView, GatewayMBean.class));
            return true;
        } catch (InstanceAlreadyExistsException x) {
            LOG.warn("Another gateway in this JVM has registered the {} MBeans: this one registers none", DOMAIN);
        } catch (JMException x) {
            LOG.warn("Could not register the gateway's MBeans", x);
        }
        return false;
    }

    private synchronized void reloaded(Registry registry) {
        if (closed)
            return;
        gatewayView.reloaded();
        sync(registry);
    }

    /** Registers the beans the registry calls for and unregisters those it no longer does. */
    private synchronized void sync(Registry registry) {
        Map<ObjectName, Object> wanted = new LinkedHashMap<>();
        for (Backend backend : registry.backends()) {
            wanted.put(backendName(backend.name()), new BackendView(gateway, backend.name()));
            for (Deployment deployment : backend.deployments()) {
                wanted.putIfAbsent(deploymentName(backend.name(), deployment.name()),
                    new DeploymentView(gateway, backend.name(), deployment.name()));
            }
        }
        for (Tenant tenant : registry.tenants().values())
            wanted.put(tenantName(tenant.name()), new TenantView(gateway, tenant.name(), quotas));

        for (ObjectName name : List.copyOf(registered)) {
            if (!name.equals(gatewayName()) && !wanted.containsKey(name))
                unregister(name);
        }
        wanted.forEach((name, view) -> {
            if (!registered.contains(name)) {
                try {
                    register(name, standard(view));
                } catch (JMException x) {
                    LOG.warn("Could not register MBean {}", name, x);
                }
            }
        });
    }

    private void register(ObjectName name, StandardMBean bean) throws JMException {
        server.registerMBean(bean, name);
        registered.add(name);
    }

    private void unregister(ObjectName name) {
        registered.remove(name);
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException x) {
            // Someone (a console) unregistered it already: what was wanted is done.
        } catch (JMException x) {
            LOG.warn("Could not unregister MBean {}", name, x);
        }
    }

    /** Unregisters every bean this gateway registered; the gateway's listeners go quiet (it cannot remove them). */
    @Override
    public synchronized void close() {
        closed = true;
        for (ObjectName name : List.copyOf(registered))
            unregister(name);
    }

    private static StandardMBean standard(Object view) throws JMException {
        if (view instanceof BackendView backend)
            return new StandardMBean(backend, BackendMBean.class);
        if (view instanceof DeploymentView deployment)
            return new StandardMBean(deployment, DeploymentMBean.class);
        return new StandardMBean((TenantView)view, TenantMBean.class);
    }

    private static ObjectName name(String keys) {
        try {
            return new ObjectName(DOMAIN + ":" + keys);
        } catch (MalformedObjectNameException x) {
            throw new IllegalArgumentException("not an MBean name: " + keys, x);
        }
    }

    /** A key's value as it is when JMX allows it unquoted, else quoted. */
    static String value(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (",=:\"*?\\\n".indexOf(text.charAt(i)) >= 0)
                return ObjectName.quote(text);
        }
        return text.isEmpty() ? ObjectName.quote(text) : text;
    }
}
