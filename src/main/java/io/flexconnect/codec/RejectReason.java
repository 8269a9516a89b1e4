package io.flexconnect.codec;

/**
 * Why a message was refused. Each reason is a stable, machine-readable code: it is the label of the
 * rejection counter, the {@code reason} column of {@code rejected_messages} and the value REST returns.
 */
public enum RejectReason {
  /** The payload is empty. */
  EMPTY_PAYLOAD("empty_payload"),
  /** The payload is larger than the configured maximum message size. */
  OVERSIZED("oversized"),
  /** The payload is not well-formed JSON. */
  MALFORMED_JSON("malformed_json"),
  /** The JSON is well-formed but does not follow the message schema (missing or mistyped member). */
  INVALID_SCHEMA("invalid_schema"),
  /** A field value is not a number or a string. */
  INVALID_FIELD_VALUE("invalid_field_value"),
  /** {@code b64} appears next to other members. */
  B64_NOT_ALONE("b64_not_alone"),
  /** {@code b64} is not valid base64. */
  BAD_BASE64("bad_base64"),
  /** The compressed content is not a valid gzip stream. */
  BAD_GZIP("bad_gzip"),
  /** The decompressed content exceeds the configured limit (a gzip bomb, or simply too large). */
  DECOMPRESSED_TOO_LARGE("decompressed_too_large"),
  /** A point timestamp lies outside the accepted window (device clock fault). */
  TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range"),
  /** The binary message ends before a length it declares. */
  TRUNCATED("truncated"),
  /** The binary token length exceeds the configured limit or what remains of the message. */
  BAD_TOKEN_LENGTH("bad_token_length"),
  /** A CAN point's declared length does not match its readings. */
  BAD_POINT_LENGTH("bad_point_length"),
  /** A CAN reading's DLC fits neither the CAN FD code nor the byte count reading. */
  BAD_DLC("bad_dlc"),
  /** No device is registered under the message's device id or token. */
  UNKNOWN_DEVICE("unknown_device"),
  /** The token does not belong to the device the message names. */
  WRONG_TOKEN("wrong_token"),
  /** The topic names another device than the one the token authenticates (spoofing). */
  TOPIC_DEVICE_MISMATCH("topic_device_mismatch"),
  /** The message decoded, but the database refuses its rows for good (e.g. text it cannot hold). */
  STORAGE_REFUSED("storage_refused");

  private final String code;

  RejectReason(String code) {
    this.code = code;
  }

  /** The stable snake_case code used in storage, metrics and API responses. */
  public String code() {
    return code;
  }
}
