/**
 * Word lists and published shapes the synthetic Innovate UK generator draws from. Kept apart from
 * the generator so the logic reads without pages of strings.
 */

/** The five Innovate UK sectors of the published sector × year pivot. */
export const SECTORS = [
  'AI & Data Economy',
  'Ageing Society, Health & Nutrition',
  'Clean Growth & Infrastructure',
  'Disruptive Technology',
  'Manufacturing, Materials & Mobility',
] as const;
export type SynthSector = (typeof SECTORS)[number];

/**
 * Grant (£) by competition year and sector, in SECTORS order, from
 * jamesrak/UKRI_Funding_Visualisation `data/IUK-FundedProjects-Funding_by_Sector_pivot.csv`
 * (commit e3c1d17; see shared/data/innovate_uk_aggregates/PROVENANCE.md). Used only as weights so
 * the synthetic projects fall into sectors and years in the published proportions.
 */
export const PUBLISHED_GRANT_BY_YEAR: Readonly<Record<number, readonly number[]>> = {
  2004: [21770754, 9535589, 25744041, 0, 101605701],
  2005: [7485805, 8383030, 11710889, 88619179, 89651891],
  2006: [7665923, 14232256, 25550332, 0, 80232082],
  2007: [17581948, 22829547, 23169440, 0, 131528768],
  2008: [8154140, 6975249, 19438577, 0, 117137485],
  2009: [11743753, 9896677, 50870485, 0, 99540246],
  2010: [34540680, 38602709, 27802294, 0, 59873984],
  2011: [25791461, 48913542, 73389479, 114628115, 500678447],
  2012: [80128187, 168639191, 207579193, 38287493, 215039794],
  2013: [31636293, 91314300, 22536593, 51333907, 357793503],
  2014: [143330057, 224749373, 262314775, 81398631, 409387215],
  2015: [27855298, 119576669, 66337147, 81313632, 375510831],
  2016: [11701284, 116699955, 112819240, 65614482, 380133153],
  2017: [28450516, 193040037, 78295650, 112539678, 588840689],
  2018: [200009567, 548953494, 343375381, 148045523, 1233051292],
  2019: [50202218, 94307629, 193392190, 184099814, 358674832],
  2020: [7207617, 283195421, 284160780, 479148488, 439601492],
  2021: [12371404, 93582989, 62287334, 188762883, 309552979],
};

/**
 * The pivot's 2022 row is a part year and it stops there; competition years 2022–2025 reuse the
 * 2019–2021 mean so recent releases still have recent projects.
 */
export const EXTRAPOLATED_YEARS = [2022, 2023, 2024, 2025] as const;

export const SECTOR_CODES: Readonly<Record<SynthSector, string>> = {
  'AI & Data Economy': 'DATA',
  'Ageing Society, Health & Nutrition': 'HEAL',
  'Clean Growth & Infrastructure': 'CLEAN',
  'Disruptive Technology': 'DISR',
  'Manufacturing, Materials & Mobility': 'MMM',
};

export const SECTOR_THEMES: Readonly<Record<SynthSector, readonly string[]>> = {
  'AI & Data Economy': [
    'machine learning',
    'data analytics',
    'cyber security',
    'digital twins',
    'natural language processing',
    'edge computing',
    'open banking',
  ],
  'Ageing Society, Health & Nutrition': [
    'precision medicine',
    'diagnostics',
    'healthy ageing',
    'agri-food',
    'regenerative medicine',
    'digital health',
    'vaccine manufacturing',
  ],
  'Clean Growth & Infrastructure': [
    'offshore wind',
    'low-carbon heating',
    'hydrogen',
    'smart grids',
    'energy storage',
    'carbon capture',
    'circular economy',
  ],
  'Disruptive Technology': [
    'quantum sensing',
    'photonics',
    'synthetic biology',
    'immersive technology',
    'space applications',
    'graphene',
    'robotics',
  ],
  'Manufacturing, Materials & Mobility': [
    'battery technology',
    'composites',
    'connected autonomous vehicles',
    'additive manufacturing',
    'aerospace structures',
    'rail',
    'advanced propulsion',
  ],
};

export const SECTOR_PROGRAMMES: Readonly<Record<SynthSector, readonly string[]>> = {
  'AI & Data Economy': ['Digital Economy', 'Data Driven Innovation', 'Next Generation Services'],
  'Ageing Society, Health & Nutrition': [
    'Health and Life Sciences',
    'Biomedical Catalyst',
    'Agri-Tech Catalyst',
  ],
  'Clean Growth & Infrastructure': [
    'Energy and Resources',
    'Infrastructure Systems',
    'Prospering from the Energy Revolution',
  ],
  'Disruptive Technology': ['Emerging and Enabling Technologies', 'Quantum Technologies', 'Open Programme'],
  'Manufacturing, Materials & Mobility': ['Manufacturing and Materials', 'Transport', 'Low Carbon Vehicles'],
};

export const ISCF_PROGRAMMES = [
  'ISCF Faraday Battery Challenge',
  'ISCF Medicines Manufacturing',
  'ISCF Transforming Construction',
  'ISCF Future Flight',
  'ISCF Audience of the Future',
  'ISCF Industrial Decarbonisation',
] as const;

export const TITLE_VERBS = [
  'Developing',
  'Demonstrating',
  'Scaling up',
  'Validating',
  'Commercialising',
  'Optimising',
  'Prototyping',
];
export const TITLE_QUALIFIERS = [
  'low-cost',
  'high-throughput',
  'autonomous',
  'sustainable',
  'AI-enabled',
  'modular',
  'next-generation',
  'real-time',
];
export const TITLE_OBJECTS = [
  'platform',
  'sensor network',
  'process',
  'manufacturing route',
  'service',
  'toolkit',
  'materials system',
  'supply chain',
];

export const NAME_STEMS_A = [
  'Aurora',
  'Beacon',
  'Cobalt',
  'Delta',
  'Ember',
  'Fathom',
  'Granite',
  'Helix',
  'Iris',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Orbit',
  'Pioneer',
  'Quantum',
  'Radiant',
  'Sable',
  'Tidal',
  'Umbra',
  'Vertex',
  'Willow',
  'Xenon',
  'Yarrow',
  'Zephyr',
  'Ashby',
  'Bramley',
  'Calder',
  'Dunmore',
  'Elstree',
  'Fenwick',
  'Garside',
  'Hartley',
  'Ingram',
  'Jessop',
  'Kingsley',
  'Lowther',
  'Marston',
  'Northam',
  'Oakes',
  'Pennant',
  'Quayle',
  'Rowntree',
  'Staveley',
  'Thorne',
  'Upton',
  'Varley',
  'Whitby',
  'Yeoman',
  'Arden',
  'Blackwood',
  'Carrick',
  'Derwent',
  'Eskdale',
  'Foxley',
  'Glenmore',
  'Holloway',
  'Ivel',
  'Kennet',
];
export const NAME_STEMS_B = [
  'Photonics',
  'Robotics',
  'Biotech',
  'Analytics',
  'Materials',
  'Energy',
  'Systems',
  'Diagnostics',
  'Therapeutics',
  'Composites',
  'Labs',
  'Technologies',
  'Engineering',
  'Solutions',
  'Innovations',
  'Devices',
  'Sensors',
  'Foods',
  'Agritech',
  'Mobility',
  'Aerospace',
  'Software',
  'Medical',
  'Genomics',
  'Power',
  'Hydrogen',
  'Data',
  'Marine',
  'Coatings',
  'Polymers',
  'Motion',
  'Vision',
  'Acoustics',
  'Networks',
  'Bioscience',
  'Instruments',
  'Fluidics',
  'Ceramics',
  'Textiles',
  'Automation',
];
export const NAME_STEMS_C = [
  'Group',
  'UK',
  'International',
  'Holdings',
  'Partners',
  'Research',
  'Industries',
  'Scientific',
];
export const PARTNER_SURNAMES = [
  'Smith',
  'Jones',
  'Patel',
  'Brown',
  'Taylor',
  'Wilson',
  'Evans',
  'Khan',
  'Walker',
  'Wright',
];

export const CHARITY_FORMS = ['Trust', 'Foundation', 'Society', 'Association', 'Institute'];
export const PUBLIC_FORMS = [
  'Council',
  'City Council',
  'Borough Council',
  'NHS Foundation Trust',
  'Combined Authority',
  'Fire and Rescue Service',
];
export const RTO_FORMS = ['Research Centre', 'Technology Centre', 'Innovation Centre', 'Research Institute'];
