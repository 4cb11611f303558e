CREATE TABLE "iuk_sector_pairs" (
	"sector_a" text NOT NULL,
	"sector_b" text NOT NULL,
	"organisations" integer NOT NULL,
	CONSTRAINT "iuk_sector_pairs_pkey" PRIMARY KEY("sector_a","sector_b")
);
