ALTER TABLE "incident_reports" ADD COLUMN "observer" geometry(Point,4326);--> statement-breakpoint
CREATE INDEX "incident_reports_observer_gist" ON "incident_reports" USING gist ("observer");