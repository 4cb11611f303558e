CREATE TABLE "spec_cells" (
	"measure" text NOT NULL,
	"categories" text NOT NULL,
	"period" text NOT NULL,
	"area_code" text NOT NULL,
	"category" text NOT NULL,
	"value" double precision,
	"area_total" double precision NOT NULL,
	"reference_value" double precision NOT NULL,
	"reference_total" double precision NOT NULL,
	"lq" double precision,
	"support" double precision,
	"suppressed" boolean NOT NULL,
	"small_number" boolean NOT NULL,
	"specialised" boolean NOT NULL,
	"lq_rank" integer,
	"lq_ranked" integer NOT NULL,
	"density" double precision,
	"density_cosine" double precision,
	CONSTRAINT "spec_cells_pkey" PRIMARY KEY("measure","categories","period","area_code","category")
);
--> statement-breakpoint
CREATE TABLE "spec_portfolio" (
	"measure" text NOT NULL,
	"categories" text NOT NULL,
	"period" text NOT NULL,
	"area_code" text NOT NULL,
	"total" double precision NOT NULL,
	"krugman" double precision,
	"hoover" double precision,
	"herfindahl" double precision,
	"entropy" double precision,
	"hachman" double precision,
	"ranks" jsonb NOT NULL,
	CONSTRAINT "spec_portfolio_pkey" PRIMARY KEY("measure","categories","period","area_code")
);
--> statement-breakpoint
CREATE TABLE "spec_relatedness" (
	"categories" text NOT NULL,
	"category_a" text NOT NULL,
	"category_b" text NOT NULL,
	"cooccurrence" integer NOT NULL,
	"association" double precision NOT NULL,
	"cosine" double precision NOT NULL,
	CONSTRAINT "spec_relatedness_pkey" PRIMARY KEY("categories","category_a","category_b")
);
--> statement-breakpoint
CREATE TABLE "spec_trends" (
	"measure" text NOT NULL,
	"categories" text NOT NULL,
	"area_code" text NOT NULL,
	"category" text NOT NULL,
	"first_year" integer NOT NULL,
	"last_year" integer NOT NULL,
	"lq_first" double precision NOT NULL,
	"lq_last" double precision NOT NULL,
	"change" double precision NOT NULL,
	"slope" double precision,
	"years" integer NOT NULL,
	"rank_first" integer,
	"rank_last" integer,
	CONSTRAINT "spec_trends_pkey" PRIMARY KEY("measure","categories","area_code","category")
);
