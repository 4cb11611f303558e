import { join } from 'node:path';
import { readCsv } from '../csv.ts';
import type { SourceReporter } from '../report.ts';
import type { AreaVintage, LepMapping, LepSpec } from './indicator-model.ts';
import { LEP_SPECS } from './indicator-model.ts';

/**
 * LEP code vintages → the final (2021) LEP geography. The rule: a value published for a vintage
 * code moves to a 2021 LEP only when the footprint is known to be the same, i.e.
 *   1. the code is live in 2021 and has the same name in both vintages. ONS/GSS policy issues a new
 *      code whenever an entity's boundary changes, so an unchanged code means an unchanged
 *      footprint (district mergers inside a LEP do not move its outer boundary); or
 *   2. the code is live in 2021 and the name change is a documented same-footprint rename (table below).
 * Anything else (a retired code, or a reused code with a different name) stays on its own vintage.
 */

export const LEP_FILES = {
  leps: 'geo_lookups/dfe_leps.csv',
  labels: 'nesta_beis_indicators/lep_labels_by_year_spec.csv',
} as const;

/** Same code, same footprint, new name. */
export const LEP_RENAMES: readonly { code: string; fromName: string; toName: string; why: string }[] = [
  {
    code: 'E37000043',
    fromName: 'Buckinghamshire Thames Valley',
    toName: 'Buckinghamshire',
    why: 'Buckinghamshire Thames Valley LEP renamed itself Buckinghamshire LEP; ONS kept code E37000043 for the 2021 geography, as it does only when the boundary is unchanged',
  },
];

/** Reused codes whose footprint is known to have changed: said in the reason. */
export const KNOWN_FOOTPRINT_CHANGES: Readonly<Record<string, string>> = {
  E37000058:
    'York, North Yorkshire and East Riding lost the East Riding of Yorkshire to Hull and East Yorkshire (E37000061) in April 2021, though ONS kept the code for York and North Yorkshire',
};

/** `${spec}|${code}` key of the labels map. */
export const labelKey = (spec: string, code: string) => `${spec}|${code}`;

/** Nesta used the December 2014 boundaries (and so the 2014 labels) for pre-2014 data. */
export const boundaryVintage = (spec: LepSpec): Exclude<AreaVintage, '2021'> =>
  spec === '-2014' ? '2014' : spec;

export const isLepSpec = (s: string): s is LepSpec => (LEP_SPECS as readonly string[]).includes(s);

/**
 * Decide where (code, spec) goes. `labels` maps labelKey(labelSpec, code) → name; `live` maps each
 * live 2021 LEP code → name. Pure.
 */
export function mapLepVintage(
  code: string,
  spec: LepSpec,
  labels: ReadonlyMap<string, string>,
  live: ReadonlyMap<string, string>,
): Omit<LepMapping, 'values'> {
  const boundary = boundaryVintage(spec);
  const fromName = labels.get(labelKey(boundary, code)) ?? null;
  const liveName = live.get(code);
  const base = { fromCode: code, fromSpec: spec, fromName };
  const via = spec === '-2014' ? ' (pre-2014 data, which Nesta placed on the December 2014 boundaries)' : '';
  if (fromName === null) {
    return {
      ...base,
      toCode: null,
      toName: null,
      rule: 'unmapped',
      reason: `no ${boundary} label for ${code}: its footprint cannot be identified, so it is kept as published${via}`,
      codeReusedIn2021: liveName !== undefined,
    };
  }
  if (liveName === undefined) {
    return {
      ...base,
      toCode: null,
      toName: null,
      rule: 'unmapped',
      reason: `${code} "${fromName}" is not a 2021 LEP code: ONS replaced it when the footprint changed, so the value stays on the ${boundary} geography${via}`,
      codeReusedIn2021: false,
    };
  }
  if (liveName === fromName) {
    return {
      ...base,
      toCode: code,
      toName: liveName,
      rule: 'same_code_and_name',
      reason: `same GSS code and name in ${boundary} and 2021; a code is only kept while the boundary is unchanged${via}`,
      codeReusedIn2021: false,
    };
  }
  const rename = LEP_RENAMES.find((r) => r.code === code && r.fromName === fromName && r.toName === liveName);
  if (rename) {
    return {
      ...base,
      toCode: code,
      toName: liveName,
      rule: 'documented_rename',
      reason: `${rename.why}${via}`,
      codeReusedIn2021: false,
    };
  }
  const known = KNOWN_FOOTPRINT_CHANGES[code];
  return {
    ...base,
    toCode: null,
    toName: null,
    rule: 'unmapped',
    reason: `${code} was "${fromName}" in ${boundary} but is "${liveName}" in 2021 with no documented same-footprint rename${known ? `: ${known}` : ''}; kept on the ${boundary} geography${via}`,
    codeReusedIn2021: true,
  };
}

/** Live (2021) LEPs from dfe_leps.csv: code → name. Rejects go to `rep`. */
export async function readLiveLeps(dataDir: string, rep: SourceReporter): Promise<Map<string, string>> {
  const live = new Map<string, string>();
  const codeCol = 'local_enterprise_partnership_code';
  const nameCol = 'local_enterprise_partnership_name';
  for await (const { line, values } of readCsv(join(dataDir, LEP_FILES.leps), LEP_FILES.leps, [
    codeCol,
    nameCol,
    'status',
  ])) {
    rep.read();
    const code = values[codeCol]?.trim() ?? '';
    const name = values[nameCol]?.trim() ?? '';
    const status = values.status?.trim();
    if (!/^E37\d{6}$/.test(code)) {
      rep.reject(line, codeCol, `not a LEP (E37) code: "${code}"`);
      continue;
    }
    if (!name) {
      rep.reject(line, nameCol, 'blank name');
      continue;
    }
    if (status !== 'live' && status !== 'terminated') {
      rep.reject(line, 'status', `unknown status "${status ?? ''}"`);
      continue;
    }
    if (status === 'live') {
      if (live.has(code)) {
        rep.reject(line, codeCol, `${code} is live twice`);
        continue;
      }
      live.set(code, name);
    }
    rep.loaded();
  }
  rep.note(`${live.size} live LEPs (the final 2021 geography).`);
  return live;
}

/** LEP names by vintage from lep_labels_by_year_spec.csv: labelKey(spec, code) → name. */
export async function readLepLabels(dataDir: string, rep: SourceReporter): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for await (const { line, values } of readCsv(join(dataDir, LEP_FILES.labels), LEP_FILES.labels, [
    'lep_year_spec',
    'lep_code',
    'lep_name',
  ])) {
    rep.read();
    const spec = values.lep_year_spec?.trim() ?? '';
    const code = values.lep_code?.trim() ?? '';
    const name = values.lep_name?.trim() ?? '';
    if (!isLepSpec(spec) || spec === '-2014') {
      rep.reject(line, 'lep_year_spec', `unknown LEP vintage "${spec}"`);
      continue;
    }
    if (!/^E37\d{6}$/.test(code)) {
      rep.reject(line, 'lep_code', `not a LEP (E37) code: "${code}"`);
      continue;
    }
    if (!name) {
      rep.reject(line, 'lep_name', 'blank name');
      continue;
    }
    const key = labelKey(spec, code);
    if (labels.has(key)) {
      rep.reject(line, 'lep_code', `${code} labelled twice in ${spec}`);
      continue;
    }
    labels.set(key, name);
    rep.loaded();
  }
  return labels;
}

/**
 * Places source (code, vintage) pairs on the 2021 geography, caching each decision and counting the
 * values carried through it, so the mapping table published with the data says exactly what moved.
 */
export class LepMapper {
  private readonly decisions = new Map<string, LepMapping>();
  private readonly labels: ReadonlyMap<string, string>;
  private readonly live: ReadonlyMap<string, string>;
  constructor(labels: ReadonlyMap<string, string>, live: ReadonlyMap<string, string>) {
    this.labels = labels;
    this.live = live;
  }

  /** Mapping for (code, spec), counting one value through it. */
  place(code: string, spec: LepSpec): LepMapping {
    const m = this.decide(code, spec);
    m.values += 1;
    return m;
  }

  /** Area code and vintage a value for (code, spec) is stored under. */
  static target(m: LepMapping): { areaCode: string; areaVintage: AreaVintage } {
    return m.toCode
      ? { areaCode: m.toCode, areaVintage: '2021' }
      : { areaCode: m.fromCode, areaVintage: boundaryVintage(m.fromSpec) };
  }

  /** Every labelled (code, vintage) and every pair seen in the data, sorted by vintage then code. */
  table(): LepMapping[] {
    for (const key of this.labels.keys()) {
      const [spec, code] = key.split('|') as [LepSpec, string];
      this.decide(code, spec);
    }
    const order = (s: LepSpec) => LEP_SPECS.indexOf(s);
    return [...this.decisions.values()].sort(
      (a, b) => order(a.fromSpec) - order(b.fromSpec) || a.fromCode.localeCompare(b.fromCode),
    );
  }

  private decide(code: string, spec: LepSpec): LepMapping {
    const key = labelKey(spec, code);
    let m = this.decisions.get(key);
    if (!m) {
      m = { ...mapLepVintage(code, spec, this.labels, this.live), values: 0 };
      this.decisions.set(key, m);
    }
    return m;
  }
}
