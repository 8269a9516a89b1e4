package io.flexconnect.rules.alert;

import io.flexconnect.common.Glob;
import java.util.Map;

/** A validated rule: immutable, shared by every device. */
final class CompiledRule {

  final String id;
  final String tenant;
  final Glob devices;
  final Map<String, String> tags;
  final String signal;
  final Glob signalGlob;
  final Check when;
  final Check clear;
  final long forMs;
  final String severity;
  final String template;

  CompiledRule(String id, String tenant, Glob devices, Map<String, String> tags, String signal, Glob signalGlob,
      Check when, Check clear, long forMs, String severity, String template) {
    this.id = id;
    this.tenant = tenant;
    this.devices = devices;
    this.tags = tags;
    this.signal = signal;
    this.signalGlob = signalGlob;
    this.when = when;
    this.clear = clear;
    this.forMs = forMs;
    this.severity = severity;
    this.template = template;
  }

  /** Whether the rule's scope covers the device (a tenant-scoped rule needs the device's tenant). */
  boolean covers(String deviceId, String tenantId) {
    return (tenant == null || tenant.equals(tenantId)) && devices.matches(deviceId);
  }

  boolean noData() {
    return when.kind == Check.Kind.NODATA;
  }

  boolean appliesTo(String signalName) {
    return signalGlob != null ? signalGlob.matches(signalName) : signal.equals(signalName);
  }

  /** Whether the clear condition holds; without one, whether {@code when} no longer holds. */
  boolean cleared(double observed) {
    return clear == null ? !when.test(observed) : clear.test(observed);
  }

  String message(String deviceId, String signalName, double value, double peak) {
    if (template.indexOf('{') < 0) {
      return template;
    }
    StringBuilder sb = new StringBuilder(template.length() + 32);
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      int close = c == '{' ? template.indexOf('}', i) : -1;
      if (close < 0) {
        sb.append(c);
        i++;
        continue;
      }
      String key = template.substring(i + 1, close);
      String replacement = switch (key) {
        case "device" -> deviceId;
        case "signal" -> signalName;
        case "value" -> Check.format(value);
        case "peak" -> Check.format(peak);
        case "threshold" -> when.threshold();
        case "rule" -> id;
        case "severity" -> severity;
        default -> null;
      };
      if (replacement == null) {
        sb.append(c);
        i++;
      } else {
        sb.append(replacement);
        i = close + 1;
      }
    }
    return sb.toString();
  }
}
