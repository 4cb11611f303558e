import type { AreaType } from './geography.ts';

/**
 * The counting rules behind every Innovate UK figure, stated in words beside the figures (JSON,
 * exports and the PDF), so a reader knows what was counted without reading the code.
 */

/** How a participant in a district of two LEPs counts: in both, half in each, or in its first only. */
export type OverlapPolicy = 'full' | 'split' | 'primary';

/** How many organisations an area's headline lists (precomputed by the pipeline). */
export const TOP_ORGANISATIONS = 10;

/** Participant-level filters, as resolved against the data (see services/investment-filters.ts). */
export interface InvestmentFilters {
  area?: { type: AreaType; code: string } | undefined;
  postcode?: string | undefined;
  sector?: string | undefined;
  orgType?: string | undefined;
  orgId?: string | undefined;
  /** Every term must occur in the organisation's normalised name. */
  terms?: string[] | undefined;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  status?: string | undefined;
  leadOnly?: boolean | undefined;
  includeWithdrawn?: boolean | undefined;
  overlap?: OverlapPolicy | undefined;
}

const OVERLAP_MEANING: Record<OverlapPolicy, string> = {
  full: 'A participant in a district that sits in two LEPs counts in full in both (LEP totals can exceed England’s).',
  split:
    'A participant in two LEPs counts half (money and participant) in each; distinct project/organisation counts are not split.',
  primary:
    'A participant in two LEPs counts only in the first LEP the spreadsheet names (else the lower code).',
};

export function rulesOf(f: InvestmentFilters) {
  return {
    counting:
      'One row per participant per project. £ offered = sum of participants’ Grant/Award Offered; projects and organisations are distinct counts.',
    withdrawn: f.includeWithdrawn ? ('included' as const) : ('excluded' as const),
    participants: f.leadOnly ? ('lead only' as const) : ('all' as const),
    overlap: { policy: f.overlap ?? 'full', meaning: OVERLAP_MEANING[f.overlap ?? 'full'] },
    location:
      'Each participant is placed by its own address postcode (not the lead’s); when the postcode is not in the directory, by the spreadsheet’s Address columns. Catapults and multi-site firms book everything at their registered address.',
  };
}

export type Rules = ReturnType<typeof rulesOf>;

/** The same rules as plain sentences, for the notes of an export. */
export const ruleNotes = (f: InvestmentFilters) =>
  Object.values(rulesOf(f)).map((v) => (typeof v === 'string' ? v : v.meaning));
