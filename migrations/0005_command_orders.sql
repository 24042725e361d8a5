CREATE TABLE "command_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"name" text NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"set_by" uuid,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "command_posts_name_length" CHECK (char_length("command_posts"."name") BETWEEN 1 AND 64)
);
--> statement-breakpoint
CREATE TABLE "order_receipts" (
	"order_id" uuid NOT NULL,
	"crew_id" text NOT NULL,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	CONSTRAINT "order_receipts_order_id_crew_id_pk" PRIMARY KEY("order_id","crew_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"from_user" uuid,
	"from_label" text NOT NULL,
	"command_post_id" uuid,
	"text" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_text_length" CHECK (char_length("orders"."text") BETWEEN 1 AND 500)
);
--> statement-breakpoint
ALTER TABLE "command_posts" ADD CONSTRAINT "command_posts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_posts" ADD CONSTRAINT "command_posts_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_receipts" ADD CONSTRAINT "order_receipts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_receipts" ADD CONSTRAINT "order_receipts_crew_id_crews_id_fk" FOREIGN KEY ("crew_id") REFERENCES "public"."crews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_from_user_users_id_fk" FOREIGN KEY ("from_user") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_command_post_id_command_posts_id_fk" FOREIGN KEY ("command_post_id") REFERENCES "public"."command_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "command_posts_location_gist" ON "command_posts" USING gist ("location");--> statement-breakpoint
CREATE INDEX "command_posts_incident_idx" ON "command_posts" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "order_receipts_crew_idx" ON "order_receipts" USING btree ("crew_id");--> statement-breakpoint
CREATE INDEX "orders_incident_idx" ON "orders" USING btree ("incident_id");