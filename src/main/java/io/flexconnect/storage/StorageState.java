package io.flexconnect.storage;

/** Whether the writer's transactions commit; published on {@link StorageAddresses#STATE} when it changes. */
public enum StorageState {
  /** A flush committed after failures: whatever waits for storage can be retried now. */
  WRITABLE,
  /** A flush failed after successes: messages stay unacknowledged until storage returns. */
  FAILING
}
