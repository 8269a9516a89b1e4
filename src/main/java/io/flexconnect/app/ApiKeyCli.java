package io.flexconnect.app;

import io.flexconnect.auth.ApiKeyException;
import io.flexconnect.auth.ApiKeyInfo;
import io.flexconnect.auth.ApiKeyStore;
import io.flexconnect.storage.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

/**
 * {@code apikey create|list|revoke}: API keys of the REST API and live stream, one tenant each.
 * A key is printed once at creation; the platform keeps its SHA-256 and its public id.
 */
final class ApiKeyCli {
  static final String USAGE = """
      apikey create --tenant TENANT [--name NAME] [--operator]
                               create an API key for the tenant's devices and data, printed once;
                               an operator's key also sees rejections that name no device
      apikey list [--tenant TENANT] [--json]
                               list keys (id, tenant, name, operator, created, revoked), never the keys;
                               --json: a JSON array of {"id", "tenant_id", "name", "operator",
                               "created_at", "revoked_at"}
      apikey revoke KEY_ID     revoke a key (by the id that list shows); refused from the next request""";

  private ApiKeyCli() {}

  static int run(List<String> args, FlexconnectConfig config, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      err.println("usage:\n" + USAGE);
      return 2;
    }
    Args parsed = Args.parse(args.subList(1, args.size()));
    return switch (args.get(0)) {
      case "create" -> {
        String tenant = parsed.option("tenant", null);
        if (tenant == null || tenant.equals("true") || !parsed.positional().isEmpty()) {
          err.println("usage: " + USAGE.lines().findFirst().orElseThrow());
          yield 2;
        }
        String name = parsed.option("name", null);
        boolean operator = parsed.flag("operator");
        yield withStore(config, err, store -> store.create(tenant, name, operator).map(created -> {
          out.println("id:        " + created.info().id());
          out.println("tenant_id: " + created.info().tenantId());
          if (name != null) {
            out.println("name:      " + name);
          }
          if (operator) {
            out.println("operator:  yes (also sees rejected messages that name no registered device)");
          }
          out.println("key:       " + created.key());
          out.println("(the key is shown only now; the platform keeps only its hash."
              + " Send it as 'Authorization: Bearer <key>')");
          return 0;
        }));
      }
      case "list" -> {
        String tenant = parsed.option("tenant", null);
        yield CliDatabase.read(config, err, conn -> ApiKeyStore.list(conn, tenant), keys -> {
          if (parsed.flag("json")) {
            out.println(CliJson.array(keys, (k, json) -> json.put("id", k.id()).put("tenant_id", k.tenantId())
                .put("name", k.name()).put("operator", k.operator()).put("created_at", k.createdAt().toString())
                .put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString())));
            return 0;
          }
          out.println("id\ttenant\tname\toperator\tcreated\trevoked");
          for (ApiKeyInfo k : keys) {
            out.println(k.id() + "\t" + k.tenantId() + "\t" + (k.name() == null ? "-" : k.name()) + "\t"
                + (k.operator() ? "yes" : "no") + "\t" + k.createdAt() + "\t" + (k.revokedAt() == null ? "-" : k.revokedAt()));
          }
          return 0;
        });
      }
      case "revoke" -> {
        if (parsed.positional().size() != 1) {
          err.println("usage:\n" + USAGE);
          yield 2;
        }
        String id = parsed.positional().get(0);
        yield withStore(config, err, store -> store.revoke(id).map(key -> {
          out.println("revoked API key " + key.id() + " of tenant " + key.tenantId() + " (since " + key.revokedAt() + ")");
          return 0;
        }));
      }
      default -> {
        err.println("unknown apikey command '" + args.get(0) + "'\nusage:\n" + USAGE);
        yield 2;
      }
    };
  }

  /** Runs {@code action} on the key store, after the migration. */
  private static int withStore(FlexconnectConfig config, PrintStream err,
      Function<ApiKeyStore, Future<Integer>> action) throws Exception {
    return CliDatabase.change(config, 60, err, (vertx, resolved) -> {
      Pool pool = Database.pool(vertx, resolved.db(), 1);
      return action.apply(new ApiKeyStore(pool)).eventually(pool::close);
    });
  }

  /** Whether CliDatabase prints this failure as a plain message. */
  static boolean expected(Throwable err) {
    return err instanceof ApiKeyException;
  }
}
