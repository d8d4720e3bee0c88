-- Road network imports. `wayline import-osm` builds osm2pgrouting's tables
-- in a staging schema and swaps it in as schema `road_network` (ways,
-- ways_vertices_pgr, configuration, …): osm2pgrouting owns that layout, so it
-- is not created here. This table records what was imported and when.

CREATE TABLE road_network_imports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_file text NOT NULL,
  edges integer NOT NULL CHECK (edges > 0),
  vertices integer NOT NULL CHECK (vertices > 0),
  imported_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE road_network_imports ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON road_network_imports FOR ALL TO service_role USING (true) WITH CHECK (true);
GRANT ALL ON road_network_imports TO service_role;
