CREATE TABLE "geodata_version" (
	"id" smallint PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "geodata_version_one_row" CHECK ("geodata_version"."id" = 1)
);
--> statement-breakpoint
-- Starts at the creation time in microseconds, not 1: a database made anew and loaded with
-- other layers never reuses a version (an ETag) that browsers may still hold for the old one.
INSERT INTO "geodata_version" ("id", "version")
  VALUES (1, (extract(epoch from clock_timestamp()) * 1000000)::bigint);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_geodata_version() RETURNS trigger AS $$
BEGIN
  UPDATE geodata_version SET version = version + 1, changed_at = now() WHERE id = 1;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER counties_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON counties
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER war_zones_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON war_zones
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER townships_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON townships
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER villages_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON villages
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER grids_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER roads_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON roads
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER rivers_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rivers
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER firebreaks_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON firebreaks
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER lookouts_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lookouts
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER water_sources_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON water_sources
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER key_areas_geodata_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON key_areas
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER crews_geodata_version_rows AFTER INSERT OR DELETE OR TRUNCATE ON crews
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
--> statement-breakpoint
CREATE TRIGGER crews_geodata_version_drawn
  AFTER UPDATE OF id, name, level, unit_kind, members, township_code, village_code, base ON crews
  FOR EACH STATEMENT EXECUTE FUNCTION bump_geodata_version();
