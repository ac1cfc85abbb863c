package dev.batchtrace.connectors.webhook;

import java.io.IOException;

/** A webhook delivery that cannot succeed (4xx, or still failing after the last attempt). */
public class WebhookDeliveryException extends IOException {

    private static final long serialVersionUID = 1L;

    public WebhookDeliveryException(String message) {
        super(message);
    }

    public WebhookDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
