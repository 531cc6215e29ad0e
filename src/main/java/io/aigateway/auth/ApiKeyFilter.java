package io.aigateway.auth;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.api.ErrorResponder;
import io.aigateway.config.KeyHash;
import io.aigateway.registry.Tenant;
import io.aigateway.registry.TenantKey;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.GatewayContextListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;

/**
 * Authenticates every API request by its gateway key and records the caller's {@link Tenant} as a request
 * attribute. The key is hashed at once and looked up by hash; a missing, unknown or ambiguous key gets a 401 in
 * OpenAI's shape and goes no further. The request body is not touched here: the proxy reads it asynchronously.
 *
 * <p>With the context parameter {@value #NO_AUTH_PARAMETER} set to {@code true} (the standalone launcher's
 * {@code --no-auth}, for development), a request without a key runs as {@link Tenant#development()}; a key that is
 * sent is still checked, and refused when unknown.
 */
public final class ApiKeyFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** The request attribute holding the authenticated {@link Tenant}. */
    public static final String TENANT_ATTRIBUTE = Tenant.class.getName();
    /** The request attribute holding the authenticated {@link TenantKey}. */
    public static final String KEY_ATTRIBUTE = TenantKey.class.getName();
    /** The context parameter that lets requests without a key in, as the development tenant. */
    public static final String NO_AUTH_PARAMETER = "aigateway.noAuth";

    private static final Logger LOG = LogManager.getLogger(ApiKeyFilter.class);

    private transient Gateway gateway;
    /** The caller of requests without a key; null unless authentication is off for development. */
    private transient TenantKey keyless;

    @Override
    public void init(FilterConfig config) {
        gateway = GatewayContextListener.gateway(config.getServletContext());
        if (Boolean.parseBoolean(config.getServletContext().getInitParameter(NO_AUTH_PARAMETER))) {
            Tenant development = Tenant.development();
            keyless = new TenantKey(development, development.config().keys().get(0));
            LOG.warn("AUTHENTICATION IS OFF ({}=true): requests without a key are accepted as tenant '{}', allowed"
                + " every model. Development only.", NO_AUTH_PARAMETER, development.name());
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException {
        String key = ApiKeys.extract(request);
        ApiError error = null;
        TenantKey caller = null;
        if (key == null && keyless != null)
            caller = keyless;
        else if (key == null)
            error = ApiErrors.missingApiKey();
        else if (key == ApiKeys.AMBIGUOUS)
            error = ApiErrors.ambiguousApiKey();
        else {
            caller = gateway.registry().key(KeyHash.ofRawKey(key));
            if (caller == null)
                error = ApiErrors.invalidApiKey();
            else if (!caller.key().isValidAt(gateway.clock().instant()))
                error = ApiErrors.expiredApiKey();
        }
        if (error != null) {
            ErrorResponder.send(response, error);
            return;
        }
        request.setAttribute(TENANT_ATTRIBUTE, caller.tenant());
        request.setAttribute(KEY_ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    /** The tenant that {@link ApiKeyFilter} authenticated for this request. */
    public static Tenant tenant(HttpServletRequest request) {
        return (Tenant)request.getAttribute(TENANT_ATTRIBUTE);
    }

    /** The key (and tenant) that {@link ApiKeyFilter} authenticated for this request. */
    public static TenantKey key(HttpServletRequest request) {
        return (TenantKey)request.getAttribute(KEY_ATTRIBUTE);
    }
}
