import type { DatasetSource } from '../db/schema.ts';
import { GEOGRAPHY_FILES } from './sources/geography.ts';
import { POSTCODE_FILES } from './sources/postcodes.ts';

/** What /v1/meta says about each source: files, publisher, licence and provenance (stored with the dataset). */
export type SourceInfo = DatasetSource;

export const GEOGRAPHY_SOURCES: SourceInfo[] = [
  {
    id: 'geo_lookups',
    title: 'Area lists, LEP codes of every vintage, district → region/LEP, constituency ↔ district overlaps',
    files: Object.values(GEOGRAPHY_FILES).filter((f) => f.startsWith('geo_lookups/')),
    publisher: 'ONS (via ONSvisual), DfE (dfe-published-data-qa), mySociety, Open Innovations',
    licence:
      'Open Government Licence v3 (ONS/OS geography); mySociety data CC-BY-4.0; DfE repository MIT. Contains OS data © Crown copyright and database right.',
    provenance:
      'Snapshots of public GitHub repositories listed in geo_lookups/PROVENANCE.md. District → LEP is a spatial overlay of 2021/2023 districts on the LEP May 2021 boundaries (>50% of area), because no official ONS LAD→LEP file was available; it reproduces the 7 known two-LEP districts.',
  },
  {
    id: 'lep_labels',
    title: 'LEP codes and names by vintage (2014, 2017, 2020)',
    files: [GEOGRAPHY_FILES.lepLabels],
    publisher: 'Nesta (beis-indicators)',
    licence: 'MIT (repository); names and codes from ONS under OGL v3',
    provenance:
      'nestauk/beis-indicators release 0.1.4; used to date the vintages each LEP code was published in.',
  },
  {
    id: 'postcodes',
    title: 'OS Code-Point Open postcodes with district, ward and WGS84 position',
    files: [POSTCODE_FILES.codepoint],
    publisher: 'Ordnance Survey (via mySociety 2025-constituencies)',
    licence:
      'Open Government Licence v3. Contains OS data © Crown copyright and database right 2023; Royal Mail data © Royal Mail copyright and database right 2023; National Statistics data © Crown copyright and database right 2023.',
    provenance:
      'Code-Point Open (2023 release, 2023 districts), Great Britain only; lat/long computed from eastings/northings (EPSG:27700→4326).',
  },
  {
    id: 'ward_hierarchy',
    title: 'Ward → constituency → district hierarchy, 2017–2024',
    files: [POSTCODE_FILES.wards],
    publisher: 'DfE (dfe-published-data-qa)',
    licence: 'Open Government Licence v3 (ONS geography); repository MIT',
    provenance:
      'Places each postcode’s ward in its 2010-boundary (wards valid in 2023) and 2024 constituency.',
  },
  {
    id: 'constituency_boundaries',
    title: 'Westminster constituency boundaries (Dec 2022 = 2010 boundaries; July 2024), generalised',
    files: [POSTCODE_FILES.boundaries2010, POSTCODE_FILES.boundaries2024],
    publisher: 'ONS Open Geography Portal',
    licence: 'Open Government Licence v3. Contains OS data © Crown copyright and database right.',
    provenance: 'Point-in-polygon fallback for postcodes whose ward does not decide the constituency.',
  },
];
