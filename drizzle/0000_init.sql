CREATE TABLE "area_links" (
	"parent_type" text NOT NULL,
	"parent_code" text NOT NULL,
	"child_type" text NOT NULL,
	"child_code" text NOT NULL,
	"relation" text NOT NULL,
	"vintage" text NOT NULL,
	"share" real,
	CONSTRAINT "area_links_pkey" PRIMARY KEY("parent_code","child_type","vintage","child_code","parent_type")
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"type" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"vintage" text NOT NULL,
	"status" text NOT NULL,
	"valid_from" text,
	"valid_to" text,
	"former_names" text[] DEFAULT '{}' NOT NULL,
	"centroid_lat" double precision,
	"centroid_lng" double precision,
	"postcode_count" integer DEFAULT 0 NOT NULL,
	"child_counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "areas_pkey" PRIMARY KEY("type","code")
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"version" text PRIMARY KEY NOT NULL,
	"content_hash" text NOT NULL,
	"built_at" timestamp with time zone NOT NULL,
	"is_sample" boolean NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"sources" jsonb NOT NULL,
	"report" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postcodes" (
	"key" text PRIMARY KEY NOT NULL,
	"postcode" text NOT NULL,
	"quality" smallint,
	"lat" double precision,
	"lng" double precision,
	"country_code" text,
	"lad_code" text,
	"ward_code" text,
	"ward_name" text,
	"region_code" text,
	"pcon_code" text,
	"pcon_method" text,
	"pcon2024_code" text,
	"pcon2024_method" text,
	"lep_codes" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX "area_links_child_idx" ON "area_links" USING btree ("child_code","parent_type");--> statement-breakpoint
CREATE INDEX "areas_code_idx" ON "areas" USING btree ("code");--> statement-breakpoint
CREATE INDEX "datasets_current_idx" ON "datasets" USING btree ("is_current");