package io.flexconnect.app;

import io.flexconnect.api.TimeParam;
import io.flexconnect.can.CanConfig.DbcMapping;
import io.flexconnect.can.RedecodeRequest;
import io.flexconnect.can.RedecodeResult;
import io.flexconnect.can.RedecodeVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code redecode DEVICE_ID --from T --to T [--dbc FILE | --dbc BUS=FILE ...]}: decodes a device's
 * stored binary messages again with (new versions of) DBC files from {@code can.dbcDir} and
 * replaces the derived rows of the range.
 */
final class RedecodeCli {
  static final String USAGE = """
      redecode DEVICE_ID --from TIME --to TIME [--dbc FILE | --dbc BUS=FILE ...]
                               decode a device's stored CAN messages in [from, to) again with DBC
                               files of can.dbcDir (default: its configured mapping) and replace
                               the decoded rows; TIME is epoch ms, ISO-8601,
                               now, now-1h or -15m (units ms s m h d w)""";

  private RedecodeCli() {}

  static int run(List<String> argv, FlexconnectConfig config, PrintStream out, PrintStream err) throws Exception {
    Args args = Args.parse(argv);
    if (args.positional().size() != 1 || !args.flag("from") || !args.flag("to")) {
      err.println("usage: " + USAGE);
      return 2;
    }
    RedecodeRequest request;
    try {
      request = new RedecodeRequest(args.positional().get(0), TimeParam.parse("--from", args.option("from", "")),
          TimeParam.parse("--to", args.option("to", "")), mappings(args.all("dbc")));
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    return CliDatabase.change(config, 24 * 3600, err, (vertx, resolved) -> vertx
        .deployVerticle(new RedecodeVerticle(resolved.can(), resolved.db()),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .compose(id -> vertx.eventBus().<RedecodeResult>request(RedecodeVerticle.ADDRESS, request,
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(24 * 3600_000L)))
        .map(reply -> {
          RedecodeResult r = reply.body();
          out.printf("re-decoded %s: %d messages, %d frames (%d unknown), %d rows replaced by %d%n",
              request.deviceId(), r.messages(), r.frames(), r.unknownFrames(), r.rowsDeleted(), r.rowsWritten());
          r.dbcVersions().forEach((file, sha) -> out.println("  " + file + " sha256 " + sha));
          return 0;
        }));
  }

  private static List<DbcMapping> mappings(List<String> specs) {
    List<DbcMapping> out = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq > 0 && spec.substring(0, eq).matches("[0-7]")) {
        out.add(new DbcMapping("*", Integer.parseInt(spec.substring(0, eq)), spec.substring(eq + 1)));
      } else {
        out.add(new DbcMapping("*", null, spec));
      }
    }
    return out;
  }
}
