package io.flexconnect.rules;

/**
 * The processing stage between decoding and storage.
 *
 * @param pipelinesFile JSON file of pipeline rules per device group (filter, rename, scale and
 *     unit conversion, deadband, minimum interval, derived signals); empty = store as decoded
 */
public record ProcessingConfig(String pipelinesFile) {
  public void validate() {
    // The file itself is read and compiled at start-up, where its errors name their place.
  }
}
