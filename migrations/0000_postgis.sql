-- Hand-written: drizzle-kit does not create extensions. Every geometry column in the
-- schema needs PostGIS; on a server PostGIS the role running migrations must be allowed
-- to create it (or it must already exist).
CREATE EXTENSION IF NOT EXISTS postgis;
