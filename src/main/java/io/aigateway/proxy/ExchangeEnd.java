package io.aigateway.proxy;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

import java.util.function.Consumer;

/**
 * Ends an exchange's bookkeeping exactly once, however its async request completes: normally, with an error (the
 * client went away), or by a container timeout.
 */
final class ExchangeEnd implements AsyncListener {
    private final ProxyExchange exchange;
    private final Consumer<ProxyExchange> onEnd;

    ExchangeEnd(ProxyExchange exchange, Consumer<ProxyExchange> onEnd) {
        this.exchange = exchange;
        this.onEnd = onEnd;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        exchange.clientGone();
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    private void end() {
        if (exchange.finish())
            onEnd.accept(exchange);
    }
}
