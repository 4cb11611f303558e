CREATE TABLE "area_shapes" (
	"type" text NOT NULL,
	"code" text NOT NULL,
	"geometry" text NOT NULL,
	"bbox" double precision[] NOT NULL,
	"centroid_lat" double precision NOT NULL,
	"centroid_lng" double precision NOT NULL,
	"positions" integer NOT NULL,
	CONSTRAINT "area_shapes_pkey" PRIMARY KEY("type","code")
);
--> statement-breakpoint
CREATE TABLE "map_layers" (
	"area_type" text NOT NULL,
	"format" text NOT NULL,
	"body" text NOT NULL,
	"features" integer NOT NULL,
	"notes" jsonb NOT NULL,
	CONSTRAINT "map_layers_pkey" PRIMARY KEY("area_type","format")
);
--> statement-breakpoint
CREATE TABLE "postcode_outcodes" (
	"outcode" text PRIMARY KEY NOT NULL,
	"postcodes" integer NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"lad_code" text,
	"leps" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_names" (
	"type" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"matched_name" text NOT NULL,
	"search_key" text NOT NULL,
	"weight" smallint NOT NULL,
	"postcodes" integer DEFAULT 0 NOT NULL,
	"leps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "search_names_pkey" PRIMARY KEY("type","code","search_key")
);
--> statement-breakpoint
CREATE INDEX "search_names_key_idx" ON "search_names" USING gin ("search_key" gin_trgm_ops);