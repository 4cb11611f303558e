CREATE TABLE "iuk_network_bridges" (
	"level" text NOT NULL,
	"area_code" text NOT NULL,
	"org_id" text NOT NULL,
	"year" integer NOT NULL,
	"sector" text NOT NULL,
	"projects" integer NOT NULL,
	"grant_pence" bigint NOT NULL,
	"partner_codes" text[] NOT NULL,
	CONSTRAINT "iuk_network_bridges_pkey" PRIMARY KEY("level","area_code","org_id","year","sector")
);
--> statement-breakpoint
CREATE TABLE "iuk_network_edges" (
	"level" text NOT NULL,
	"scope" text NOT NULL,
	"area_a" text NOT NULL,
	"area_b" text NOT NULL,
	"year" integer NOT NULL,
	"sector" text NOT NULL,
	"projects" integer NOT NULL,
	"grant_pence" bigint NOT NULL,
	"organisations" integer NOT NULL,
	"org_ids" text[] NOT NULL,
	CONSTRAINT "iuk_network_edges_pkey" PRIMARY KEY("level","scope","area_a","area_b","year","sector")
);
--> statement-breakpoint
CREATE TABLE "iuk_network_nodes" (
	"level" text NOT NULL,
	"scope" text NOT NULL,
	"area_code" text NOT NULL,
	"year" integer NOT NULL,
	"sector" text NOT NULL,
	"projects" integer NOT NULL,
	"participants" integer NOT NULL,
	"grant_pence" bigint NOT NULL,
	"organisations" integer NOT NULL,
	"collaborative_projects" integer NOT NULL,
	"org_ids" text[] NOT NULL,
	CONSTRAINT "iuk_network_nodes_pkey" PRIMARY KEY("level","scope","area_code","year","sector")
);
--> statement-breakpoint
CREATE TABLE "scoreboards" (
	"year" integer PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "iuk_network_edges_b_idx" ON "iuk_network_edges" USING btree ("level","scope","area_b");