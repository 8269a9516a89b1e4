package io.flexconnect.app;

/** What the {@code run} command prints once everything listens. */
final class Banner {
  private Banner() {}

  static String text(FlexconnectConfig config, int httpPort, boolean embeddedDb, boolean embeddedBroker,
      String deviceEndpoint, PlatformRunner.DefaultApiKey apiKey) {
    String mqtt = config.mqtt().url();
    String db = embeddedDb
        ? "embedded PostgreSQL on 127.0.0.1:" + config.db().embedded().port() + " (data in "
            + config.db().embedded().dataDir() + ")"
        : redact(config.db().url());
    String host = config.http().host().equals("0.0.0.0") ? "localhost" : config.http().host();
    return """

        Flexconnect is running.
          MQTT     %s%s  (subscribed to '%s')
          Devices  %s  (client certificates of the platform CA: device provision ID)
          Database %s
          REST     http://%s:%d/api/v1   health: http://%s:%d/health
        %s

        First steps:
          java -jar target/flexconnect.jar device add my-device-01
          mosquitto_pub -p %d -q 1 -t flexconnect/my-device-01/json -m '{"device_id":"my-device-01","token":"<token>","points":[{"timestamp":'$(date +%%s000)',"fields":[{"name":"temperature","value":22.5}]}]}'
          curl -H "Authorization: Bearer %s" 'http://%s:%d/api/v1/devices/my-device-01/latest'

        """.formatted(mqtt, embeddedBroker ? " (embedded broker)" : "", config.mqtt().topicFilter(),
        deviceEndpoint, db, host, httpPort, host, httpPort, apiKeyLines(apiKey), mqttPort(mqtt),
        apiKey.key() != null ? apiKey.key() : "$KEY", host, httpPort);
  }

  /** The key itself only on the start that created it; afterwards how to get another. */
  private static String apiKeyLines(PlatformRunner.DefaultApiKey apiKey) {
    String create = "java -jar target/flexconnect.jar apikey create --tenant " + PlatformRunner.DEFAULT_TENANT;
    if (apiKey.key() != null) {
      return "  API key  " + apiKey.key() + "  (tenant " + PlatformRunner.DEFAULT_TENANT + ")\n"
          + "           shown only now: keep it; the platform stores only its hash. Send it as\n"
          + "           'Authorization: Bearer <key>' (revoke: apikey revoke " + apiKey.id() + ")";
    }
    if (apiKey.active() > 0) {
      return "  API key  an API key for tenant " + PlatformRunner.DEFAULT_TENANT + " exists; create another with `"
          + create + "`";
    }
    return "  API key  none active for tenant " + PlatformRunner.DEFAULT_TENANT + "; create one with `" + create + "`";
  }

  private static int mqttPort(String url) {
    return io.flexconnect.mqtt.BrokerAddress.parse(url).port();
  }

  /** A database URL without its password. */
  static String redact(String url) {
    return url.replaceAll("://([^:/@]+):[^@]*@", "://$1:***@");
  }
}
