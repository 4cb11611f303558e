CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "iuk_organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"names" text[] NOT NULL,
	"search_name" text NOT NULL,
	"crn" text,
	"org_type" text NOT NULL,
	"enterprise_sizes" text[] NOT NULL,
	"postcode" text,
	"lad_code" text,
	"region_code" text,
	"lep_codes" text[] NOT NULL,
	"projects" integer NOT NULL,
	"participations" integer NOT NULL,
	"grant_pence" bigint NOT NULL,
	"first_year" integer,
	"last_year" integer
);
--> statement-breakpoint
CREATE TABLE "iuk_participants" (
	"id" integer PRIMARY KEY NOT NULL,
	"project_number" text NOT NULL,
	"org_id" text NOT NULL,
	"participant_name" text NOT NULL,
	"is_lead" boolean NOT NULL,
	"participant_withdrawn" boolean NOT NULL,
	"project_withdrawn" boolean NOT NULL,
	"counted" boolean NOT NULL,
	"enterprise_size" text,
	"org_type" text NOT NULL,
	"sector" text,
	"year" integer,
	"project_status" text,
	"postcode" text,
	"postcode_raw" text,
	"address_region" text,
	"address_leps" text[] NOT NULL,
	"address_local_authority" text,
	"placement" text NOT NULL,
	"placement_note" text,
	"lat" double precision,
	"lng" double precision,
	"country_code" text,
	"region_code" text,
	"lad_code" text,
	"pcon_code" text,
	"pcon2024_code" text,
	"lep_codes" text[] NOT NULL,
	"grant_pence" bigint,
	"total_costs_pence" bigint,
	"actual_spend_pence" bigint,
	"start_date" text,
	"end_date" text,
	"source_file" text NOT NULL,
	"source_row" integer NOT NULL,
	"release_date" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iuk_projects" (
	"project_number" text PRIMARY KEY NOT NULL,
	"application_number" text,
	"competition_reference" text,
	"competition_title" text,
	"programme_title" text,
	"sector" text,
	"year" integer,
	"title" text,
	"description" text,
	"product_type" text,
	"status" text,
	"withdrawn" boolean NOT NULL,
	"is_iscf" boolean,
	"start_date" text,
	"end_date" text,
	"grant_pence" bigint NOT NULL,
	"total_costs_pence" bigint NOT NULL,
	"participants" integer NOT NULL,
	"lead_org_id" text
);
--> statement-breakpoint
CREATE TABLE "iuk_sector_pairs" (
	"sector_a" text NOT NULL,
	"sector_b" text NOT NULL,
	"organisations" integer NOT NULL,
	CONSTRAINT "iuk_sector_pairs_pkey" PRIMARY KEY("sector_a","sector_b")
);
--> statement-breakpoint
CREATE TABLE "iuk_totals" (
	"area_type" text NOT NULL,
	"area_code" text NOT NULL,
	"dim" text NOT NULL,
	"dim_value" text NOT NULL,
	"participants" integer NOT NULL,
	"grant_pence" bigint NOT NULL,
	"lead_participants" integer NOT NULL,
	"participants_split" numeric NOT NULL,
	"grant_pence_split" numeric NOT NULL,
	"lead_participants_split" numeric NOT NULL,
	"participants_primary" integer NOT NULL,
	"grant_pence_primary" bigint NOT NULL,
	"lead_participants_primary" integer NOT NULL,
	"projects" integer NOT NULL,
	"organisations" integer NOT NULL,
	"projects_primary" integer NOT NULL,
	"organisations_primary" integer NOT NULL,
	CONSTRAINT "iuk_totals_pkey" PRIMARY KEY("area_type","dim","area_code","dim_value")
);
--> statement-breakpoint
CREATE INDEX "iuk_organisations_search_idx" ON "iuk_organisations" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "iuk_organisations_grant_idx" ON "iuk_organisations" USING btree ("grant_pence","id");--> statement-breakpoint
CREATE INDEX "iuk_participants_lad_idx" ON "iuk_participants" USING btree ("lad_code","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_region_idx" ON "iuk_participants" USING btree ("region_code","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_country_idx" ON "iuk_participants" USING btree ("country_code","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_pcon_idx" ON "iuk_participants" USING btree ("pcon_code","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_pcon2024_idx" ON "iuk_participants" USING btree ("pcon2024_code","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_lep_idx" ON "iuk_participants" USING gin ("lep_codes");--> statement-breakpoint
CREATE INDEX "iuk_participants_project_idx" ON "iuk_participants" USING btree ("project_number");--> statement-breakpoint
CREATE INDEX "iuk_participants_org_idx" ON "iuk_participants" USING btree ("org_id","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_postcode_idx" ON "iuk_participants" USING btree ("postcode");--> statement-breakpoint
CREATE INDEX "iuk_participants_sector_idx" ON "iuk_participants" USING btree ("sector","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_amount_idx" ON "iuk_participants" USING btree (coalesce("grant_pence", -1),"id");--> statement-breakpoint
CREATE INDEX "iuk_participants_date_idx" ON "iuk_participants" USING btree (coalesce("start_date", ''),"id");--> statement-breakpoint
CREATE INDEX "iuk_projects_sector_idx" ON "iuk_projects" USING btree ("sector","year");