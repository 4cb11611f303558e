CREATE TABLE "iuk_area_top_organisations" (
	"area_type" text NOT NULL,
	"area_code" text NOT NULL,
	"policy" text NOT NULL,
	"rank" integer NOT NULL,
	"org_id" text NOT NULL,
	"grant_pence" numeric NOT NULL,
	"projects" integer NOT NULL,
	CONSTRAINT "iuk_area_top_organisations_pkey" PRIMARY KEY("area_type","area_code","policy","rank")
);
--> statement-breakpoint
CREATE INDEX "iuk_participants_org_type_idx" ON "iuk_participants" USING btree ("org_type","year");--> statement-breakpoint
CREATE INDEX "iuk_participants_status_idx" ON "iuk_participants" USING btree (lower("project_status"),"year");--> statement-breakpoint
CREATE INDEX "iuk_participants_lead_idx" ON "iuk_participants" USING btree ("year") WHERE "iuk_participants"."is_lead";