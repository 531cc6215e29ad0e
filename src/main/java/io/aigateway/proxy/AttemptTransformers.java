package io.aigateway.proxy;

import io.aigateway.proxy.stream.FirstContentGate;
import io.aigateway.registry.Deployment;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The response transformer of one successful attempt: the response-id tap for the Responses API, then a converter
 * when the deployment cannot answer in the mode the client asked for, or the first-content gate for a stream, so
 * that a stream failing before its first token can still fail over; last, the body capture's tap when the tenant
 * captures bodies. Plain replies pass through untouched.
 */
final class AttemptTransformers {
    private AttemptTransformers() {
    }

    static ContentTransformer of(ProxyExchange exchange, Deployment deployment, Response serverResponse, ResponseAffinity affinity) {
        boolean eventStream = GatewayServlet.isEventStream(serverResponse.getHeaders().get(HttpHeader.CONTENT_TYPE));
        ProxyExchange.Conversion conversion = exchange.conversionFor(deployment);
        ContentTransformer transformer = switch (conversion) {
            case JSON_TO_STREAM -> eventStream ? ContentTransformer.IDENTITY : new JsonToStreamTransformer(exchange.includeUsage());
            case STREAM_TO_JSON -> eventStream ? new StreamToJsonTransformer() : ContentTransformer.IDENTITY;
            case NONE -> exchange.stream() && eventStream ? new FirstContentGate(release -> { }) : ContentTransformer.IDENTITY;
        };
        if (exchange.limits() != null) {
            UsageTap usage = new UsageTap(eventStream, exchange.injectsUsage(deployment), exchange.limits().newCounter(exchange.model()));
            transformer = new TransformerChain(usage, transformer);
        }
        if (exchange.inbound().operation() == Operation.RESPONSES) {
            String deploymentId = deployment.id();
            transformer = new TransformerChain(new ResponseIdTap(eventStream, id -> affinity.remember(id, deploymentId)), transformer);
        }
        BodyCapture capture = exchange.capture();
        if (capture != null) {
            // Last, so that it copies what the client gets, after any conversion.
            boolean clientStream = conversion == ProxyExchange.Conversion.JSON_TO_STREAM
                || (conversion == ProxyExchange.Conversion.NONE && eventStream);
            transformer = new TransformerChain(transformer, capture.tap(clientStream));
        }
        return transformer;
    }
}
