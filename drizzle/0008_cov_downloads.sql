CREATE TABLE "dataset_download_parts" (
	"format" text NOT NULL,
	"part" integer NOT NULL,
	"body" text NOT NULL,
	CONSTRAINT "dataset_download_parts_pkey" PRIMARY KEY("format","part")
);
--> statement-breakpoint
CREATE TABLE "dataset_downloads" (
	"format" text PRIMARY KEY NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"encoding" text NOT NULL,
	"bytes" integer NOT NULL,
	"rows" integer NOT NULL,
	"sha256" text NOT NULL,
	"parts" integer NOT NULL
);
