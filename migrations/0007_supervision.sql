CREATE TABLE "drill_incidents" (
	"incident_id" uuid PRIMARY KEY NOT NULL,
	"drill_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flag_annotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"month" text NOT NULL,
	"level" text NOT NULL,
	"area_code" text NOT NULL,
	"note" text NOT NULL,
	"author_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flag_annotations_level_check" CHECK ("flag_annotations"."level" IN ('township', 'village')),
	CONSTRAINT "flag_annotations_month_format" CHECK ("flag_annotations"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "flag_annotations_note_length" CHECK (char_length("flag_annotations"."note") BETWEEN 1 AND 2000)
);
--> statement-breakpoint
CREATE TABLE "protection_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"township_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"declared_by" uuid,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_periods_ends_after_start" CHECK ("protection_periods"."ends_at" > "protection_periods"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "rectification" text;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "rectified_by" uuid;--> statement-breakpoint
ALTER TABLE "drill_incidents" ADD CONSTRAINT "drill_incidents_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_incidents" ADD CONSTRAINT "drill_incidents_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_annotations" ADD CONSTRAINT "flag_annotations_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_periods" ADD CONSTRAINT "protection_periods_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flag_annotations_month_idx" ON "flag_annotations" USING btree ("month","level","area_code");--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_rectified_by_users_id_fk" FOREIGN KEY ("rectified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;