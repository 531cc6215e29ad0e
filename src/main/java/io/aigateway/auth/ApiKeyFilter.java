package io.aigateway.auth;

import io.aigateway.api.ApiError;
import io.aigateway.api.ApiErrors;
import io.aigateway.api.ErrorResponder;
import io.aigateway.config.KeyHash;
import io.aigateway.registry.Tenant;
import io.aigateway.webapp.Gateway;
import io.aigateway.webapp.GatewayContextListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Authenticates every API request by its gateway key and records the caller's {@link Tenant} as a request
 * attribute. The key is hashed at once and looked up by hash; a missing, unknown or ambiguous key gets a 401 in
 * OpenAI's shape and goes no further. The request body is not touched here: the proxy reads it asynchronously.
 */
public final class ApiKeyFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** The request attribute holding the authenticated {@link Tenant}. */
    public static final String TENANT_ATTRIBUTE = Tenant.class.getName();

    private transient Gateway gateway;

    @Override
    public void init(FilterConfig config) {
        gateway = GatewayContextListener.gateway(config.getServletContext());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException {
        String key = ApiKeys.extract(request);
        ApiError error = null;
        Tenant tenant = null;
        if (key == null)
            error = ApiErrors.missingApiKey();
        else if (key == ApiKeys.AMBIGUOUS)
            error = ApiErrors.ambiguousApiKey();
        else {
            tenant = gateway.registry().tenantForKey(KeyHash.ofRawKey(key));
            if (tenant == null)
                error = ApiErrors.invalidApiKey();
        }
        if (error != null) {
            ErrorResponder.send(response, error);
            return;
        }
        request.setAttribute(TENANT_ATTRIBUTE, tenant);
        chain.doFilter(request, response);
    }

    /** The tenant that {@link ApiKeyFilter} authenticated for this request. */
    public static Tenant tenant(HttpServletRequest request) {
        return (Tenant)request.getAttribute(TENANT_ATTRIBUTE);
    }
}
