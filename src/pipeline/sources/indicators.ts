import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { publishedVintageCopies, rebuildNestaOnLeps } from '../rebuild/lep-rebuild.ts';
import { perHeadVariants } from '../rebuild/per-head.ts';
import { SourceError, type SourceReport, SourceReporter } from '../report.ts';
import { DFE_FILES, type DfeFile, readDfeFile } from './dfe-business.ts';
import type {
  AreaVintage,
  EnglandValue,
  IndicatorDef,
  IndicatorValue,
  LepMapping,
} from './indicator-model.ts';
import { LEP_NUTS3_FILES, type LepGeography, readLepNuts3 } from './lep-nuts3.ts';
import { LEP_FILES, LepMapper, readLepLabels, readLiveLeps } from './lep-vintages.ts';
import { aggregationOf, NESTA_FILES, readNestaCatalogue, readNestaValues } from './nesta.ts';
import { NUTS3_FILE, readNuts3Values } from './nuts3.ts';
import { type ItlPopulation, POPULATION_FILES, readItlPopulation } from './population.ts';
import { readUkriFunding, UKRI_FILE, UKRI_NESTA_INDICATOR } from './ukri-funding.ts';

/**
 * Entry point for the LEP indicator sources: Nesta BEIS indicators, DfE business/employment counts
 * and the Nesta GtR UKRI funding file. Node-only (reads files); everything it returns is plain
 * data ready to load. Missing files or columns throw SourceError; bad rows are in `reports`.
 */

export * from './indicator-model.ts';
export { LEP_RENAMES, LepMapper, mapLepVintage } from './lep-vintages.ts';

export interface IndicatorSources {
  /** Sorted by id. `years` and `areaVintages` are filled from the values. */
  indicators: IndicatorDef[];
  values: IndicatorValue[];
  /** England values given by a source (DfE COUNTRY rows); never computed from LEPs. */
  englandValues: EnglandValue[];
  /** Every (code, vintage) seen or labelled, and where it went. */
  lepMapping: LepMapping[];
  /** The 38 (or however many the file says) live 2021 LEPs: code → name. */
  liveLeps: Map<string, string>;
  /** Each live LEP as ITL3/NUTS3 parts (whole or apportioned). */
  lepGeography: LepGeography;
  population: ItlPopulation;
  /** Indicators left on their published geography (not re-aggregated from NUTS3). */
  notAggregatable: string[];
  reports: SourceReport[];
}

/** Every file this module reads, relative to the data directory. */
export const INDICATOR_FILES: readonly string[] = [
  LEP_FILES.leps,
  LEP_FILES.labels,
  NESTA_FILES.metadata,
  NESTA_FILES.values,
  UKRI_FILE,
  NUTS3_FILE,
  POPULATION_FILES.itl,
  POPULATION_FILES.districts,
  LEP_NUTS3_FILES.ladItl3,
  LEP_NUTS3_FILES.ladLep,
  ...Object.values(DFE_FILES),
];

/** Parse all indicator sources under `dataDir` (laid out like shared/data). */
export async function parseIndicatorSources(dataDir: string): Promise<IndicatorSources> {
  // readCsv does not surface an open error for a missing file (the stream just never ends), so
  // check every file first and fail with a SourceError naming it.
  for (const file of INDICATOR_FILES) {
    await access(join(dataDir, file)).catch(() => {
      throw new SourceError(file, `not found under ${dataDir}`);
    });
  }
  const reporters: SourceReporter[] = [];
  const reporter = (file: string) => {
    const r = new SourceReporter(file);
    reporters.push(r);
    return r;
  };

  const liveLeps = await readLiveLeps(dataDir, reporter(LEP_FILES.leps));
  const labels = await readLepLabels(dataDir, reporter(LEP_FILES.labels));
  const mapper = new LepMapper(labels, liveLeps);

  const catalogue = await readNestaCatalogue(dataDir, reporter(NESTA_FILES.metadata));
  const nesta = await readNestaValues(dataDir, catalogue, mapper, reporter(NESTA_FILES.values));
  const values: IndicatorValue[] = [...nesta.values];
  const indicators: IndicatorDef[] = [...catalogue.values()].map((e) => ({
    id: e.spec.id,
    title: e.title,
    description: e.description,
    unit: e.spec.unit,
    measure: e.spec.measure,
    polarity: e.spec.polarity,
    actor: e.spec.actor,
    dimension: e.spec.dimension,
    source: e.source,
    sourceIndicator: e.meta.indicator,
    years: [],
    areaVintages: [],
    rateVariantId: null,
    rateOf: null,
    experimental: e.meta.experimental,
    caveats: e.caveats,
  }));

  const ukriEntry = catalogue.get(UKRI_NESTA_INDICATOR);
  const ukriRep = reporter(UKRI_FILE);
  if (ukriEntry) {
    values.push(...(await readUkriFunding(dataDir, ukriEntry.spec.id, nesta.published, mapper, ukriRep)));
    ukriEntry.source.files.push(UKRI_FILE);
  } else {
    ukriRep.note(
      `not read: the BEIS metadata has no level=lep ${UKRI_NESTA_INDICATOR} entry to attach it to.`,
    );
  }

  // Every Nesta indicator on the 2021 LEPs, from the NUTS3 file (see rebuild/lep-rebuild.ts).
  const population = await readItlPopulation(dataDir, reporter(POPULATION_FILES.itl));
  const lepGeography = await readLepNuts3(dataDir, liveLeps, {
    itl: reporter(LEP_NUTS3_FILES.ladItl3),
    lep: reporter(LEP_NUTS3_FILES.ladLep),
    pop: reporter(POPULATION_FILES.districts),
  });
  const nuts3Rep = reporter(NUTS3_FILE);
  const nuts3 = await readNuts3Values(dataDir, new Set(catalogue.keys()), nuts3Rep);
  const rebuilt = rebuildNestaOnLeps({
    catalogue,
    published: values,
    nuts3,
    geography: lepGeography,
    population,
    liveLeps,
    rep: nuts3Rep,
  });
  values.push(...publishedVintageCopies(values), ...rebuilt.values);

  const englandValues: EnglandValue[] = [...rebuilt.englandValues];
  for (const file of Object.keys(DFE_FILES) as DfeFile[]) {
    const dfe = await readDfeFile(dataDir, file, liveLeps, reporter(DFE_FILES[file]));
    indicators.push(...dfe.indicators);
    values.push(...dfe.values);
    englandValues.push(...dfe.englandValues);
  }

  // Population as its own indicator, and every total per head of it.
  const perHead = perHeadVariants({
    indicators,
    values,
    englandValues,
    geography: lepGeography,
    population,
    rep: reporters.find((r) => r.report.source === POPULATION_FILES.itl) as SourceReporter,
  });
  indicators.push(...perHead.indicators);
  values.push(...perHead.values);
  englandValues.push(...perHead.englandValues);

  fillYearsAndVintages(indicators, values, englandValues);
  const lepMapping = mapper.table();
  const mapRep = reporters.find((r) => r.report.source === NESTA_FILES.values);
  if (mapRep) {
    const moved = lepMapping.filter((m) => m.toCode).reduce((a, m) => a + m.values, 0);
    const kept = lepMapping.filter((m) => !m.toCode).reduce((a, m) => a + m.values, 0);
    mapRep.note(
      `LEP vintages: ${moved} values placed on 2021 LEPs (same code and name, or a documented rename); ${kept} kept on their own vintage code because the footprint differs or is unknown. See lepMapping.`,
    );
  }
  indicators.sort((a, b) => a.id.localeCompare(b.id));
  return {
    indicators,
    values,
    englandValues,
    lepMapping,
    liveLeps,
    lepGeography,
    population,
    notAggregatable: [...catalogue.values()]
      .filter((e) => aggregationOf(e.spec) === 'none')
      .map((e) => e.spec.id),
    reports: reporters.map((r) => r.report),
  };
}

/** Years (any published cell, suppressed included) and geography vintages of each indicator. */
function fillYearsAndVintages(
  indicators: IndicatorDef[],
  values: readonly IndicatorValue[],
  england: readonly EnglandValue[],
) {
  const years = new Map<string, Set<number>>();
  const vintages = new Map<string, Set<AreaVintage>>();
  for (const v of values) {
    years.set(v.indicatorId, (years.get(v.indicatorId) ?? new Set()).add(v.year));
    vintages.set(v.indicatorId, (vintages.get(v.indicatorId) ?? new Set()).add(v.areaVintage));
  }
  for (const e of england) years.set(e.indicatorId, (years.get(e.indicatorId) ?? new Set()).add(e.year));
  const order: AreaVintage[] = ['2014', '2017', '2020', '2021'];
  for (const d of indicators) {
    d.years = [...(years.get(d.id) ?? [])].sort((a, b) => a - b);
    d.areaVintages = order.filter((o) => vintages.get(d.id)?.has(o));
  }
}
