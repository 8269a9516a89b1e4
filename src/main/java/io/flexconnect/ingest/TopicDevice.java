package io.flexconnect.ingest;

/** Reads the device name out of a topic such as {@code flexconnect/{device}/json}. */
public final class TopicDevice {
  private TopicDevice() {}

  /**
   * The segment at {@code index}, when at least one more segment follows it (so the guide's fixed
   * topics such as {@code flexconnect/mqtt_topic} name no device); otherwise null.
   */
  public static String of(String topic, int index) {
    int start = 0;
    for (int i = 0; i < index; i++) {
      int slash = topic.indexOf('/', start);
      if (slash < 0) {
        return null;
      }
      start = slash + 1;
    }
    int end = topic.indexOf('/', start);
    if (end < 0 || end == start) {
      return null;
    }
    return topic.substring(start, end);
  }

  /**
   * Whether the topic is one the platform publishes to itself ({@code flexconnect/{device}/alerts}):
   * its own output must not come back in as device input.
   */
  public static boolean isPlatformOutput(String topic, int index) {
    String device = of(topic, index);
    return device != null && topic.endsWith("/" + device + "/alerts");
  }
}
