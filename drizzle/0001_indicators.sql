CREATE TABLE "indicator_values" (
	"indicator_id" text NOT NULL,
	"year" integer NOT NULL,
	"area_vintage" text NOT NULL,
	"area_code" text NOT NULL,
	"value" double precision,
	"suppressed" boolean NOT NULL,
	"suppression_marker" text,
	"rank" integer,
	"cohort_size" integer NOT NULL,
	"percentile" double precision,
	"z" double precision,
	"cohort_median" double precision,
	"cohort_mean" double precision,
	"england_value" double precision,
	"previous_year" integer,
	"previous_value" double precision,
	"change_abs" double precision,
	"change_pct" double precision,
	"source_id" text NOT NULL,
	"source_code" text NOT NULL,
	"source_vintage" text NOT NULL,
	CONSTRAINT "indicator_values_pkey" PRIMARY KEY("indicator_id","year","area_vintage","area_code")
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"unit" text NOT NULL,
	"measure" text NOT NULL,
	"polarity" text NOT NULL,
	"actor" text NOT NULL,
	"dimension" text NOT NULL,
	"source" jsonb NOT NULL,
	"source_indicator" text NOT NULL,
	"years" integer[] NOT NULL,
	"area_vintages" text[] NOT NULL,
	"rate_variant_id" text,
	"rate_of" jsonb,
	"experimental" boolean NOT NULL,
	"caveats" text[] NOT NULL,
	"latest_year" integer
);
--> statement-breakpoint
CREATE TABLE "lep_vintage_map" (
	"from_code" text NOT NULL,
	"from_spec" text NOT NULL,
	"from_name" text,
	"to_code" text,
	"to_name" text,
	"rule" text NOT NULL,
	"reason" text NOT NULL,
	"code_reused_in_2021" boolean NOT NULL,
	"values" integer NOT NULL,
	CONSTRAINT "lep_vintage_map_pkey" PRIMARY KEY("from_code","from_spec")
);
--> statement-breakpoint
CREATE INDEX "indicator_values_area_idx" ON "indicator_values" USING btree ("area_code","area_vintage","indicator_id","year");