package dev.breakglass.fleet;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fleet's tables, named from a schema and a prefix, quoted, and the SQL that creates them.
 * Immutable and thread-safe.
 */
final class Schema {

  /** The longest table or index name after the prefix (PostgreSQL would cut a longer name). */
  static final int LONGEST_SUFFIX = "fleet_rollback_results".length();

  final @Nullable String schema;
  final String prefix;
  final String stores;
  final String snapshots;
  final String marks;
  final String members;
  final String declarations;
  final String orders;
  final String results;
  final String stages;
  final String journal;
  /** The NOTIFY channel, as a name (for pg_notify) and quoted (for LISTEN). */
  final String channel;
  final String quotedChannel;
  /** What a person names a table by in messages: {@code schema.prefix} as given. */
  final String describe;

  Schema(@Nullable String schema, String prefix) {
    this.schema = schema;
    this.prefix = prefix;
    this.stores = table("snapshot_stores");
    this.snapshots = table("snapshots");
    this.marks = table("stable_marks");
    this.members = table("fleet_members");
    this.declarations = table("fleet_declarations");
    this.orders = table("fleet_rollback_orders");
    this.results = table("fleet_rollback_results");
    this.stages = table("fleet_rollback_stages");
    this.journal = table("fleet_journal");
    this.channel = prefix + "fleet";
    this.quotedChannel = Texts.quote(channel);
    this.describe = (schema == null ? "" : schema + ".") + prefix + "*";
  }

  private String table(String suffix) {
    String name = Texts.quote(prefix + suffix);
    return schema == null ? name : Texts.quote(schema) + "." + name;
  }

  private String index(String suffix) {
    return Texts.quote(prefix + suffix); // an index lives in its table's schema
  }

  /** The statements that create every table and index, each idempotent. */
  List<String> createStatements() {
    return List.of(
        (schema == null ? "" : "CREATE SCHEMA IF NOT EXISTS " + Texts.quote(schema)),
        "CREATE TABLE IF NOT EXISTS " + stores + " (\n"
            + "  store text PRIMARY KEY,\n"
            + "  version bigint NOT NULL DEFAULT 0\n"
            + ")",
        "CREATE TABLE IF NOT EXISTS " + snapshots + " (\n"
            + "  store text NOT NULL REFERENCES " + stores + " (store),\n"
            + "  sequence bigint NOT NULL CHECK (sequence >= 0),\n"
            + "  label bytea NOT NULL,                -- UTF-8\n"
            + "  created_seconds bigint NOT NULL,\n"
            + "  created_nanos integer NOT NULL CHECK (created_nanos BETWEEN 0 AND 999999999),\n"
            + "  fingerprint bytea NOT NULL CHECK (octet_length(fingerprint) = 32),\n"
            + "  size bigint NOT NULL CHECK (size >= 0),\n"
            + "  content bytea NOT NULL,              -- the canonical encoding\n"
            + "  PRIMARY KEY (store, sequence)\n"
            + ")",
        "CREATE TABLE IF NOT EXISTS " + marks + " (\n"
            + "  store text NOT NULL REFERENCES " + stores + " (store),\n"
            + "  sequence bigint NOT NULL CHECK (sequence >= 0),\n"
            + "  fingerprint bytea NOT NULL CHECK (octet_length(fingerprint) = 32),\n"
            + "  marked_seconds bigint NOT NULL,\n"
            + "  marked_nanos integer NOT NULL CHECK (marked_nanos BETWEEN 0 AND 999999999),\n"
            + "  PRIMARY KEY (store, sequence)\n"
            + ")",
        "CREATE TABLE IF NOT EXISTS " + members + " (\n"
            + "  fleet text NOT NULL,\n"
            + "  instance text NOT NULL,\n"
            + "  fleet_group text,                    -- null: in no group\n"
            + "  host text NOT NULL,\n"
            + "  pid bigint NOT NULL,\n"
            + "  incarnation uuid NOT NULL,           -- new each time a process joins\n"
            + "  started_at timestamptz NOT NULL,\n"
            + "  heartbeat_at timestamptz NOT NULL,\n"
            + "  running bytea CHECK (octet_length(running) = 32),\n"
            + "  rolls_back boolean NOT NULL,\n"
            + "  adopted_declaration bigint,\n"
            + "  adopted_at timestamptz,\n"
            + "  left_at timestamptz,\n"
            + "  PRIMARY KEY (fleet, instance)\n"
            + ")",
        "CREATE TABLE IF NOT EXISTS " + declarations + " (\n"
            + "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            + "  fleet text NOT NULL,\n"
            + "  fleet_group text,                    -- null: the whole fleet\n"
            + "  action text NOT NULL CHECK (action IN ('declare', 'clear')),\n"
            + "  severity text CHECK (severity IN ('NORMAL', 'MINOR', 'MAJOR', 'CRITICAL')),\n"
            + "  declared_by text NOT NULL,\n"
            + "  reason text NOT NULL,\n"
            + "  declared_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
            + "  CHECK ((action = 'declare') = (severity IS NOT NULL))\n"
            + ")",
        "CREATE INDEX IF NOT EXISTS " + index("fleet_declarations_ix") + " ON "
            + declarations + " (fleet, id)",
        "CREATE TABLE IF NOT EXISTS " + orders + " (\n"
            + "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            + "  fleet text NOT NULL,\n"
            + "  fleet_group text,                    -- null: the whole fleet\n"
            + "  target bytea NOT NULL CHECK (octet_length(target) = 32),\n"
            + "  ordered_by text NOT NULL,\n"
            + "  reason text NOT NULL,\n"
            + "  ordered_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
            + "  expected text[] NOT NULL             -- the instances that are to roll back\n"
            + ")",
        "CREATE INDEX IF NOT EXISTS " + index("fleet_orders_ix") + " ON " + orders
            + " (fleet, id)",
        "CREATE TABLE IF NOT EXISTS " + results + " (\n"
            + "  order_id bigint NOT NULL REFERENCES " + orders + " (id),\n"
            + "  instance text NOT NULL,\n"
            + "  state text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),\n"
            + "  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
            + "  finished_at timestamptz,\n"
            + "  failure text,\n"
            + "  PRIMARY KEY (order_id, instance)\n"
            + ")",
        "CREATE TABLE IF NOT EXISTS " + stages + " (\n"
            + "  order_id bigint NOT NULL,\n"
            + "  instance text NOT NULL,\n"
            + "  stage text NOT NULL,\n"
            + "  outcome text NOT NULL,\n"
            + "  duration_nanos bigint NOT NULL,\n"
            + "  failure text,\n"
            + "  PRIMARY KEY (order_id, instance, stage),\n"
            + "  FOREIGN KEY (order_id, instance) REFERENCES " + results
            + " (order_id, instance)\n"
            + ")",
        "CREATE TABLE IF NOT EXISTS " + journal + " (\n"
            + "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            + "  fleet text NOT NULL,\n"
            + "  instance text NOT NULL,\n"
            + "  incarnation uuid NOT NULL,\n"
            + "  sequence bigint NOT NULL,            -- in the instance's own journal\n"
            + "  at timestamptz NOT NULL,\n"
            + "  nano_time bigint NOT NULL,\n"
            + "  source text NOT NULL,\n"
            + "  kind text NOT NULL,\n"
            + "  detail text NOT NULL,\n"
            + "  UNIQUE (fleet, instance, incarnation, sequence)\n"
            + ")",
        "CREATE INDEX IF NOT EXISTS " + index("fleet_journal_ix") + " ON " + journal
            + " (fleet, at)")
        .stream().filter(statement -> !statement.isEmpty()).toList();
  }

  /** The statements that give a role what the module needs, and no more. */
  List<String> grantStatements(String role) {
    String who = Texts.quote(role);
    return List.of(
        (schema == null ? "" : "GRANT USAGE ON SCHEMA " + Texts.quote(schema) + " TO " + who),
        "GRANT SELECT, INSERT, UPDATE ON " + stores + " TO " + who,
        "GRANT SELECT, INSERT, DELETE ON " + snapshots + ", " + marks + " TO " + who,
        "GRANT SELECT, INSERT, UPDATE ON " + members + " TO " + who,
        "GRANT SELECT, INSERT ON " + declarations + ", " + orders + ", " + stages + ", "
            + journal + " TO " + who,
        "GRANT SELECT, INSERT, UPDATE ON " + results + " TO " + who)
        .stream().filter(statement -> !statement.isEmpty()).toList();
  }
}
