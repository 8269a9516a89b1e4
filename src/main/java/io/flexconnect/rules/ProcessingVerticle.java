package io.flexconnect.rules;

import io.flexconnect.rules.pipeline.CompiledPipelines;
import io.flexconnect.rules.pipeline.DevicePipeline;
import io.flexconnect.rules.pipeline.PipelineCompiler;
import io.flexconnect.rules.pipeline.PipelineConfigException;
import io.flexconnect.storage.TelemetryBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing stage: applies the pipeline rules of each device's group to the rows of every
 * message before they are stored. Pipelines hold per-device state (deadband, minimum interval),
 * kept here per device in a bounded map, so the stage partitions by device like the rest of the
 * ingestion path. A pipelines file that does not compile stops the start with every problem listed.
 */
public final class ProcessingVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProcessingVerticle.class);
  private static final int MAX_DEVICES = 100_000;

  private final ProcessingConfig config;
  private CompiledPipelines pipelines;
  private final Map<String, DevicePipeline> devices = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DevicePipeline> eldest) {
      return size() > MAX_DEVICES; // least recently seen devices lose their deadband state first
    }
  };

  public ProcessingVerticle(ProcessingConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(this::load).map(compiled -> {
      pipelines = compiled;
      vertx.eventBus().<TelemetryBatch>localConsumer(ProcessingAddresses.PROCESS, this::process);
      return null;
    });
  }

  private CompiledPipelines load() throws Exception {
    if (config.pipelinesFile().isBlank()) {
      return CompiledPipelines.empty();
    }
    Path file = Path.of(config.pipelinesFile());
    try {
      CompiledPipelines compiled = PipelineCompiler.compileJson(Files.readString(file));
      log.info("Pipeline rules loaded from {}", file);
      return compiled;
    } catch (PipelineConfigException e) {
      throw new IllegalStateException(file + ": " + String.join("; ", e.errors()), e);
    }
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
