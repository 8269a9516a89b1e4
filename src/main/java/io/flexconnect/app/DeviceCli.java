package io.flexconnect.app;

import io.flexconnect.device.Device;
import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.device.Tokens;
import io.flexconnect.storage.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;

/**
 * {@code device add ID [--token T] [--tenant T]} and {@code device list}. The token is printed
 * once; only its hash is stored.
 */
final class DeviceCli {
  static final String USAGE = """
      device add DEVICE_ID [--token TOKEN] [--tenant TENANT]
                               register a device; prints its token (generated unless given)
      device list              list registered devices""";

  private DeviceCli() {}

  static int run(List<String> args, FlexconnectConfig config, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      err.println("usage:\n" + USAGE);
      return 2;
    }
    Args parsed = Args.parse(args.subList(1, args.size()));
    return switch (args.get(0)) {
      case "add" -> {
        if (parsed.positional().size() != 1) {
          err.println("usage: " + USAGE.lines().findFirst().orElseThrow());
          yield 2;
        }
        String deviceId = parsed.positional().get(0);
        String token = parsed.option("token", Tokens.generate(new SecureRandom()));
        String tenant = parsed.option("tenant", "default");
        yield withRegistry(config, registry -> registry.add(deviceId, tenant, token).map(device -> {
          out.println("device_id: " + device.deviceId());
          out.println("tenant_id: " + device.tenantId());
          out.println("token:     " + token);
          out.println("(the token is shown only now; the platform keeps only its hash)");
          return 0;
        }), err);
      }
      case "list" -> withRegistry(config, registry -> registry.list().map(devices -> {
        for (Device d : devices) {
          out.println(d.deviceId() + "\t" + d.tenantId());
        }
        return 0;
      }), err);
      default -> {
        err.println("unknown device command '" + args.get(0) + "'\nusage:\n" + USAGE);
        yield 2;
      }
    };
  }

  private static int withRegistry(
      FlexconnectConfig config, Function<DeviceRegistry, Future<Integer>> action, PrintStream err) throws Exception {
    return CliDatabase.run(config, 60, err, (vertx, resolved) -> {
      Pool pool = Database.pool(vertx, resolved.db(), 1);
      return action.apply(new DeviceRegistry(pool)).eventually(pool::close);
    });
  }

}
