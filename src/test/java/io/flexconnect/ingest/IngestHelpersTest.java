package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.TestVectors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IngestHelpersTest {

  @Test
  void verifiesThatTheTopicDeviceSegmentIsReadOnlyWhenAKindSegmentFollows() {
    assertThat(TopicDevice.of("flexconnect/demo-0001/json", 1)).isEqualTo("demo-0001");
    assertThat(TopicDevice.of("flexconnect/demo-0001/can/extra", 1)).isEqualTo("demo-0001");
    assertThat(TopicDevice.of("flexconnect/mqtt_topic", 1)).isNull();
    assertThat(TopicDevice.of("flexconnect/mqtt_topic_binary", 1)).isNull();
    assertThat(TopicDevice.of("flexconnect//json", 1)).isNull();
    assertThat(TopicDevice.of("fleet/eu/truck-7/json", 2)).isEqualTo("truck-7");
  }

  @Test
  void verifiesThatThePlatformsOwnAlertTopicsAreRecognised() {
    assertThat(TopicDevice.isPlatformOutput("flexconnect/demo-0001/alerts", 1)).isTrue();
    assertThat(TopicDevice.isPlatformOutput("flexconnect/demo-0001/json", 1)).isFalse();
    assertThat(TopicDevice.isPlatformOutput("flexconnect/alerts", 1)).isFalse();
  }

  @Test
  void verifiesThatTheFormatIsDetectedFromThePayload() {
    assertThat(PayloadFormat.detect(" \n{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(PayloadFormat.JSON);
    assertThat(PayloadFormat.detect(TestVectors.message("seed-json-compressed.json"))).isEqualTo(PayloadFormat.JSON);
    assertThat(PayloadFormat.detect(TestVectors.message("seed-binary.bin"))).isEqualTo(PayloadFormat.BINARY);
    assertThat(PayloadFormat.detect(TestVectors.message("seed-binary-compressed.bin")))
        .isEqualTo(PayloadFormat.BINARY_COMPRESSED);
  }

  @Test
  void verifiesThatTheJsonTokenIsRedactedFromAStoredPayloadHead() {
    byte[] head = PayloadRedactor.head(TestVectors.message("seed-json.json"), 64);
    String text = new String(head, StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\"device_id\": \"demo-0001\", \"token\": \"<redacted>\"");
    assertThat(text).doesNotContain("tok_demo");
  }

  @Test
  void verifiesThatCompressedJsonKeepsOnlyTheSizeOfItsContent() {
    String text = new String(PayloadRedactor.head(TestVectors.message("seed-json-compressed.json"), 256),
        StandardCharsets.UTF_8);
    assertThat(text).matches("\\{\"b64\": \"<\\d+ base64 characters>\"}");
  }

  @Test
  void verifiesThatTheBinaryTokenIsRedactedFromAStoredPayloadHead() {
    byte[] head = PayloadRedactor.head(TestVectors.message("seed-binary.bin"), 256);
    assertThat(new String(head, StandardCharsets.ISO_8859_1)).doesNotContain("tok_demo").contains("*".repeat(46));
    assertThat(head[4 + 46]).isEqualTo(TestVectors.message("seed-binary.bin")[4 + 46]);
  }
}
