package io.flexconnect.rules;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The rule documents in force: the one saved through REST ({@code rule_sets}) when there is one,
 * else the configured file, else an empty document. A save is announced on {@link #CHANGED} so
 * every stage recompiles.
 */
public final class RuleSets {
  /** {@code {"kind": "pipelines"|"alerts", "document": {...}}}, published after a save. */
  public static final String CHANGED = "flexconnect.rules.changed";
  /** Prefix of the address that answers with the document in force of a kind (append the kind). */
  public static final String DOCUMENT = "flexconnect.rules.document.";
  public static final String PIPELINES = "pipelines";
  public static final String ALERTS = "alerts";

  private RuleSets() {}

  /** The saved document of a kind, if any. */
  public static Future<Optional<String>> saved(Pool pool, String kind) {
    return pool.preparedQuery("SELECT document::text FROM rule_sets WHERE kind = $1").execute(Tuple.of(kind))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** The document in force: saved, else the file (read off the event loop), else empty. */
  public static Future<String> effective(Vertx vertx, Pool pool, String kind, String file) {
    return saved(pool, kind).compose(saved -> saved.isPresent()
        ? Future.succeededFuture(saved.get())
        : file.isBlank()
            ? Future.succeededFuture(empty(kind))
            : vertx.executeBlocking(() -> Files.readString(Path.of(file))));
  }

  /** Saves a (validated) document and announces it. */
  public static Future<Void> save(Vertx vertx, Pool pool, String kind, JsonObject document) {
    return pool.preparedQuery("""
            INSERT INTO rule_sets (kind, document, updated_at) VALUES ($1, $2::jsonb, now())
            ON CONFLICT (kind) DO UPDATE SET document = EXCLUDED.document, updated_at = EXCLUDED.updated_at""")
        // The JsonObject itself: a String bound to a jsonb parameter is stored as a JSON string.
        .execute(Tuple.of(kind, document))
        .onSuccess(r -> vertx.eventBus().publish(CHANGED, new JsonObject().put("kind", kind).put("document", document)))
        .mapEmpty();
  }

  static String empty(String kind) {
    return kind.equals(PIPELINES) ? "{\"groups\": []}" : "{\"rules\": []}";
  }
}
