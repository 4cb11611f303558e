-- Bridges change meaning (one row per link and side, see schema.ts): the old rows cannot be converted; the next pipeline run rebuilds them.
DELETE FROM "iuk_network_bridges";--> statement-breakpoint
ALTER TABLE "iuk_network_bridges" ADD COLUMN "partner_code" text NOT NULL;--> statement-breakpoint
ALTER TABLE "iuk_network_bridges" ADD COLUMN "lead_projects" integer NOT NULL;--> statement-breakpoint
CREATE INDEX "iuk_network_bridges_partner_idx" ON "iuk_network_bridges" USING btree ("level","partner_code");--> statement-breakpoint
ALTER TABLE "iuk_network_bridges" DROP COLUMN "partner_codes";--> statement-breakpoint
ALTER TABLE "iuk_network_bridges" DROP CONSTRAINT "iuk_network_bridges_pkey";
--> statement-breakpoint
ALTER TABLE "iuk_network_bridges" ADD CONSTRAINT "iuk_network_bridges_pkey" PRIMARY KEY("level","area_code","partner_code","org_id","year","sector");