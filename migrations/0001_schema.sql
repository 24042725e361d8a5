CREATE TABLE "counties" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counties_code_format" CHECK ("counties"."code" ~ '^[0-9]{6}$')
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"code" text PRIMARY KEY NOT NULL,
	"village_code" text NOT NULL,
	"township_code" text NOT NULL,
	"area_ha" double precision NOT NULL,
	"forest_share" double precision,
	"fuel_type" text,
	"elev_min_m" double precision,
	"elev_mean_m" double precision,
	"elev_max_m" double precision,
	"slope_mean_deg" double precision,
	"firebreak_km" double precision,
	"risk_class" smallint,
	"synthetic" boolean DEFAULT false NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grids_area_nonnegative" CHECK ("grids"."area_ha" >= 0),
	CONSTRAINT "grids_firebreak_nonnegative" CHECK ("grids"."firebreak_km" >= 0),
	CONSTRAINT "grids_forest_share_range" CHECK ("grids"."forest_share" BETWEEN 0 AND 1),
	CONSTRAINT "grids_risk_class_range" CHECK ("grids"."risk_class" BETWEEN 1 AND 5),
	CONSTRAINT "grids_slope_range" CHECK ("grids"."slope_mean_deg" BETWEEN 0 AND 90),
	CONSTRAINT "grids_elevation_order" CHECK ("grids"."elev_min_m" <= "grids"."elev_mean_m" AND "grids"."elev_mean_m" <= "grids"."elev_max_m")
);
--> statement-breakpoint
CREATE TABLE "townships" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"war_zone_id" integer NOT NULL,
	"seat" geometry(Point,4326),
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "townships_kind_check" CHECK ("townships"."kind" IN ('镇', '乡', '街道')),
	CONSTRAINT "townships_code_format" CHECK ("townships"."code" ~ '^[0-9]{9}$')
);
--> statement-breakpoint
CREATE TABLE "villages" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"township_code" text NOT NULL,
	"seat" geometry(Point,4326),
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "villages_kind_check" CHECK ("villages"."kind" IN ('村', '社区')),
	CONSTRAINT "villages_code_format" CHECK ("villages"."code" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
CREATE TABLE "war_zones" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"county_code" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "war_zones_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "firebreaks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"width_m" double precision,
	"length_m" double precision,
	"built_year" double precision,
	"geom" geometry(MultiLineString,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "firebreaks_width_nonnegative" CHECK ("firebreaks"."width_m" >= 0),
	CONSTRAINT "firebreaks_length_nonnegative" CHECK ("firebreaks"."length_m" >= 0)
);
--> statement-breakpoint
CREATE TABLE "key_areas" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"grid_code" text,
	"geom" geometry(Geometry,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_areas_kind_check" CHECK ("key_areas"."kind" IN ('grave_hill', 'scenic_spot', 'power_line', 'school', 'hamlet', 'other'))
);
--> statement-breakpoint
CREATE TABLE "lookouts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"camera_kind" text NOT NULL,
	"height_m" double precision NOT NULL,
	"range_m" double precision,
	"township_code" text,
	"grid_code" text,
	"geom" geometry(Point,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lookouts_camera_kind_check" CHECK ("lookouts"."camera_kind" IN ('visible', 'thermal', 'dual', 'none')),
	CONSTRAINT "lookouts_height_positive" CHECK ("lookouts"."height_m" > 0),
	CONSTRAINT "lookouts_range_nonnegative" CHECK ("lookouts"."range_m" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rivers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"stream_order" double precision,
	"geom" geometry(MultiLineString,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rivers_order_nonnegative" CHECK ("rivers"."stream_order" >= 0)
);
--> statement-breakpoint
CREATE TABLE "roads" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"class" text NOT NULL,
	"speed_kmh" double precision NOT NULL,
	"bridge" boolean DEFAULT false NOT NULL,
	"geom" geometry(LineString,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roads_class_check" CHECK ("roads"."class" IN ('county', 'township', 'village', 'forest_track')),
	CONSTRAINT "roads_speed_range" CHECK ("roads"."speed_kmh" > 0 AND "roads"."speed_kmh" <= 120)
);
--> statement-breakpoint
CREATE TABLE "water_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"capacity_m3" double precision,
	"township_code" text,
	"grid_code" text,
	"geom" geometry(Point,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "water_sources_kind_check" CHECK ("water_sources"."kind" IN ('reservoir', 'pond', 'stream', 'hydrant')),
	CONSTRAINT "water_sources_capacity_nonnegative" CHECK ("water_sources"."capacity_m3" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"role" text,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"address" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "crew_equipment" (
	"crew_id" text NOT NULL,
	"kind" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "crew_equipment_crew_id_kind_pk" PRIMARY KEY("crew_id","kind"),
	CONSTRAINT "crew_equipment_kind_check" CHECK ("crew_equipment"."kind" IN ('drone', 'pump', 'fire_truck', 'blower', 'radio', 'other')),
	CONSTRAINT "crew_equipment_count_nonnegative" CHECK ("crew_equipment"."count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "crew_members" (
	"crew_id" text NOT NULL,
	"person_id" integer NOT NULL,
	"duty" text DEFAULT 'member' NOT NULL,
	CONSTRAINT "crew_members_crew_id_person_id_pk" PRIMARY KEY("crew_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "crew_positions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"crew_id" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accuracy_m" double precision,
	"speed_ms" double precision,
	"heading_deg" double precision,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "crew_positions_accuracy_nonnegative" CHECK ("crew_positions"."accuracy_m" >= 0),
	CONSTRAINT "crew_positions_speed_nonnegative" CHECK ("crew_positions"."speed_ms" >= 0),
	CONSTRAINT "crew_positions_heading_range" CHECK ("crew_positions"."heading_deg" >= 0 AND "crew_positions"."heading_deg" < 360)
);
--> statement-breakpoint
CREATE TABLE "crews" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"unit_kind" text,
	"members" integer NOT NULL,
	"township_code" text,
	"village_code" text,
	"status" text DEFAULT 'standby' NOT NULL,
	"base" geometry(Point,4326) NOT NULL,
	"phone" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crews_level_check" CHECK ("crews"."level" IN ('county', 'township', 'village')),
	CONSTRAINT "crews_status_check" CHECK ("crews"."status" IN ('standby', 'dispatched', 'en_route', 'on_scene', 'returning')),
	CONSTRAINT "crews_members_nonnegative" CHECK ("crews"."members" >= 0),
	CONSTRAINT "crews_level_scope" CHECK (("crews"."level" <> 'township' OR "crews"."township_code" IS NOT NULL) AND ("crews"."level" <> 'village' OR "crews"."village_code" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "dispatches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"crew_id" text NOT NULL,
	"status" text DEFAULT 'ordered' NOT NULL,
	"ordered_by" uuid,
	"ordered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"eta_seconds" double precision,
	"acknowledged_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	CONSTRAINT "dispatches_status_check" CHECK ("dispatches"."status" IN ('ordered', 'acknowledged', 'en_route', 'on_scene', 'released', 'cancelled')),
	CONSTRAINT "dispatches_eta_nonnegative" CHECK ("dispatches"."eta_seconds" >= 0)
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_uuid" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"source" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"accuracy_m" double precision,
	"bearing_deg" double precision,
	"note" text,
	"reporter_user_id" uuid,
	"reporter_name" text,
	"reporter_phone" text,
	"content_hash" text NOT NULL,
	"grid_code" text,
	CONSTRAINT "incident_reports_client_uuid_unique" UNIQUE("client_uuid"),
	CONSTRAINT "incident_reports_source_check" CHECK ("incident_reports"."source" IN ('ranger', 'lookout', 'public', 'camera', 'satellite')),
	CONSTRAINT "incident_reports_accuracy_nonnegative" CHECK ("incident_reports"."accuracy_m" >= 0),
	CONSTRAINT "incident_reports_bearing_range" CHECK ("incident_reports"."bearing_deg" >= 0 AND "incident_reports"."bearing_deg" < 360),
	CONSTRAINT "incident_reports_note_length" CHECK (char_length("incident_reports"."note") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"state" text DEFAULT 'reported' NOT NULL,
	"first_reported_at" timestamp with time zone NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"grid_code" text,
	"village_code" text,
	"township_code" text,
	"war_zone_id" integer,
	"escalation_level" text DEFAULT 'village' NOT NULL,
	"burned_area_ha" double precision,
	"cause" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_state_check" CHECK ("incidents"."state" IN ('reported', 'verifying', 'confirmed', 'false_alarm', 'dispatched', 'on_scene', 'controlled', 'extinguished', 'closed')),
	CONSTRAINT "incidents_escalation_check" CHECK ("incidents"."escalation_level" IN ('village', 'township', 'county')),
	CONSTRAINT "incidents_burned_area_nonnegative" CHECK ("incidents"."burned_area_ha" >= 0),
	CONSTRAINT "incidents_closed_has_time" CHECK ("incidents"."state" <> 'closed' OR "incidents"."closed_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "report_photos" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" bigint NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_path" text NOT NULL,
	CONSTRAINT "report_photos_mime_check" CHECK ("report_photos"."mime_type" IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "report_photos_size_positive" CHECK ("report_photos"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "grid_roles" (
	"person_id" integer NOT NULL,
	"grid_code" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "grid_roles_person_id_grid_code_role_pk" PRIMARY KEY("person_id","grid_code","role"),
	CONSTRAINT "grid_roles_role_check" CHECK ("grid_roles"."role" IN ('grid_head', 'ranger', 'guide', 'village_cadre', 'supervisor', 'folk_forest_chief'))
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"village_code" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_phone_format" CHECK ("people"."phone" ~ '^[0-9+\- ]{5,20}$'),
	CONSTRAINT "people_name_length" CHECK (char_length("people"."name") BETWEEN 1 AND 64)
);
--> statement-breakpoint
CREATE TABLE "drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"township_code" text,
	"departments" text[] DEFAULT '{}'::text[] NOT NULL,
	"participants" integer NOT NULL,
	"notes" text,
	"geom" geometry(Point,4326),
	CONSTRAINT "drills_participants_nonnegative" CHECK ("drills"."participants" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"inspector" text NOT NULL,
	"inspector_user_id" uuid,
	"township_code" text,
	"village_code" text,
	"grid_code" text,
	"inspected_at" timestamp with time zone NOT NULL,
	"findings" text,
	"rectified_at" timestamp with time zone,
	"geom" geometry(Point,4326),
	CONSTRAINT "inspections_kind_check" CHECK ("inspections"."kind" IN ('county_leader', 'inspection_group', 'command_hq')),
	CONSTRAINT "inspections_rectified_after" CHECK ("inspections"."rectified_at" IS NULL OR "inspections"."rectified_at" >= "inspections"."inspected_at")
);
--> statement-breakpoint
CREATE TABLE "publicity_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"village_code" text NOT NULL,
	"grid_code" text,
	"recorded_on" date NOT NULL,
	"channel" text NOT NULL,
	"households_total" integer NOT NULL,
	"households_visited" integer NOT NULL,
	"pledges_signed" integer NOT NULL,
	"aware_persons" integer,
	"surveyed_persons" integer,
	CONSTRAINT "publicity_households_total_nonnegative" CHECK ("publicity_records"."households_total" >= 0),
	CONSTRAINT "publicity_visited_within_total" CHECK ("publicity_records"."households_visited" BETWEEN 0 AND "publicity_records"."households_total"),
	CONSTRAINT "publicity_pledges_within_total" CHECK ("publicity_records"."pledges_signed" BETWEEN 0 AND "publicity_records"."households_total"),
	CONSTRAINT "publicity_aware_within_surveyed" CHECK ("publicity_records"."aware_persons" BETWEEN 0 AND "publicity_records"."surveyed_persons")
);
--> statement-breakpoint
CREATE TABLE "trainings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"township_code" text,
	"audience" text NOT NULL,
	"person_times" integer NOT NULL,
	CONSTRAINT "trainings_person_times_nonnegative" CHECK ("trainings"."person_times" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_kind_check" CHECK ("sessions"."kind" IN ('cookie', 'bearer'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"war_zone_id" integer,
	"township_code" text,
	"village_code" text,
	"grid_code" text,
	"person_id" integer,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" IN ('county_command', 'war_zone_commander', 'township_commander', 'village_head', 'ranger', 'lookout_operator', 'supervisor', 'viewer')),
	CONSTRAINT "users_failed_logins_nonnegative" CHECK ("users"."failed_logins" >= 0),
	CONSTRAINT "users_username_format" CHECK ("users"."username" ~ '^[a-z0-9_.-]{2,32}$')
);
--> statement-breakpoint
CREATE TABLE "fire_danger_forecasts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"valid_date" date NOT NULL,
	"township_code" text,
	"level" smallint NOT NULL,
	"ffmc" double precision,
	"dmc" double precision,
	"dc" double precision,
	"isi" double precision,
	"bui" double precision,
	"fwi" double precision,
	CONSTRAINT "fire_danger_forecasts_level_range" CHECK ("fire_danger_forecasts"."level" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "warnings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"level" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"war_zone_id" integer,
	"township_code" text,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"issued_by" uuid,
	CONSTRAINT "warnings_level_check" CHECK ("warnings"."level" IN ('blue', 'yellow', 'orange', 'red')),
	CONSTRAINT "warnings_expiry_after_issue" CHECK ("warnings"."expires_at" IS NULL OR "warnings"."expires_at" > "warnings"."issued_at")
);
--> statement-breakpoint
CREATE TABLE "weather_observations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"temp_c" double precision,
	"rh_pct" double precision,
	"wind_kmh" double precision,
	"wind_dir_deg" double precision,
	"precip_mm" double precision,
	"township_code" text,
	"geom" geometry(Point,4326),
	CONSTRAINT "weather_observations_rh_range" CHECK ("weather_observations"."rh_pct" BETWEEN 0 AND 100),
	CONSTRAINT "weather_observations_wind_nonnegative" CHECK ("weather_observations"."wind_kmh" >= 0),
	CONSTRAINT "weather_observations_precip_nonnegative" CHECK ("weather_observations"."precip_mm" >= 0),
	CONSTRAINT "weather_observations_temp_range" CHECK ("weather_observations"."temp_c" BETWEEN -60 AND 60),
	CONSTRAINT "weather_observations_dir_range" CHECK ("weather_observations"."wind_dir_deg" >= 0 AND "weather_observations"."wind_dir_deg" < 360)
);
--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "townships" ADD CONSTRAINT "townships_war_zone_id_war_zones_id_fk" FOREIGN KEY ("war_zone_id") REFERENCES "public"."war_zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villages" ADD CONSTRAINT "villages_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "war_zones" ADD CONSTRAINT "war_zones_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_areas" ADD CONSTRAINT "key_areas_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lookouts" ADD CONSTRAINT "lookouts_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lookouts" ADD CONSTRAINT "lookouts_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_sources" ADD CONSTRAINT "water_sources_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_sources" ADD CONSTRAINT "water_sources_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_equipment" ADD CONSTRAINT "crew_equipment_crew_id_crews_id_fk" FOREIGN KEY ("crew_id") REFERENCES "public"."crews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_members" ADD CONSTRAINT "crew_members_crew_id_crews_id_fk" FOREIGN KEY ("crew_id") REFERENCES "public"."crews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_members" ADD CONSTRAINT "crew_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_positions" ADD CONSTRAINT "crew_positions_crew_id_crews_id_fk" FOREIGN KEY ("crew_id") REFERENCES "public"."crews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crews" ADD CONSTRAINT "crews_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crews" ADD CONSTRAINT "crews_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatches" ADD CONSTRAINT "dispatches_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatches" ADD CONSTRAINT "dispatches_crew_id_crews_id_fk" FOREIGN KEY ("crew_id") REFERENCES "public"."crews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatches" ADD CONSTRAINT "dispatches_ordered_by_users_id_fk" FOREIGN KEY ("ordered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_reports" ADD CONSTRAINT "incident_reports_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_reports" ADD CONSTRAINT "incident_reports_reporter_user_id_users_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_reports" ADD CONSTRAINT "incident_reports_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_war_zone_id_war_zones_id_fk" FOREIGN KEY ("war_zone_id") REFERENCES "public"."war_zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_photos" ADD CONSTRAINT "report_photos_report_id_incident_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."incident_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_roles" ADD CONSTRAINT "grid_roles_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_roles" ADD CONSTRAINT "grid_roles_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drills" ADD CONSTRAINT "drills_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_inspector_user_id_users_id_fk" FOREIGN KEY ("inspector_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicity_records" ADD CONSTRAINT "publicity_records_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicity_records" ADD CONSTRAINT "publicity_records_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_war_zone_id_war_zones_id_fk" FOREIGN KEY ("war_zone_id") REFERENCES "public"."war_zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_village_code_villages_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."villages"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_grid_code_grids_code_fk" FOREIGN KEY ("grid_code") REFERENCES "public"."grids"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fire_danger_forecasts" ADD CONSTRAINT "fire_danger_forecasts_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_war_zone_id_war_zones_id_fk" FOREIGN KEY ("war_zone_id") REFERENCES "public"."war_zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_observations" ADD CONSTRAINT "weather_observations_township_code_townships_code_fk" FOREIGN KEY ("township_code") REFERENCES "public"."townships"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counties_geom_gist" ON "counties" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "grids_geom_gist" ON "grids" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "grids_village_idx" ON "grids" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "grids_township_idx" ON "grids" USING btree ("township_code");--> statement-breakpoint
CREATE INDEX "townships_geom_gist" ON "townships" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "townships_seat_gist" ON "townships" USING gist ("seat");--> statement-breakpoint
CREATE INDEX "townships_war_zone_idx" ON "townships" USING btree ("war_zone_id");--> statement-breakpoint
CREATE INDEX "villages_geom_gist" ON "villages" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "villages_seat_gist" ON "villages" USING gist ("seat");--> statement-breakpoint
CREATE INDEX "villages_township_idx" ON "villages" USING btree ("township_code");--> statement-breakpoint
CREATE INDEX "war_zones_geom_gist" ON "war_zones" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "firebreaks_geom_gist" ON "firebreaks" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "key_areas_geom_gist" ON "key_areas" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "lookouts_geom_gist" ON "lookouts" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "rivers_geom_gist" ON "rivers" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "roads_geom_gist" ON "roads" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "roads_class_idx" ON "roads" USING btree ("class");--> statement-breakpoint
CREATE INDEX "water_sources_geom_gist" ON "water_sources" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_user_idx" ON "audit_log" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "crew_positions_geom_gist" ON "crew_positions" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "crew_positions_crew_time_idx" ON "crew_positions" USING btree ("crew_id","recorded_at");--> statement-breakpoint
CREATE INDEX "crews_base_gist" ON "crews" USING gist ("base");--> statement-breakpoint
CREATE INDEX "crews_township_idx" ON "crews" USING btree ("township_code");--> statement-breakpoint
CREATE INDEX "dispatches_incident_idx" ON "dispatches" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatches_one_active_per_crew" ON "dispatches" USING btree ("crew_id") WHERE status IN ('ordered', 'acknowledged', 'en_route', 'on_scene');--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","seq");--> statement-breakpoint
CREATE INDEX "incident_reports_location_gist" ON "incident_reports" USING gist ("location");--> statement-breakpoint
CREATE INDEX "incident_reports_incident_idx" ON "incident_reports" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incidents_location_gist" ON "incidents" USING gist ("location");--> statement-breakpoint
CREATE INDEX "incidents_state_idx" ON "incidents" USING btree ("state");--> statement-breakpoint
CREATE INDEX "incidents_township_idx" ON "incidents" USING btree ("township_code");--> statement-breakpoint
CREATE INDEX "report_photos_report_idx" ON "report_photos" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "grid_roles_grid_idx" ON "grid_roles" USING btree ("grid_code");--> statement-breakpoint
CREATE INDEX "people_village_idx" ON "people" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "drills_geom_gist" ON "drills" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "inspections_geom_gist" ON "inspections" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "inspections_township_time_idx" ON "inspections" USING btree ("township_code","inspected_at");--> statement-breakpoint
CREATE INDEX "publicity_records_village_idx" ON "publicity_records" USING btree ("village_code","recorded_on");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "fire_danger_forecasts_valid_idx" ON "fire_danger_forecasts" USING btree ("valid_date");--> statement-breakpoint
CREATE INDEX "weather_observations_geom_gist" ON "weather_observations" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "weather_observations_station_time_idx" ON "weather_observations" USING btree ("station_id","observed_at");