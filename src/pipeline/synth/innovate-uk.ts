import type { OrgType } from '../sources/innovate-uk/values.ts';
import { type CalibrationCell, cellKeyOf } from './calibration.ts';
import type { SynthPlace } from './places.ts';
import { createRng, mixSeed, type Rng } from './prng.ts';
import {
  CHARITY_FORMS,
  EXTRAPOLATED_YEARS,
  ISCF_PROGRAMMES,
  NAME_STEMS_A,
  NAME_STEMS_B,
  NAME_STEMS_C,
  PARTNER_SURNAMES,
  PUBLIC_FORMS,
  PUBLISHED_GRANT_BY_YEAR,
  RTO_FORMS,
  SECTOR_CODES,
  SECTOR_PROGRAMMES,
  SECTOR_THEMES,
  SECTORS,
  type SynthSector,
  TITLE_OBJECTS,
  TITLE_QUALIFIERS,
  TITLE_VERBS,
} from './vocabulary.ts';

/*
 * Synthetic "Innovate UK funded projects since 2004" spreadsheet. The real file is one row per
 * participant per project and is not available here; this builds a population of competitions,
 * projects and organisations once (the "model"), then renders each release's rows from it, with
 * each row's presentation (spellings, number formats, messy postcodes) drawn from a stream seeded
 * by (seed, release, participant) so rows can be produced lazily and in any order.
 */

/** Column names of the 2019–2020 releases. */
export const LEGACY_COLUMNS = [
  'Competition Reference',
  'Competition Title',
  'Programme Title',
  'Sector',
  'Competition Year',
  'Application Number',
  'Project Number',
  'Project Title',
  'Public Description',
  'Innovate UK Product Type',
  'Participant Name',
  'CRN',
  'Is Lead Participant',
  'Participant Withdrawn From Project',
  'Project Status',
  'Enterprise Size',
  'Postcode',
  'Address Region',
  'Address LEP',
  'In Multiple LEPs',
  'Industrial Strategy Challenge Fund',
  'Grant Offered (£)',
  'Total Costs (£)',
  'Actual Spend to Date (£)',
  'Project Start Date',
  'Project End Date',
] as const;

/** Column names of the newer releases: "Award Offered", "Address Local Authority", "(ISCF)". */
export const CURRENT_COLUMNS = [
  'Competition Reference',
  'Competition Title',
  'Programme Title',
  'Sector',
  'Competition Year',
  'Application Number',
  'Project Number',
  'Project Title',
  'Public Description',
  'Innovate UK Product Type',
  'Participant Name',
  'CRN',
  'Is Lead Participant',
  'Participant Withdrawn From Project',
  'Project Status',
  'Enterprise Size',
  'Postcode',
  'Address Region',
  'Address LEP',
  'Address Local Authority',
  'In Multiple LEPs',
  'Industrial Strategy Challenge Fund (ISCF)',
  'Award Offered (£)',
  'Total Costs (£)',
  'Actual Spend to Date (£)',
  'Project Start Date',
  'Project End Date',
] as const;

export type ColumnStyle = 'legacy' | 'current';

/** A spreadsheet cell as written: text, a number (money or an Excel date serial), a date, or empty. */
export type SynthCell = string | number | Date | null;

/** The organisation kinds the generator models; Catapults are kept apart from other RTOs. */
export type SynthOrgKind =
  | 'micro'
  | 'small'
  | 'medium'
  | 'large'
  | 'academic'
  | 'rto'
  | 'catapult'
  | 'public_sector'
  | 'charity';

/**
 * How each kind of organisation is spelled in "Enterprise Size", with the canonical organisation
 * type that spelling should be read as and a relative frequency. Written independently of the
 * parser's table so a test can hold one against the other. "SME" cannot say which size it is,
 * so it reads as 'other'; the combined "Public Sector, charity or non Profit" reads as public sector.
 */
export const ENTERPRISE_SIZE_SPELLINGS: Readonly<
  Record<SynthOrgKind, readonly (readonly [spelling: string, canonical: OrgType, weight: number])[]>
> = {
  micro: [
    ['Micro', 'micro', 60],
    ['micro', 'micro', 10],
    ['MICRO', 'micro', 5],
    ['Micro ', 'micro', 5],
    ['SME', 'other', 10],
    ['', 'other', 2],
  ],
  small: [
    ['Small', 'small', 60],
    ['small', 'small', 10],
    ['SMALL', 'small', 5],
    ['SME', 'other', 10],
    ['', 'other', 2],
  ],
  medium: [
    ['Medium', 'medium', 60],
    ['medium', 'medium', 10],
    ['Medium ', 'medium', 5],
    ['SME', 'other', 10],
  ],
  large: [
    ['Large', 'large', 70],
    ['large', 'large', 10],
    ['LARGE', 'large', 5],
    ['', 'other', 2],
  ],
  academic: [
    ['Academic', 'academic', 80],
    ['academic', 'academic', 10],
    ['ACADEMIC', 'academic', 5],
  ],
  rto: [
    ['Research and Technology Organisation', 'rto', 40],
    ['RTO', 'rto', 30],
    ['Research and Technology Organisation (RTO)', 'rto', 20],
    ['rto', 'rto', 5],
  ],
  catapult: [
    ['Catapult', 'rto', 70],
    ['RTO', 'rto', 20],
    ['Research and Technology Organisation', 'rto', 10],
  ],
  public_sector: [
    ['Public Sector', 'public_sector', 40],
    ['PSO', 'public_sector', 30],
    ['Public sector organisation', 'public_sector', 10],
    ['Public Sector, charity or non Profit', 'public_sector', 10],
  ],
  charity: [
    ['Charity', 'charity', 40],
    ['Non-profit', 'charity', 25],
    ['Not-for-profit', 'charity', 10],
    ['charity', 'charity', 5],
    ['Public Sector, charity or non Profit', 'public_sector', 10],
  ],
};

export type MalformedKind =
  | 'grant_not_a_number'
  | 'missing_project_number'
  | 'impossible_date'
  | 'costs_not_a_number';
const MALFORMED_KINDS: readonly MalformedKind[] = [
  'grant_not_a_number',
  'missing_project_number',
  'impossible_date',
  'costs_not_a_number',
];

export interface GenerateOptions {
  /** Participant rows in the newest release (default 100,000). */
  rows?: number;
  seed?: number;
  /** Real postcodes with their names; at least one is required. */
  places: readonly SynthPlace[];
  /** Number of overlapping releases (default 1). */
  releases?: number;
  /** Date of the newest release, YYYY-MM-DD (default 2026-10-01); earlier ones are a month apart. */
  releaseDate?: string;
  /** Column naming per release, oldest first; default: the newest 'current', earlier 'legacy'. */
  columnStyles?: readonly ColumnStyle[];
  /** Deliberately unusable rows to include (default 0.02% of rows, at least 4). */
  malformedRows?: number;
  /**
   * Published grant totals by NUTS2 and competition year (calibration.ts). When given, places are
   * drawn in proportion to their region's published money, and every participant's grant in a
   * (region, year) cell is scaled so the cell's total equals the published one. Needs `nuts2` on places.
   */
  calibration?: { cells: readonly CalibrationCell[]; nuts1Years: ReadonlySet<string> };
}

/** Chance that a new partner organisation is placed in the lead organisation's region (see ADR 0003). */
export const LOCAL_PARTNER_SHARE = 0.4;

/** What calibration did, cell by cell (generated = after scaling, counting projects not withdrawn or on hold). */
export interface CalibrationReport {
  cells: { year: number; key: string; targetPence: number; generatedPence: number; factor: number | null }[];
}

interface SynthOrg {
  id: number;
  kind: SynthOrgKind;
  /** Name without its legal form ("Aurora Photonics"). */
  stem: string;
  legalForm: 'ltd' | 'plc' | 'llp' | 'none';
  /** Canonical CRN, or null when the spreadsheet leaves it blank for this organisation. */
  crn: string | null;
  /** What a CRN-less organisation shows in the CRN column. */
  blankCrnText: '' | 'N/A';
  place: SynthPlace;
}

interface SynthCompetition {
  reference: string;
  title: string;
  programme: string;
  sector: SynthSector;
  year: number;
  productType: ProductType;
  iscf: boolean;
  openMonth: number;
}

interface SynthParticipant {
  id: number;
  org: SynthOrg;
  isLead: boolean;
  grantPence: number;
  totalCostsPence: number;
  /** First release (1-based) in which the participant shows as withdrawn; null if never. */
  withdrawnFromRelease: number | null;
  /** Releases before this one show `priorGrantPence` (a later re-offer lowered the grant). */
  grantChangedAtRelease: number | null;
  priorGrantPence: number;
  spendFraction: number;
  malformed: MalformedKind | null;
}

interface SynthProject {
  competition: SynthCompetition;
  projectNumber: string;
  applicationNumber: string;
  title: string;
  description: string;
  /** UTC milliseconds. */
  start: number;
  end: number;
  fate: 'normal' | 'withdrawn' | 'on_hold';
  participants: SynthParticipant[];
}

/** What a rendered row really says, for tests and reconciliation. */
export interface SynthTruth {
  projectNumber: string;
  /** Project Number + canonical CRN, else the organisation's name: the de-duplication identity. */
  participantKey: string;
  organisationId: number;
  organisationKind: SynthOrgKind;
  /** The canonical type the row's Enterprise Size spelling stands for. */
  orgType: OrgType;
  sector: SynthSector;
  competitionYear: number;
  isLead: boolean;
  grantOfferedPence: number;
  totalCostsPence: number;
  participantWithdrawn: boolean;
  projectStatus: 'Live' | 'Closed' | 'Withdrawn' | 'On Hold';
  postcode: string;
  ladCode: string;
  lepNames: readonly string[];
  regionName: string;
  isIscf: boolean;
  /** Non-null when the row was deliberately broken and a reader must reject it. */
  malformed: MalformedKind | null;
}

export interface SynthRow {
  /** Cells keyed by the release's column names. */
  cells: Record<string, SynthCell>;
  truth: SynthTruth;
}

export interface SynthReleaseInfo {
  /** 1-based, oldest first. */
  index: number;
  releaseDate: string;
  columnStyle: ColumnStyle;
  columns: readonly string[];
  /** How many projects of the model this release carries (a prefix, in start-date order). */
  projectCount: number;
}

export interface InnovateUkModel {
  seed: number;
  calibration: CalibrationReport | null;
  releases: SynthReleaseInfo[];
  projects: SynthProject[];
  organisations: number;
  participants: number;
}

type ProductType =
  | 'Collaborative R&D'
  | 'Feasibility Studies'
  | 'Smart'
  | 'Knowledge Transfer Partnership'
  | 'Catalyst'
  | 'Innovation Loans'
  | 'Contracts for Innovation'
  | 'Innovation Vouchers'
  | 'Grant for R&D';

interface ProductProfile {
  code: string;
  /** Participant count weights, index 0 = one participant. */
  sizes: readonly number[];
  grantMedian: number;
  grantSigma: number;
  months: readonly [number, number];
  businessOnly: boolean;
}

const PRODUCTS: Readonly<Record<ProductType, ProductProfile>> = {
  'Collaborative R&D': {
    code: 'CRD',
    sizes: [0, 12, 18, 20, 16, 12, 9, 6, 4, 3],
    grantMedian: 140_000,
    grantSigma: 0.9,
    months: [12, 36],
    businessOnly: false,
  },
  'Feasibility Studies': {
    code: 'FS',
    sizes: [45, 35, 20],
    grantMedian: 60_000,
    grantSigma: 0.6,
    months: [6, 12],
    businessOnly: false,
  },
  Smart: {
    code: 'SMART',
    sizes: [1],
    grantMedian: 95_000,
    grantSigma: 0.7,
    months: [6, 18],
    businessOnly: true,
  },
  'Knowledge Transfer Partnership': {
    code: 'KTP',
    sizes: [0, 1],
    grantMedian: 110_000,
    grantSigma: 0.3,
    months: [24, 36],
    businessOnly: false,
  },
  Catalyst: {
    code: 'CAT',
    sizes: [30, 30, 25, 15],
    grantMedian: 350_000,
    grantSigma: 0.7,
    months: [12, 36],
    businessOnly: false,
  },
  'Innovation Loans': {
    code: 'LOAN',
    sizes: [1],
    grantMedian: 450_000,
    grantSigma: 0.5,
    months: [24, 60],
    businessOnly: true,
  },
  'Contracts for Innovation': {
    code: 'SBRI',
    sizes: [70, 30],
    grantMedian: 120_000,
    grantSigma: 0.9,
    months: [3, 24],
    businessOnly: false,
  },
  'Innovation Vouchers': {
    code: 'IV',
    sizes: [1],
    grantMedian: 5_000,
    grantSigma: 0.15,
    months: [3, 6],
    businessOnly: true,
  },
  'Grant for R&D': {
    code: 'GRD',
    sizes: [1],
    grantMedian: 80_000,
    grantSigma: 0.8,
    months: [12, 24],
    businessOnly: true,
  },
};

/** Product mix by era: KTPs and Grant for R&D dominate early; Smart and loans come later. */
function productMix(year: number): [ProductType[], number[]] {
  if (year < 2011) {
    return [
      ['Collaborative R&D', 'Knowledge Transfer Partnership', 'Feasibility Studies', 'Grant for R&D'],
      [40, 30, 10, 20],
    ];
  }
  if (year < 2017) {
    return [
      [
        'Collaborative R&D',
        'Feasibility Studies',
        'Smart',
        'Knowledge Transfer Partnership',
        'Catalyst',
        'Contracts for Innovation',
      ],
      [35, 18, 17, 15, 8, 7],
    ];
  }
  return [
    [
      'Collaborative R&D',
      'Feasibility Studies',
      'Smart',
      'Knowledge Transfer Partnership',
      'Catalyst',
      'Innovation Loans',
      'Contracts for Innovation',
      'Innovation Vouchers',
    ],
    [40, 15, 15, 10, 6, 3, 6, 5],
  ];
}

const BUSINESS_KINDS: readonly SynthOrgKind[] = ['micro', 'small', 'medium', 'large'];
const LEAD_KINDS: readonly SynthOrgKind[] = [
  'micro',
  'small',
  'medium',
  'large',
  'academic',
  'rto',
  'catapult',
  'public_sector',
  'charity',
];
const LEAD_WEIGHTS = [30, 25, 15, 12, 8, 3, 1, 3, 3];
const PARTNER_WEIGHTS = [12, 15, 10, 15, 30, 6, 4, 5, 3];
const SMALL_BUSINESS_KINDS: readonly SynthOrgKind[] = ['micro', 'small', 'medium'];

/** Chance that a participation goes to a new organisation rather than a returning one, by kind. */
const NEW_ORG_CHANCE: Readonly<Record<SynthOrgKind, number>> = {
  micro: 0.46,
  small: 0.4,
  medium: 0.34,
  large: 0.2,
  academic: 0,
  rto: 0.04,
  catapult: 0,
  public_sector: 0.25,
  charity: 0.35,
};

/** Intervention rate (grant as % of costs) by kind: smaller firms get a larger share. */
const INTERVENTION_PCT: Readonly<Record<SynthOrgKind, readonly [number, number]>> = {
  micro: [60, 70],
  small: [60, 70],
  medium: [50, 60],
  large: [40, 50],
  academic: [80, 80],
  rto: [80, 100],
  catapult: [100, 100],
  public_sector: [50, 100],
  charity: [50, 100],
};

const DAY_MS = 86_400_000;

/** Parse YYYY-MM-DD to UTC milliseconds. */
function utc(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`expected YYYY-MM-DD, got ${iso}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
}

/** Sector × year cells with weights from the published pivot (money shares). */
function sectorYearCells(): { year: number; sector: SynthSector; weight: number }[] {
  const cells: { year: number; sector: SynthSector; weight: number }[] = [];
  for (const [yearText, values] of Object.entries(PUBLISHED_GRANT_BY_YEAR)) {
    SECTORS.forEach((sector, i) => {
      const weight = values[i] ?? 0;
      if (weight > 0) cells.push({ year: Number(yearText), sector, weight });
    });
  }
  const recent = [2019, 2020, 2021].map((y) => PUBLISHED_GRANT_BY_YEAR[y] ?? []);
  for (const year of EXTRAPOLATED_YEARS) {
    SECTORS.forEach((sector, i) => {
      const weight = recent.reduce((sum, row) => sum + (row[i] ?? 0), 0) / recent.length;
      cells.push({ year, sector, weight });
    });
  }
  return cells;
}

function withArticle(word: string): string {
  return `${/^[aeiouAEIOU]/.test(word) ? 'an' : 'a'} ${word}`;
}

/** Geometric-ish count: index i chosen with weight sizes[i], meaning i + 1 participants. */
function participantCount(rng: Rng, profile: ProductProfile): number {
  const idx = profile.sizes.map((_, i) => i);
  return rng.weighted(idx, profile.sizes) + 1;
}

/**
 * Identity of a name under the folding any reader must do (case, punctuation, "&"/"and", a leading
 * "The", the spelling of the legal form): two organisations never share one, so a CRN-less
 * organisation stays one participant across name variants and releases.
 */
function nameIdentity(stem: string, legalForm: SynthOrg['legalForm']): string {
  const words = stem
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
  return legalForm === 'none' ? words : `${words} ${legalForm}`;
}

class OrgFactory {
  readonly orgs: SynthOrg[] = [];
  private readonly byKind = new Map<SynthOrgKind, SynthOrg[]>();
  /** One entry per past participation: picking uniformly gives preferential attachment. */
  private readonly history = new Map<SynthOrgKind, SynthOrg[]>();
  private readonly names = new Set<string>();
  private readonly crns = new Set<string>();
  private readonly rng: Rng;
  private readonly places: readonly SynthPlace[];
  private readonly byRegion = new Map<string, SynthPlace[]>();
  /** Cumulative place weights when places are drawn by published money (else uniform). */
  private readonly cumulative: number[] | null;

  constructor(rng: Rng, places: readonly SynthPlace[], calibration?: GenerateOptions['calibration']) {
    this.rng = rng;
    this.places = places;
    for (const p of places) {
      const list = this.byRegion.get(p.regionName);
      if (list) list.push(p);
      else this.byRegion.set(p.regionName, [p]);
    }
    this.cumulative = calibration ? placeWeights(places, calibration) : null;
    for (const kind of LEAD_KINDS) {
      this.byKind.set(kind, []);
      this.history.set(kind, []);
    }
    this.seedFixedPopulations();
  }

  /** Universities and Catapults are a fixed, small population that wins often. */
  private seedFixedPopulations() {
    const universities = Math.max(3, Math.min(140, Math.ceil(this.places.length / 40)));
    for (let i = 0; i < universities; i++) this.create('academic');
    const catapults = Math.max(1, Math.min(9, Math.ceil(this.places.length / 400)));
    for (let i = 0; i < catapults; i++) this.create('catapult');
  }

  /** A place: in `near`'s region when given, else by money share (calibrated) or uniformly. */
  private pickPlace(near?: SynthPlace): SynthPlace {
    const rng = this.rng;
    if (near) {
      const local = this.byRegion.get(near.regionName);
      if (local?.length) return rng.pick(local);
    }
    const cum = this.cumulative;
    if (!cum) return rng.pick(this.places);
    const x = rng.next() * (cum[cum.length - 1] as number);
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.places[lo] as SynthPlace;
  }

  pick(kind: SynthOrgKind, exclude: ReadonlySet<number>, near?: SynthPlace): SynthOrg {
    const rng = this.rng;
    const pool = this.byKind.get(kind) ?? [];
    const history = this.history.get(kind) ?? [];
    let org: SynthOrg | undefined;
    // A partner is local (the lead's region) with LOCAL_PARTNER_SHARE: a local organisation of its
    // kind when one exists (new ones are placed there), else any.
    const local = near && rng.chance(LOCAL_PARTNER_SHARE) ? near : undefined;
    const isLocal = (o: SynthOrg) => o.place.regionName === local?.regionName && !exclude.has(o.id);
    if ((kind === 'academic' || kind === 'catapult') && local) {
      const here = pool.filter(isLocal);
      if (here.length) org = rng.pick(here);
    }
    if (org) {
      // chosen locally above
    } else if (kind === 'academic' || kind === 'catapult') {
      // Zipf over a fixed list: a few big universities take a large share.
      for (let tries = 0; tries < 8 && !org; tries++) {
        const rank = Math.floor(pool.length ** rng.next()) - 1;
        const candidate = pool[Math.max(0, rank)];
        if (candidate && !exclude.has(candidate.id)) org = candidate;
      }
      org ??= pool.find((o) => !exclude.has(o.id)) ?? this.create(kind);
    } else if (history.length === 0 || rng.chance(NEW_ORG_CHANCE[kind])) {
      org = this.create(kind, local);
    } else {
      for (let tries = 0; tries < (local ? 12 : 5) && !org; tries++) {
        const candidate = rng.pick(history);
        if (local ? isLocal(candidate) : !exclude.has(candidate.id)) org = candidate;
      }
      org ??= this.create(kind, local);
    }
    history.push(org);
    return org;
  }

  private uniqueCrn(place: SynthPlace): string {
    for (;;) {
      const scottish = place.countryCode === 'S92000003';
      const crn = scottish
        ? `SC${String(this.rng.int(100000, 799999))}`
        : String(this.rng.int(100000, 14999999)).padStart(8, '0');
      if (!this.crns.has(crn)) {
        this.crns.add(crn);
        return crn;
      }
    }
  }

  private create(kind: SynthOrgKind, near?: SynthPlace): SynthOrg {
    const rng = this.rng;
    const place = this.pickPlace(near);
    const hasCrn =
      kind === 'academic' || kind === 'public_sector'
        ? false
        : kind === 'charity'
          ? rng.chance(0.4)
          : kind === 'rto' || kind === 'catapult'
            ? rng.chance(0.85)
            : rng.chance(0.92);
    const crn = hasCrn ? this.uniqueCrn(place) : null;
    let stem = '';
    let legalForm: SynthOrg['legalForm'] = 'none';
    for (let tries = 0; ; tries++) {
      stem = this.stemFor(kind, place, tries);
      // Only incorporated charities carry "Ltd".
      legalForm = kind === 'charity' && !crn ? 'none' : this.legalFormFor(kind);
      const id = nameIdentity(stem, legalForm);
      if (!this.names.has(id)) {
        this.names.add(id);
        break;
      }
    }
    const org: SynthOrg = {
      id: this.orgs.length + 1,
      kind,
      stem,
      legalForm,
      crn,
      blankCrnText: rng.chance(0.1) ? 'N/A' : '',
      place,
    };
    this.orgs.push(org);
    this.byKind.get(kind)?.push(org);
    return org;
  }

  private legalFormFor(kind: SynthOrgKind): SynthOrg['legalForm'] {
    const rng = this.rng;
    switch (kind) {
      case 'micro':
      case 'small':
      case 'medium':
        return rng.chance(0.03) ? 'llp' : 'ltd';
      case 'large':
        return rng.chance(0.35) ? 'plc' : 'ltd';
      case 'rto':
      case 'catapult':
        return 'ltd';
      case 'charity':
        return rng.chance(0.3) ? 'ltd' : 'none';
      default:
        return 'none';
    }
  }

  private stemFor(kind: SynthOrgKind, place: SynthPlace, attempt: number): string {
    const rng = this.rng;
    const a = rng.pick(NAME_STEMS_A);
    const b = rng.pick(NAME_STEMS_B);
    const uniqueTail = attempt > 6 ? ` ${attempt}` : '';
    switch (kind) {
      case 'academic': {
        const forms = [
          `University of ${place.ladName}`,
          `${place.ladName} University`,
          `${place.ladName} Metropolitan University`,
        ];
        return `${forms[Math.min(attempt, forms.length - 1)]}${attempt >= forms.length ? ` ${b}` : ''}${uniqueTail}`;
      }
      case 'catapult':
        return `${b} Catapult${attempt > 0 ? ` ${a}` : ''}${uniqueTail}`;
      case 'rto':
        return `${attempt % 2 ? 'National' : a} ${b} ${rng.pick(RTO_FORMS)}${uniqueTail}`;
      case 'public_sector':
        return `${place.ladName} ${rng.pick(PUBLIC_FORMS)}${attempt > 2 ? ` ${a}` : ''}${uniqueTail}`;
      case 'charity':
        return `${rng.chance(0.2) ? 'The ' : ''}${a} ${b} ${rng.pick(CHARITY_FORMS)}${uniqueTail}`;
      default: {
        const r = rng.next();
        if (r < 0.08)
          return `${rng.pick(PARTNER_SURNAMES)} & ${rng.pick(PARTNER_SURNAMES)} ${b}${uniqueTail}`;
        if (r < 0.5 || attempt > 2) return `${a} ${b} ${rng.pick(NAME_STEMS_C)}${uniqueTail}`;
        return `${a} ${b}${uniqueTail}`;
      }
    }
  }
}

/**
 * Cumulative draw weights: each region's share of the published money over all years (a NUTS1
 * group cell is shared among its regions by their number of sampled places), spread evenly over
 * the region's places. Places with no region (no lookup) keep a small uniform weight.
 */
function placeWeights(
  places: readonly SynthPlace[],
  calibration: NonNullable<GenerateOptions['calibration']>,
) {
  const perRegion = new Map<string, number>();
  const perNuts1 = new Map<string, number>();
  for (const p of places) {
    if (!p.nuts2) continue;
    perRegion.set(p.nuts2, (perRegion.get(p.nuts2) ?? 0) + 1);
    perNuts1.set(p.nuts2.slice(0, 3), (perNuts1.get(p.nuts2.slice(0, 3)) ?? 0) + 1);
  }
  const money = new Map<string, number>();
  for (const c of calibration.cells) {
    if (c.key.length === 4) money.set(c.key, (money.get(c.key) ?? 0) + c.targetPence);
    else
      for (const [r, n] of perRegion)
        if (r.startsWith(c.key))
          money.set(r, (money.get(r) ?? 0) + (c.targetPence * n) / (perNuts1.get(c.key) ?? 1));
  }
  const total = [...money.values()].reduce((a, b) => a + b, 0) || 1;
  const fallback = 0.05 / Math.max(1, places.length);
  let sum = 0;
  return places.map((p) => {
    const region = p.nuts2 ? (money.get(p.nuts2) ?? 0) / total / (perRegion.get(p.nuts2) ?? 1) : 0;
    sum += region > 0 ? region : fallback;
    return sum;
  });
}

/**
 * Scale every participant's grant (and costs) in each (region, year) cell so that the cell's
 * total over projects not withdrawn or on hold equals the published one. Cells with no generated
 * participant cannot be met and are reported with factor null.
 */
function calibrate(
  projects: SynthProject[],
  calibration: NonNullable<GenerateOptions['calibration']>,
): CalibrationReport {
  const wanted = new Map(calibration.cells.map((c) => [`${c.year}|${c.key}`, c]));
  const before = new Map<string, number>();
  const keyOf = (p: SynthProject, part: SynthParticipant) => {
    const nuts2 = part.org.place.nuts2;
    return nuts2
      ? `${p.competition.year}|${cellKeyOf(nuts2, p.competition.year, calibration.nuts1Years)}`
      : null;
  };
  for (const p of projects) {
    if (p.fate !== 'normal') continue;
    for (const part of p.participants) {
      const k = keyOf(p, part);
      if (k && wanted.has(k)) before.set(k, (before.get(k) ?? 0) + part.grantPence);
    }
  }
  const factor = new Map<string, number>();
  for (const [k, c] of wanted) {
    const b = before.get(k) ?? 0;
    if (b > 0) factor.set(k, c.targetPence / b);
  }
  const after = new Map<string, number>();
  for (const p of projects) {
    for (const part of p.participants) {
      const k = keyOf(p, part);
      const f = k ? factor.get(k) : undefined;
      if (!k || f === undefined) continue;
      part.grantPence = Math.round(part.grantPence * f);
      part.priorGrantPence = Math.round(part.priorGrantPence * f);
      if (part.grantPence > 0) part.totalCostsPence = Math.round(part.totalCostsPence * f);
      if (p.fate === 'normal') after.set(k, (after.get(k) ?? 0) + part.grantPence);
    }
  }
  return {
    cells: calibration.cells.map((c) => {
      const k = `${c.year}|${c.key}`;
      return {
        year: c.year,
        key: c.key,
        targetPence: c.targetPence,
        generatedPence: after.get(k) ?? 0,
        factor: factor.get(k) ?? null,
      };
    }),
  };
}

function competitionTitle(
  rng: Rng,
  sector: SynthSector,
  productType: ProductType,
  year: number,
  round: number,
): string {
  const theme = rng.pick(SECTOR_THEMES[sector]);
  const themeTitle = theme.charAt(0).toUpperCase() + theme.slice(1);
  switch (productType) {
    case 'Smart':
      return `Smart Grants ${year}/${String((year + 1) % 100).padStart(2, '0')} round ${round}`;
    case 'Knowledge Transfer Partnership':
      return `Knowledge Transfer Partnership ${year}/${String((year + 1) % 100).padStart(2, '0')}`;
    case 'Innovation Loans':
      return `Innovation Loans: ${theme} round ${round}`;
    case 'Innovation Vouchers':
      return `Innovation Vouchers: ${theme}`;
    default:
      return `${themeTitle}: ${productType.toLowerCase()} round ${round}`;
  }
}

/**
 * Build the population behind every release: competitions shaped by the published sector × year
 * totals, projects, organisations (returning winners are likelier to win again) and participants.
 */
export function createInnovateUkModel(opts: GenerateOptions): InnovateUkModel {
  const targetRows = opts.rows ?? 100_000;
  const seed = opts.seed ?? 1;
  const releaseCount = Math.max(1, opts.releases ?? 1);
  const places = opts.places;
  if (places.length === 0) throw new Error('synthetic Innovate UK data needs at least one place');
  if (targetRows < 1) throw new Error('rows must be at least 1');
  const rng = createRng(mixSeed(seed, 0x1cf));
  const factory = new OrgFactory(rng, places, opts.calibration);

  const cells = sectorYearCells();
  const cellWeights = cells.map((c) => c.weight);
  // ~2.9 participants per project on average, so this many competitions gives ~25 projects each.
  const expectedProjects = targetRows / 2.9;
  const competitionsByCell = new Map<number, SynthCompetition[]>();
  let competitionSerial = 0;
  const competitionFor = (cellIndex: number): SynthCompetition => {
    const cell = cells[cellIndex] as (typeof cells)[number];
    let list = competitionsByCell.get(cellIndex);
    const share = cell.weight / cellWeights.reduce((a, b) => a + b, 0);
    const wanted = Math.max(1, Math.round((expectedProjects * share) / 25));
    if (!list) {
      list = [];
      competitionsByCell.set(cellIndex, list);
    }
    if (list.length < wanted && (list.length === 0 || rng.chance(0.5))) {
      const [types, weights] = productMix(cell.year);
      const productType = rng.weighted(types, weights);
      const openMonth = rng.int(0, 11);
      const iscf = cell.year >= 2017 && cell.year <= 2022 && rng.chance(0.25);
      competitionSerial += 1;
      const yy = String(cell.year % 100).padStart(2, '0');
      const mm = String(openMonth + 1).padStart(2, '0');
      list.push({
        reference: `${yy}${mm}_${PRODUCTS[productType].code}_${SECTOR_CODES[cell.sector]}_${competitionSerial}`,
        title: competitionTitle(rng, cell.sector, productType, cell.year, list.length + 1),
        programme: iscf ? rng.pick(ISCF_PROGRAMMES) : rng.pick(SECTOR_PROGRAMMES[cell.sector]),
        sector: cell.sector,
        year: cell.year,
        productType,
        iscf,
        openMonth,
      });
    }
    return rng.pick(list);
  };

  const projects: SynthProject[] = [];
  let rows = 0;
  let participantSerial = 0;
  while (rows < targetRows) {
    const competition = competitionFor(
      rng.weighted(
        cells.map((_, i) => i),
        cellWeights,
      ),
    );
    const profile = PRODUCTS[competition.productType];
    const size = Math.min(participantCount(rng, profile), targetRows - rows);
    const used = new Set<number>();
    const participants: SynthParticipant[] = [];
    for (let slot = 0; slot < size; slot++) {
      let kind: SynthOrgKind;
      if (competition.productType === 'Knowledge Transfer Partnership') {
        kind = slot === 0 ? rng.pick(BUSINESS_KINDS) : 'academic';
      } else if (profile.businessOnly) {
        kind = rng.pick(SMALL_BUSINESS_KINDS);
      } else {
        kind = rng.weighted(LEAD_KINDS, slot === 0 ? LEAD_WEIGHTS : PARTNER_WEIGHTS);
      }
      // Partners are drawn near the lead more often than chance would (LOCAL_PARTNER_SHARE).
      const org = factory.pick(kind, used, slot > 0 ? participants[0]?.org.place : undefined);
      used.add(org.id);
      // Older competitions were smaller; scale so 2004 grants are about half of today's.
      const eraScale = 0.5 + Math.min(1, (competition.year - 2004) / 15) * 0.5;
      let grantPounds = rng.logNormal(
        profile.grantMedian * eraScale * (slot === 0 ? 1.3 : 1),
        profile.grantSigma,
      );
      // KTP money goes to the knowledge base partner; the business row shows £0.
      if (competition.productType === 'Knowledge Transfer Partnership' && slot === 0) grantPounds = 0;
      const withPence = rng.chance(0.3);
      const grantPence = withPence ? Math.round(grantPounds * 100) : Math.round(grantPounds) * 100;
      const [lo, hi] = INTERVENTION_PCT[kind];
      const pct = rng.int(lo, hi);
      const totalCostsPence =
        grantPence === 0 ? rng.int(20_000, 90_000) * 100 : Math.round((grantPence * 100) / pct);
      participantSerial += 1;
      participants.push({
        id: participantSerial,
        org,
        isLead: slot === 0,
        grantPence,
        totalCostsPence,
        withdrawnFromRelease: size > 1 && slot > 0 && rng.chance(0.025) ? rng.int(1, releaseCount) : null,
        grantChangedAtRelease: releaseCount > 1 && rng.chance(0.01) ? rng.int(2, releaseCount) : null,
        priorGrantPence: Math.round(grantPence * (1.05 + rng.next() * 0.25)),
        spendFraction: 0.85 + rng.next() * 0.15,
        malformed: null,
      });
    }
    rows += participants.length;
    const startMonth = competition.openMonth + 3 + rng.int(0, 9);
    // Competition Year is a financial year: it opens in April of `year`.
    const start = Date.UTC(competition.year, 3 + startMonth, rng.chance(0.8) ? 1 : rng.int(2, 28));
    const end = addMonths(start, rng.int(profile.months[0], profile.months[1])) - DAY_MS;
    const fateRoll = rng.next();
    const theme = rng.pick(SECTOR_THEMES[competition.sector]);
    projects.push({
      competition,
      projectNumber: '',
      applicationNumber: '',
      title: `${rng.pick(TITLE_VERBS)} ${withArticle(rng.pick(TITLE_QUALIFIERS))} ${theme} ${rng.pick(TITLE_OBJECTS)}`,
      description:
        `This project will develop ${withArticle(rng.pick(TITLE_QUALIFIERS))} ${rng.pick(TITLE_OBJECTS)} for ${theme}, ` +
        `reducing costs for UK ${rng.pick(['manufacturers', 'patients', 'farmers', 'operators', 'consumers'])}.` +
        (rng.chance(0.1) ? '\nIt builds on earlier "proof of concept" work.' : ''),
      start,
      end,
      fate: fateRoll < 0.03 ? 'withdrawn' : fateRoll < 0.035 ? 'on_hold' : 'normal',
      participants,
    });
  }

  const calibration = opts.calibration ? calibrate(projects, opts.calibration) : null;

  // Project numbers rise with time, as the real ones do: six digits before 2017, eight after.
  projects.sort((a, b) => a.start - b.start);
  let oldSerial = 100_000;
  let newSerial = 10_000_000;
  for (const p of projects) {
    if (p.competition.year < 2017) {
      oldSerial += rng.int(1, 4);
      p.projectNumber = String(oldSerial);
      p.applicationNumber = String(rng.int(10_000, 99_999));
    } else {
      newSerial += rng.int(1, 6);
      p.projectNumber = String(newSerial);
      p.applicationNumber = String(newSerial);
    }
  }

  // A few deliberately broken rows, spread over the population, so readers' reject paths run.
  const allParticipants = projects.flatMap((p) => p.participants);
  const malformedCount = Math.min(
    allParticipants.length,
    opts.malformedRows ?? Math.max(4, Math.round(allParticipants.length * 0.0002)),
  );
  for (let i = 0; i < malformedCount; i++) {
    const target = allParticipants[Math.floor(((i + rng.next()) * allParticipants.length) / malformedCount)];
    if (target) target.malformed = MALFORMED_KINDS[i % MALFORMED_KINDS.length] ?? 'grant_not_a_number';
  }

  const newest = utc(opts.releaseDate ?? '2026-10-01');
  const releases: SynthReleaseInfo[] = [];
  for (let index = 1; index <= releaseCount; index++) {
    const back = releaseCount - index;
    const columnStyle: ColumnStyle =
      opts.columnStyles?.[index - 1] ?? (index === releaseCount ? 'current' : 'legacy');
    // Each earlier release lacks the newest ~4% of projects per month of age.
    const share = Math.max(0.5, 1 - 0.04 * back);
    releases.push({
      index,
      releaseDate: isoDate(addMonths(newest, -back)),
      columnStyle,
      columns: columnStyle === 'current' ? CURRENT_COLUMNS : LEGACY_COLUMNS,
      projectCount: index === releaseCount ? projects.length : Math.floor(projects.length * share),
    });
  }

  return {
    seed,
    calibration,
    releases,
    projects,
    organisations: factory.orgs.length,
    participants: allParticipants.length,
  };
}

const LEGAL_FORM_SPELLINGS: Readonly<Record<SynthOrg['legalForm'], readonly string[]>> = {
  ltd: ['Ltd', 'Ltd', 'Limited', 'Limited', 'LTD', 'Ltd.', 'LIMITED', 'ltd'],
  plc: ['PLC', 'PLC', 'plc', 'Plc', 'P.L.C.'],
  llp: ['LLP', 'LLP', 'llp', 'L.L.P.'],
  none: [''],
};

/** One spelling of an organisation's name; every variant folds to the same normalised name. */
function nameVariant(rng: Rng, org: SynthOrg): string {
  let stem = org.stem;
  const r = rng.next();
  if (r < 0.08) stem = stem.toUpperCase();
  else if (r < 0.12) stem = stem.toLowerCase();
  else if (r < 0.15 && org.kind === 'academic') stem = `The ${stem}`;
  else if (r < 0.18) stem = stem.replace(/ & /g, ' and ');
  const form = rng.pick(LEGAL_FORM_SPELLINGS[org.legalForm]);
  if (!form) return stem;
  const sep = rng.chance(0.03) ? ', ' : ' ';
  return `${stem}${sep}${stem === stem.toUpperCase() ? form.toUpperCase() : form}`;
}

/** The postcode as typed: mostly tidy, sometimes lower-case, unspaced, padded, cut short or blank. */
function postcodeVariant(rng: Rng, postcode: string): string {
  const r = rng.next();
  if (r < 0.82) return postcode;
  if (r < 0.87) return postcode.toLowerCase();
  if (r < 0.91) return postcode.replace(' ', '');
  if (r < 0.94) return ` ${postcode.replace(' ', '  ')} `;
  if (r < 0.985) return '';
  return postcode.split(' ')[0] ?? ''; // outward code only: unusable, the Address columns remain
}

function commaThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Money as the spreadsheet shows it: usually a number, sometimes text such as "£12,345.00". */
function moneyCell(rng: Rng, pence: number): SynthCell {
  const pounds = String(Math.trunc(pence / 100));
  const pp = String(pence % 100).padStart(2, '0');
  const r = rng.next();
  if (r < 0.7) return pence / 100;
  if (r < 0.8) return `£${commaThousands(pounds)}.${pp}`;
  if (r < 0.9) return pp === '00' ? pounds : `${pounds}.${pp}`;
  return `${commaThousands(pounds)}.${pp}`;
}

/** Days since 1899-12-30, the Excel (1900 system) serial of a date. */
export function excelSerial(ms: number): number {
  return Math.round((ms - Date.UTC(1899, 11, 30)) / DAY_MS);
}

/** Dates as the spreadsheet shows them: a date cell, a bare Excel serial, or text. */
function dateCell(rng: Rng, ms: number): SynthCell {
  const r = rng.next();
  if (r < 0.75) return new Date(ms);
  if (r < 0.85) return excelSerial(ms);
  const d = new Date(ms);
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  if (r < 0.95) return `${dd}/${mm}/${d.getUTCFullYear()}`;
  return isoDate(ms);
}

function yesNo(rng: Rng, value: boolean): string {
  const text = value ? 'Yes' : 'No';
  return rng.chance(0.03) ? text.toLowerCase() : text;
}

/** The CRN as typed: canonical, or with the leading zeros Excel strips from numbers. */
function crnCell(rng: Rng, org: SynthOrg): SynthCell {
  if (!org.crn) return org.blankCrnText;
  if (/^\d+$/.test(org.crn) && rng.chance(0.15)) return Number(org.crn);
  return org.crn;
}

/**
 * Render release `releaseIndex` (1-based) of the model as rows in file order. Lazily generated, so
 * a 100k-row release can be streamed to disk without holding every row.
 */
export function* renderRelease(model: InnovateUkModel, releaseIndex: number): Generator<SynthRow> {
  const release = model.releases[releaseIndex - 1];
  if (!release) throw new Error(`no release ${releaseIndex}`);
  const releaseMs = utc(release.releaseDate);
  const current = release.columnStyle === 'current';
  for (let pi = 0; pi < release.projectCount; pi++) {
    const project = model.projects[pi];
    if (!project) continue;
    const c = project.competition;
    const status: SynthTruth['projectStatus'] =
      project.fate === 'withdrawn'
        ? 'Withdrawn'
        : project.fate === 'on_hold'
          ? 'On Hold'
          : project.end < releaseMs
            ? 'Closed'
            : 'Live';
    const elapsed = Math.min(
      1,
      Math.max(0, (releaseMs - project.start) / Math.max(DAY_MS, project.end - project.start)),
    );
    for (const part of project.participants) {
      const rng = createRng(mixSeed(model.seed, releaseIndex, part.id));
      const org = part.org;
      const withdrawn = part.withdrawnFromRelease !== null && part.withdrawnFromRelease <= releaseIndex;
      const grant =
        part.grantChangedAtRelease !== null && releaseIndex < part.grantChangedAtRelease
          ? part.priorGrantPence
          : part.grantPence;
      let spendPence: number | null;
      if (status === 'Withdrawn' || withdrawn) spendPence = 0;
      else if (project.start > releaseMs) spendPence = null;
      else spendPence = Math.round(grant * part.spendFraction * (status === 'Closed' ? 1 : elapsed));
      const [sizeSpellings, sizeWeights] = [
        ENTERPRISE_SIZE_SPELLINGS[org.kind],
        ENTERPRISE_SIZE_SPELLINGS[org.kind].map((s) => s[2]),
      ];
      const [sizeText, orgType] = rng.weighted(sizeSpellings, sizeWeights);
      const place = org.place;
      const leps = place.lepNames;
      const cells: Record<string, SynthCell> = {
        'Competition Reference': c.reference,
        'Competition Title': c.title,
        'Programme Title': c.programme,
        Sector: c.sector,
        'Competition Year': `${c.year}/${String((c.year + 1) % 100).padStart(2, '0')}`,
        'Application Number': project.applicationNumber,
        'Project Number': project.projectNumber,
        'Project Title': project.title,
        'Public Description': project.description,
        'Innovate UK Product Type': c.productType,
        'Participant Name': nameVariant(rng, org),
        CRN: crnCell(rng, org),
        'Is Lead Participant': yesNo(rng, part.isLead),
        'Participant Withdrawn From Project': current ? yesNo(rng, withdrawn) : withdrawn ? 'Withdrawn' : '',
        'Project Status': rng.chance(0.02) ? status.toLowerCase() : status,
        'Enterprise Size': sizeText,
        Postcode: postcodeVariant(rng, place.postcode),
        'Address Region': place.regionName,
        'Address LEP': leps.join('; '),
        'In Multiple LEPs': leps.length > 1 ? 'Yes' : 'No',
        'Project Start Date': dateCell(rng, project.start),
        'Project End Date': dateCell(rng, project.end),
        'Total Costs (£)': moneyCell(rng, part.totalCostsPence),
        'Actual Spend to Date (£)': spendPence === null ? null : moneyCell(rng, spendPence),
      };
      const grantCell = moneyCell(rng, grant);
      if (current) {
        cells['Address Local Authority'] = place.ladName;
        cells['Industrial Strategy Challenge Fund (ISCF)'] = c.iscf ? 'Yes' : 'No';
        cells['Award Offered (£)'] = grantCell;
      } else {
        cells['Industrial Strategy Challenge Fund'] = c.iscf ? 'Yes' : 'No';
        cells['Grant Offered (£)'] = grantCell;
      }
      const grantColumn = current ? 'Award Offered (£)' : 'Grant Offered (£)';
      switch (part.malformed) {
        case 'grant_not_a_number':
          cells[grantColumn] = rng.pick(['TBC', 'see notes', '£–']);
          break;
        case 'missing_project_number':
          cells['Project Number'] = '';
          break;
        case 'impossible_date':
          cells['Project Start Date'] = `31/02/${c.year + 1}`;
          break;
        case 'costs_not_a_number':
          cells['Total Costs (£)'] = 'n/a';
          break;
        default:
          break;
      }
      const identity = org.crn ? `crn:${org.crn}` : `name:${nameIdentity(org.stem, org.legalForm)}`;
      yield {
        cells,
        truth: {
          projectNumber: project.projectNumber,
          participantKey: `${project.projectNumber}|${identity}`,
          organisationId: org.id,
          organisationKind: org.kind,
          orgType,
          sector: c.sector,
          competitionYear: c.year,
          isLead: part.isLead,
          grantOfferedPence: grant,
          totalCostsPence: part.totalCostsPence,
          participantWithdrawn: withdrawn,
          projectStatus: status,
          postcode: place.postcode,
          ladCode: place.ladCode,
          lepNames: leps,
          regionName: place.regionName,
          isIscf: c.iscf,
          malformed: part.malformed,
        },
      };
    }
  }
}

export interface SynthRelease extends SynthReleaseInfo {
  rows: SynthRow[];
}

export interface SynthDataset {
  releases: SynthRelease[];
  organisations: number;
  projects: number;
}

/**
 * Generate every release in memory. For tests and small files; the CLI streams with
 * createInnovateUkModel + renderRelease instead.
 */
export function generateInnovateUkRows(opts: GenerateOptions): SynthDataset {
  const model = createInnovateUkModel(opts);
  return {
    releases: model.releases.map((r) => ({ ...r, rows: [...renderRelease(model, r.index)] })),
    organisations: model.organisations,
    projects: model.projects.length,
  };
}

/** The file name a release is published under, e.g. innovate-uk-funded-projects-2026-10-01.xlsx. */
export function releaseFileName(releaseDate: string, format: 'xlsx' | 'csv'): string {
  return `innovate-uk-funded-projects-${releaseDate}.${format}`;
}
