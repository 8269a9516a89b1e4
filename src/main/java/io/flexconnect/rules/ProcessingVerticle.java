package io.flexconnect.rules;

import io.flexconnect.cluster.ClusterAddresses;
import io.flexconnect.cluster.Ownership;
import io.flexconnect.common.LruMap;
import io.flexconnect.rules.pipeline.CompiledPipelines;
import io.flexconnect.rules.pipeline.DevicePipeline;
import io.flexconnect.rules.pipeline.PipelineCompiler;
import io.flexconnect.rules.pipeline.PipelineConfigException;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.storage.TelemetryBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing stage: applies the pipeline rules of each device's group to the rows of every
 * message before they are stored. Pipelines hold per-device state (deadband, minimum interval),
 * kept here per device in a bounded map, so the stage partitions by device like the rest of the
 * ingestion path. The rules are the document saved through REST, else the configured file; a
 * document that does not compile stops the start with every problem listed, and a saved change
 * ({@link RuleSets#CHANGED}) is swapped in at once.
 */
public final class ProcessingVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProcessingVerticle.class);
  private static final int MAX_DEVICES = 100_000;

  private final ProcessingConfig config;
  private final DatabaseConfig database;
  private Pool pool;
  private CompiledPipelines pipelines;
  private JsonObject document;
  // Least recently seen devices lose their deadband state first.
  private final Map<String, DevicePipeline> devices = LruMap.create(MAX_DEVICES);

  public ProcessingVerticle(ProcessingConfig config, DatabaseConfig database) {
    this.config = config;
    this.database = database;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 1);
    return RuleSets.effective(vertx, pool, RuleSets.PIPELINES, config.pipelinesFile()).map(text -> {
      document = new JsonObject(text);
      try {
        pipelines = PipelineCompiler.compileJson(text);
      } catch (PipelineConfigException e) {
        throw new IllegalStateException((config.pipelinesFile().isBlank() ? "saved pipelines" : config.pipelinesFile())
            + ": " + String.join("; ", e.errors()), e);
      }
      vertx.eventBus().<TelemetryBatch>localConsumer(ProcessingAddresses.PROCESS, this::process);
      vertx.eventBus().localConsumer(RuleSets.DOCUMENT + RuleSets.PIPELINES, msg -> msg.reply(this.document));
      // Clustered: state is kept only for the devices this member owns; one that comes back starts over.
      vertx.eventBus().<Ownership>localConsumer(ClusterAddresses.OWNERSHIP,
          msg -> devices.keySet().removeIf(device -> !msg.body().owns(device)));
      vertx.eventBus().<JsonObject>consumer(RuleSets.CHANGED, msg -> {
        if (RuleSets.PIPELINES.equals(msg.body().getString("kind"))) {
          // Saved documents were validated before: swap them in; deadband and interval state starts over.
          document = msg.body().getJsonObject("document");
          pipelines = PipelineCompiler.compileJson(document.encode());
          devices.clear();
          log.info("Pipeline rules replaced");
        }
      });
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private void process(Message<TelemetryBatch> message) {
    TelemetryBatch batch = message.body();
    if (batch.rows().isEmpty()) {
      message.reply(batch);
      return;
    }
    String deviceId = batch.rows().get(0).deviceId();
    DevicePipeline pipeline = devices.computeIfAbsent(deviceId, pipelines::newDevicePipeline);
    message.reply(pipeline.isPassThrough() ? batch : new TelemetryBatch(pipeline.apply(batch.rows()), batch.raw()));
  }
}
