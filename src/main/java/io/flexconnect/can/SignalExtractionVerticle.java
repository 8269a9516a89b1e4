package io.flexconnect.can;

import io.flexconnect.can.CanConfig.DbcMapping;
import io.flexconnect.dbc.DbcDatabase;
import io.flexconnect.dbc.DbcDecoder;
import io.flexconnect.can.DbcFiles.DbcFileException;
import io.flexconnect.can.DbcFiles.LoadedDbc;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts signals from decoded CAN frames with the DBC files mapped to each device and bus. The
 * files are loaded and compiled once at start (off the event loop); a file that does not load is
 * reported with its line and column and left out, so its frames count as unknown instead of
 * stopping the platform.
 */
public final class SignalExtractionVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SignalExtractionVerticle.class);

  private final CanConfig config;
  private SignalExtractor extractor;

  public SignalExtractionVerticle(CanConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> loadDecoders(config)).map(decoders -> {
      extractor = new SignalExtractor(new DbcCatalog(config.dbcMappings(), decoders), config.storeUnknown());
      vertx.eventBus().<ExtractionRequest>localConsumer(CanAddresses.EXTRACT, this::extract);
      vertx.eventBus().<String>localConsumer(CanAddresses.UNKNOWN_FRAMES,
          msg -> msg.reply(extractor.unknownFrames(msg.body())));
      return null;
    });
  }

  private void extract(Message<ExtractionRequest> request) {
    ExtractionRequest r = request.body();
    request.reply(extractor.extract(r.deviceId(), r.message(), r.receivedAtMs()));
  }

  /** Loads every file the mappings name; blocking. */
  static Map<String, DbcDecoder> loadDecoders(CanConfig config) {
    Set<String> files = new LinkedHashSet<>();
    for (DbcMapping m : config.dbcMappings()) {
      files.add(m.file());
    }
    Map<String, DbcDecoder> decoders = new LinkedHashMap<>();
    for (String file : files) {
      try {
        LoadedDbc loaded = DbcFiles.load(Path.of(config.dbcDir()), file);
        DbcDatabase db = loaded.database();
        decoders.put(file, loaded.decoder());
        log.info("Loaded DBC {}: {} messages{}", file, db.messages().size(),
            db.warnings().isEmpty() ? "" : ", " + db.warnings().size() + " warnings (first: " + db.warnings().get(0) + ")");
      } catch (DbcFileException e) {
        log.error("DBC {} is not used: {}", file, e.getMessage());
      }
    }
    return decoders;
  }
}
