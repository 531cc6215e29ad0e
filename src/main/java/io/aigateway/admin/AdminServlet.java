package io.aigateway.admin;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.api.ErrorResponder;
import io.aigateway.auth.AdminKeys;
import io.aigateway.config.AdminConfig;
import io.aigateway.limits.Limits;
import io.aigateway.store.StoreHealth;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.GatewayContextListener;
import io.aigateway.webapp.LiveConfig;
import jakarta.persistence.PersistenceException;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;

/**
 * The admin REST API at {@code admin.path}: authenticates the admin key, hands the request to the routes that own
 * its path, and answers every failure in OpenAI's error shape. Answers 404 while {@code admin.keys} is empty, so an
 * unconfigured gateway does not even say it has an admin API.
 */
public final class AdminServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(AdminServlet.class);

    private transient Gateway gateway;
    private transient TenantRoutes tenants;
    private transient BackendRoutes backends;
    private transient StatusRoutes status;
    private transient LogRoutes logs;

    /** Maps the API at {@code path} (read once at startup). */
    public static void register(ServletContext context, String path) {
        ServletRegistration.Dynamic registration = context.addServlet("admin", AdminServlet.class);
        registration.addMapping(path + "/*");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
    }

    @Override
    public void init() {
        ServletContext context = getServletContext();
        gateway = GatewayContextListener.gateway(context);
        LiveConfig live = (LiveConfig)context.getAttribute(LiveConfig.ATTRIBUTE);
        String storeDescription = live.store() == null ? null
                : (String)context.getAttribute(GatewayContextListener.STORE_DESCRIPTION_ATTRIBUTE);
        Limits limits = (Limits)context.getAttribute(Limits.ATTRIBUTE);
        tenants = new TenantRoutes(gateway, live, limits == null ? null : limits.quotas());
        backends = new BackendRoutes(gateway, live);
        status = new StatusRoutes(gateway, live, storeDescription);
        logs = new LogRoutes(gateway, live, limits == null ? null : limits.quotas());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AdminConfig admin = gateway.config().admin();
        if (admin.keys().isEmpty()) {
            ErrorResponder.send(response, ApiErrors.unknownRoute(request.getMethod(), request.getRequestURI()));
            return;
        }
        AdminKeys.Result auth = AdminKeys.authenticate(request, admin, gateway.registry(), gateway.clock().instant());
        if (auth instanceof AdminKeys.Refused refused) {
            ErrorResponder.send(response, refused.error());
            return;
        }
        AdminExchange x = new AdminExchange(request, response, ((AdminKeys.Admin)auth).key().id());
        try {
            if (!(tenants.handle(x) || backends.handle(x) || status.handle(x) || logs.handle(x))) {
                throw unknownRoute(x);
            }
        } catch (AdminProblem problem) {
            ErrorResponder.send(response, problem.error());
        } catch (PersistenceException x2) {
            // A unique key taken by another instance between our check and our write is a conflict, not a failure.
            if (x2 instanceof jakarta.persistence.EntityExistsException
                    || x2.getCause() instanceof org.hibernate.exception.ConstraintViolationException
                    || x2 instanceof org.hibernate.exception.ConstraintViolationException) {
                ErrorResponder.send(response, AdminProblem.conflict("conflict",
                        "the change conflicts with one made at the same time; read and try again").error());
            } else {
                StoreHealth health = (StoreHealth)getServletContext().getAttribute(StoreHealth.ATTRIBUTE);
                if (health != null)
                    health.failed(x2);
                LOG.error("Admin request {} {} failed", request.getMethod(), request.getRequestURI(), x2);
                ErrorResponder.send(response, new ApiError(503, ApiError.SERVER, "store_unavailable", null,
                        "The store could not be reached; nothing was changed."));
            }
        } catch (RuntimeException failure) {
            LOG.error("Admin request {} {} failed", request.getMethod(), request.getRequestURI(), failure);
            ErrorResponder.send(response, ApiErrors.internal());
        }
    }

    static AdminProblem unknownRoute(AdminExchange x) {
        return new AdminProblem(ApiErrors.unknownRoute(x.method, x.request.getRequestURI()));
    }
}
