import { measureWorkerBundle } from './bench/bundle.ts';
const r = measureWorkerBundle();
console.log((r.totalGzipBytes / 1024).toFixed(1));
for (const p of r.packages.sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, 12)) console.log(p.name, (p.gzipBytes / 1024).toFixed(1), p.minifiedBytes);
console.log(r.inputs.filter((f) => /coverage|downloads|provenance|pipeline/.test(f)));
