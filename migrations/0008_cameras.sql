CREATE TABLE "camera_alarms" (
	"id" serial PRIMARY KEY NOT NULL,
	"camera_id" text NOT NULL,
	"channel" integer NOT NULL,
	"bearing_deg" double precision,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"posts" integer DEFAULT 1 NOT NULL,
	"report_uuid" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cameras" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"lookout_id" text,
	"geom" geometry(Point,4326) NOT NULL,
	"height_m" double precision NOT NULL,
	"heading_deg" double precision DEFAULT 0 NOT NULL,
	"range_m" double precision DEFAULT 5000 NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cameras_height_positive" CHECK ("cameras"."height_m" > 0),
	CONSTRAINT "cameras_heading_range" CHECK ("cameras"."heading_deg" >= 0 AND "cameras"."heading_deg" < 360),
	CONSTRAINT "cameras_range_positive" CHECK ("cameras"."range_m" > 0)
);
--> statement-breakpoint
ALTER TABLE "camera_alarms" ADD CONSTRAINT "camera_alarms_camera_id_cameras_id_fk" FOREIGN KEY ("camera_id") REFERENCES "public"."cameras"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "camera_alarms_camera_last" ON "camera_alarms" USING btree ("camera_id","channel","last_at");--> statement-breakpoint
CREATE INDEX "cameras_geom_gist" ON "cameras" USING gist ("geom");