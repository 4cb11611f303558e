import { createApp } from './src/app.ts';
import { openPglite } from './src/node/databases.ts';
import { loadDataset, SAMPLE_DATA_DIR } from './src/pipeline/load.ts';
import { pgliteRunner } from './src/pipeline/sql.ts';
const { pglite, db } = await openPglite(undefined);
await loadDataset(pgliteRunner(pglite as never), { dataDir: SAMPLE_DATA_DIR });
const app = createApp({ db, runtime: 'node', log: () => {}, now: () => 0 });
const get = async (u: string) => { const r = await app.request(u); const t = await r.text(); console.log(r.status, u, t.slice(0, 400)); return t; };
const leps = JSON.parse(await get('/v1/leps')).data.map((l: any) => l.code);
console.log(leps.length, leps.join(','));
const cmp = JSON.parse(await get(`/v1/compare?areas=${leps.join(',')}`));
let nulls = 0; for (const r of cmp.rows) for (const v of r.values) if (v === null) nulls++;
console.log('nulls', nulls, cmp.rows.length);
for (const r of cmp.rows) { const n = r.values.filter((v: any) => v === null).length; if (n) console.log(r.indicator.id, n); }
for (const u of ['/v1/investments?secotr=x', '/v1/investments?sector=%00', '/v1/projects/%00', '/v1/areas?type=lep&limit=0x10', '/v1/areas?type=lep&type=lad', '/v1/investments/summary?status=abc', '/v1/investments/summary?yearFrom=2099', '/v1/leps?format=pdf', '/health?x=1', '/v1/areas/e37000015', '/v1/investments?area=e08000003&limit=1', '/v1/organisations?cursor=bm90IGpzb24', '/v1/investments?cursor=WzEuNSwxXQ'])
  await get(u);
await pglite.close();
