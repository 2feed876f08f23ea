/**
 * The usage history's schema, in the two steps that built it: version 1's wide rows (and
 * `key_last_used`, still in use), then version 3's compact rows. They stay as they shipped, so
 * every older file migrates the same way; `UsageEventsTable` reads and writes the result.
 */

/** Schema version 1: one wide row per event; version 3 converts it. */
export const USAGE_EVENTS_V1_SQL = `
    CREATE TABLE usage_events (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      profile_id TEXT NOT NULL,
      key_id TEXT,
      kind TEXT NOT NULL CHECK (kind IN ('query', 'admin')),
      action TEXT NOT NULL,
      method TEXT NOT NULL,
      path TEXT NOT NULL,
      status INTEGER,
      latency_ms REAL,
      result_count INTEGER,
      error_code TEXT
    ) STRICT;
    CREATE INDEX usage_events_by_key ON usage_events (profile_id, key_id, at);
    CREATE INDEX usage_events_by_time ON usage_events (at);
    -- "Last used" per key, kept on insert so the key list never scans the history.
    CREATE TABLE key_last_used (
      profile_id TEXT NOT NULL,
      key_id TEXT NOT NULL,
      last_used_at INTEGER NOT NULL,
      PRIMARY KEY (profile_id, key_id)
    ) STRICT, WITHOUT ROWID;`

/**
 * Version 3: the same events in compact rows (a third of the bytes), and one index instead
 * of two. "Last used" and the rollups answer the per-key questions the second index served.
 */
export const COMPACT_USAGE_EVENTS_V3_SQL = `
    CREATE TABLE usage_refs (
      ref INTEGER PRIMARY KEY,
      profile_id TEXT NOT NULL,
      key_id TEXT NOT NULL,
      UNIQUE (profile_id, key_id)
    ) STRICT;
    CREATE TABLE usage_ops (
      op INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('query', 'admin')),
      action TEXT NOT NULL,
      method TEXT NOT NULL,
      path TEXT NOT NULL,
      UNIQUE (kind, action, method, path)
    ) STRICT;
    INSERT INTO usage_refs (profile_id, key_id)
      SELECT DISTINCT profile_id, IFNULL(key_id, '') FROM usage_events;
    INSERT INTO usage_ops (kind, action, method, path)
      SELECT DISTINCT kind, action, method, path FROM usage_events;
    ALTER TABLE usage_events RENAME TO usage_events_v1;
    CREATE TABLE usage_events (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      ref INTEGER NOT NULL,
      op INTEGER NOT NULL,
      status INTEGER,
      latency_ms REAL,
      result_count INTEGER,
      error_code TEXT
    ) STRICT;
    INSERT INTO usage_events (id, at, ref, op, status, latency_ms, result_count, error_code)
      SELECT e.id, e.at, r.ref, o.op, e.status, e.latency_ms, e.result_count, e.error_code
      FROM usage_events_v1 e
      JOIN usage_refs r ON r.profile_id = e.profile_id AND r.key_id = IFNULL(e.key_id, '')
      JOIN usage_ops o ON o.kind = e.kind AND o.action = e.action AND o.method = e.method
        AND o.path = e.path;
    DROP TABLE usage_events_v1;
    CREATE INDEX usage_events_by_time ON usage_events (at);`
