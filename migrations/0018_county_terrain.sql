CREATE TABLE "county_terrain" (
	"county_code" text PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"west" double precision NOT NULL,
	"south" double precision NOT NULL,
	"east" double precision NOT NULL,
	"north" double precision NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "county_terrain_size_positive" CHECK ("county_terrain"."width" > 0 AND "county_terrain"."height" > 0),
	CONSTRAINT "county_terrain_bounds" CHECK ("county_terrain"."west" < "county_terrain"."east" AND "county_terrain"."south" < "county_terrain"."north")
);
