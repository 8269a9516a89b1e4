package io.flexconnect.rules;

/**
 * The processing stage between decoding and storage, and alerting on what was stored.
 *
 * @param pipelinesFile JSON file of pipeline rules per device group (filter, rename, scale and
 *     unit conversion, deadband, minimum interval, derived signals); empty = store as decoded
 * @param alertsFile JSON file of alert rules; empty = no alerting
 */
public record ProcessingConfig(String pipelinesFile, String alertsFile) {
  public void validate() {
    // The files themselves are read and compiled at start-up, where their errors name their place.
  }
}
