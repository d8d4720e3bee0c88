-- Tombstones for deleted locations, so that every instance's in-memory driver
-- index learns of deletions by the same polling it uses for updates (an
-- updated_at watermark cannot see a row that no longer exists). One row per
-- (user, type): the table stays as small as the set of deleted locations.

CREATE TABLE location_tombstones (
  user_id uuid NOT NULL,
  type text NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, type)
);
CREATE INDEX idx_location_tombstones_deleted ON location_tombstones (deleted_at);

ALTER TABLE location_tombstones ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON location_tombstones FOR ALL TO service_role USING (true) WITH CHECK (true);
GRANT ALL ON location_tombstones TO service_role;

CREATE FUNCTION record_location_tombstone() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO location_tombstones (user_id, type, deleted_at) VALUES (OLD.user_id, OLD.type, clock_timestamp())
  ON CONFLICT (user_id, type) DO UPDATE SET deleted_at = EXCLUDED.deleted_at;
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_locations_tombstone AFTER DELETE ON locations
  FOR EACH ROW EXECUTE FUNCTION record_location_tombstone();
