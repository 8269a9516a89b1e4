package io.flexconnect.rules;

import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;
import java.net.URI;
import java.util.List;

/**
 * The processing stage between decoding and storage, and alerting on what was stored.
 *
 * @param pipelinesFile JSON file of pipeline rules per device group (filter, rename, scale and
 *     unit conversion, deadband, minimum interval, derived signals); empty = store as decoded
 * @param alertsFile JSON file of alert rules; empty = no alerting
 * @param webhookUrls every alert transition is POSTed (JSON) to each of these
 * @param webhookMaxAttempts attempts per delivery, with exponential backoff between them
 */
public record ProcessingConfig(String pipelinesFile, String alertsFile, List<String> webhookUrls,
    int webhookMaxAttempts) {

  public ProcessingConfig {
    webhookUrls = List.copyOf(webhookUrls);
  }

  public void validate() {
    // The rule files themselves are read and compiled at start-up, where their errors name their place.
    Checks.positive("processing.webhookMaxAttempts", webhookMaxAttempts);
    for (String url : webhookUrls) {
      try {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("not an http(s) URL");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException("processing.webhookUrls: '" + url + "' " + e.getMessage());
      }
    }
  }
}
