ALTER TABLE "trainings" ADD COLUMN "crew_id" text;--> statement-breakpoint
ALTER TABLE "trainings" ADD COLUMN "unit_name" text;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_crew_id_crews_id_fk" FOREIGN KEY ("crew_id") REFERENCES "public"."crews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trainings_held_on_idx" ON "trainings" USING btree ("held_on");--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_one_unit" CHECK ("trainings"."crew_id" IS NULL OR "trainings"."unit_name" IS NULL);--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_unit_name_not_blank" CHECK ("trainings"."unit_name" IS NULL OR btrim("trainings"."unit_name") <> '');