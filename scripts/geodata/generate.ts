/**
 * `npm run geodata:generate`: writes geodata/mayang/. So far the real county outline; the
 * synthetic layers (DEM, townships, grids, roads …) are added by the geodata work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCountyOutline } from './sources.ts';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../geodata/mayang');
fs.mkdirSync(outDir, { recursive: true });

const outline = readCountyOutline();
const file = path.join(outDir, 'county.geojson');
fs.writeFileSync(file, `${JSON.stringify({ type: 'FeatureCollection', features: [outline] })}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
