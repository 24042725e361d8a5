ALTER TABLE "camera_alarms" ADD COLUMN "state" text DEFAULT 'reported' NOT NULL;--> statement-breakpoint
ALTER TABLE "camera_alarms" ADD COLUMN "intake" jsonb;--> statement-breakpoint
ALTER TABLE "camera_alarms" ADD COLUMN "error" text;--> statement-breakpoint
CREATE INDEX "camera_alarms_pending" ON "camera_alarms" USING btree ("id") WHERE "camera_alarms"."state" = 'pending';--> statement-breakpoint
ALTER TABLE "camera_alarms" ADD CONSTRAINT "camera_alarms_state" CHECK ("camera_alarms"."state" IN ('pending', 'reported', 'failed'));