CREATE TABLE "indicator_coverage" (
	"indicator_id" text NOT NULL,
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"status" text NOT NULL,
	"method" text,
	"reason" text,
	CONSTRAINT "indicator_coverage_pkey" PRIMARY KEY("indicator_id","area_code","year")
);
--> statement-breakpoint
CREATE TABLE "lep_nuts3_parts" (
	"lep_code" text NOT NULL,
	"itl3_code" text NOT NULL,
	"share" double precision NOT NULL,
	"districts" text[] NOT NULL,
	"of_districts" integer NOT NULL,
	CONSTRAINT "lep_nuts3_parts_pkey" PRIMARY KEY("lep_code","itl3_code")
);
--> statement-breakpoint
ALTER TABLE "indicator_values" ADD COLUMN "method" text DEFAULT 'as-published' NOT NULL;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD COLUMN "inputs" jsonb;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD COLUMN "value_lower" double precision;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD COLUMN "value_upper" double precision;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD COLUMN "bounds_note" text;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD COLUMN "cohort_complete" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "indicator_coverage_area_idx" ON "indicator_coverage" USING btree ("area_code","indicator_id","year");