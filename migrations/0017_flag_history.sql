CREATE TABLE "flag_history" (
	"month" text NOT NULL,
	"level" text NOT NULL,
	"area_code" text NOT NULL,
	"fires" integer NOT NULL,
	"flag" text NOT NULL,
	"yellow_min" integer NOT NULL,
	"black_min" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flag_history_month_level_area_code_pk" PRIMARY KEY("month","level","area_code"),
	CONSTRAINT "flag_history_level_check" CHECK ("flag_history"."level" IN ('township', 'village')),
	CONSTRAINT "flag_history_flag_check" CHECK ("flag_history"."flag" IN ('red', 'yellow', 'black')),
	CONSTRAINT "flag_history_fires_nonneg" CHECK ("flag_history"."fires" >= 0)
);
--> statement-breakpoint
CREATE TABLE "flag_months" (
	"month" text PRIMARY KEY NOT NULL,
	"yellow_min" integer NOT NULL,
	"black_min" integer NOT NULL,
	"first_computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flag_months_month_format" CHECK ("flag_months"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "flag_months_thresholds" CHECK ("flag_months"."yellow_min" >= 1 AND "flag_months"."black_min" > "flag_months"."yellow_min")
);
--> statement-breakpoint
ALTER TABLE "flag_history" ADD CONSTRAINT "flag_history_month_flag_months_month_fk" FOREIGN KEY ("month") REFERENCES "public"."flag_months"("month") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flag_history_area_idx" ON "flag_history" USING btree ("level","area_code","month");