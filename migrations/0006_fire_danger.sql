CREATE TABLE "weather_daily" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"station_id" text,
	"township_code" text,
	"valid_date" date NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"tmax_c" double precision NOT NULL,
	"rh14_pct" double precision NOT NULL,
	"wind_ms" double precision NOT NULL,
	"rain_mm" double precision NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "weather_daily_kind_check" CHECK ("weather_daily"."kind" IN ('observation', 'forecast')),
	CONSTRAINT "weather_daily_one_place" CHECK (("weather_daily"."station_id" IS NULL) <> ("weather_daily"."township_code" IS NULL)),
	CONSTRAINT "weather_daily_rh_range" CHECK ("weather_daily"."rh14_pct" BETWEEN 0 AND 100),
	CONSTRAINT "weather_daily_temp_range" CHECK ("weather_daily"."tmax_c" BETWEEN -60 AND 60),
	CONSTRAINT "weather_daily_wind_nonnegative" CHECK ("weather_daily"."wind_ms" >= 0),
	CONSTRAINT "weather_daily_rain_nonnegative" CHECK ("weather_daily"."rain_mm" >= 0)
);
--> statement-breakpoint
CREATE TABLE "weather_stations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"township_code" text,
	"elevation_m" double precision,
	"synthetic" boolean DEFAULT false NOT NULL,
	"geom" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fire_danger_forecasts" ADD COLUMN "grid_code" text;--> statement-breakpoint
ALTER TABLE "fire_danger_forecasts" ADD COLUMN "danger_index" smallint;--> statement-breakpoint
ALTER TABLE "fire_danger_forecasts" ADD COLUMN "components" jsonb;--> statement-breakpoint
ALTER TABLE "fire_danger_forecasts" ADD COLUMN "lyt_level" smallint;--> statement-breakpoint
ALTER TABLE "fire_danger_forecasts" ADD COLUMN "fwi_level" smallint;--> statement-breakpoint
ALTER TABLE "warnings" ADD COLUMN "identifier" text;--> statement-breakpoint
ALTER TABLE "warnings" ADD COLUMN "onset_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "warnings" ADD COLUMN "measures" text;--> statement-breakpoint
ALTER TABLE "warnings" ADD COLUMN "township_codes" text[];--> statement-breakpoint
ALTER TABLE "warnings" ADD COLUMN "area" geometry(MultiPolygon,4326);--> statement-breakpoint
ALTER TABLE "weather_daily" ADD CONSTRAINT "weather_daily_station_id_weather_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."weather_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_daily" ADD CONSTRAINT "weather_daily_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_stations" ADD CONSTRAINT "weather_stations_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "weather_daily_date_idx" ON "weather_daily" USING btree ("valid_date");--> statement-breakpoint
CREATE INDEX "weather_stations_geom_gist" ON "weather_stations" USING gist ("geom");--> statement-breakpoint
ALTER TABLE "fire_danger_forecasts" ADD CONSTRAINT "fire_danger_forecasts_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fire_danger_forecasts_grid_idx" ON "fire_danger_forecasts" USING btree ("grid_code");--> statement-breakpoint
CREATE UNIQUE INDEX "warnings_identifier_key" ON "warnings" USING btree ("identifier");