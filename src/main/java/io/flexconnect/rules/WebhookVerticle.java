package io.flexconnect.rules;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs every alert transition ({@code flexconnect.alerts}) as JSON to the configured webhooks.
 * A delivery that fails (connection error, timeout, non-2xx answer) is retried with exponential
 * backoff, 1 s doubling up to 60 s, for {@code webhookMaxAttempts} attempts; deliveries waiting
 * for a retry are bounded, and what does not fit is dropped and counted, never queued without end.
 */
public final class WebhookVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(WebhookVerticle.class);
  private static final long FIRST_RETRY_MS = 1000;
  private static final long MAX_RETRY_MS = 60_000;
  private static final int MAX_WAITING = 10_000;

  private final ProcessingConfig config;
  private WebClient client;
  private int waiting;
  private long delivered;
  private long dropped;
  private long failed;

  public WebhookVerticle(ProcessingConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    if (config.webhookUrls().isEmpty()) {
      return Future.succeededFuture();
    }
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000).setIdleTimeout(30)
        .setUserAgent("flexconnect-webhooks"));
    vertx.eventBus().<JsonObject>localConsumer(AlertsVerticle.ALERTS, msg -> {
      for (String url : config.webhookUrls()) {
        deliver(url, msg.body(), 1, FIRST_RETRY_MS);
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }

  private void deliver(String url, JsonObject alert, int attempt, long nextDelayMs) {
    client.postAbs(url).timeout(10_000).sendJsonObject(alert).onComplete(ar -> {
      if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
        delivered++;
        return;
      }
      String why = ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().getMessage();
      if (attempt >= config.webhookMaxAttempts()) {
        failed++;
        log.warn("Webhook {} gave up on alert {} of device '{}' after {} attempts: {}", url,
            alert.getString("rule_id"), alert.getString("device_id"), attempt, why);
        return;
      }
      if (waiting >= MAX_WAITING) {
        dropped++;
        log.warn("Webhook retries are full ({} waiting); dropped alert {} for {}", waiting, alert.getString("rule_id"), url);
        return;
      }
      waiting++;
      log.debug("Webhook {} failed ({}); attempt {} in {} ms", url, why, attempt + 1, nextDelayMs);
      vertx.setTimer(nextDelayMs, id -> {
        waiting--;
        deliver(url, alert, attempt + 1, Math.min(nextDelayMs * 2, MAX_RETRY_MS));
      });
    });
  }
}
