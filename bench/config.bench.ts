// What a checked config costs a run that uses one: loading the bundled config chunk (yaml + ajv) and its
// first parse (ajv compiles the schema once per process), against reading the same file with yaml alone,
// each in fresh Node processes, interleaved in the same run. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NODE24, ROOT } from '../test/support/action-runner.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const chunk = readdirSync(join(ROOT, 'dist/chunks')).find((f) => /^parse-.*\.js$/.test(f));
if (!chunk) throw new Error('dist/chunks/parse-*.js is missing: run npm run build first');
const example = join(ROOT, 'examples/gitops/digestpin.yaml');
const yamlUrl = pathToFileURL(join(ROOT, 'node_modules/yaml/dist/index.js')).href;
const chunkUrl = pathToFileURL(join(ROOT, 'dist/chunks', chunk)).href;

// Each script prints: load ms, first parse ms, second parse ms.
const YAML_ONLY = `const t0=performance.now();const y=await import(${JSON.stringify(yamlUrl)});const t1=performance.now();
const text=(await import('node:fs')).readFileSync(${JSON.stringify(example)},'utf8');y.parseDocument(text).toJS();const t2=performance.now();
y.parseDocument(text).toJS();console.log(t1-t0,t2-t1,performance.now()-t2);`;
const CHECKED = `const t0=performance.now();const m=await import(${JSON.stringify(chunkUrl)});const t1=performance.now();
const parse=Object.values(m).find((f)=>typeof f==='function'&&f.length===2);
const text=(await import('node:fs')).readFileSync(${JSON.stringify(example)},'utf8');parse(text,'digestpin.yaml');const t2=performance.now();
parse(text,'digestpin.yaml');console.log(t1-t0,t2-t1,performance.now()-t2);`;

function sample(script: string): number[] {
  const r = spawnSync(NODE24, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split(' ').map(Number);
}

const rounds = Number(process.env.ROUNDS ?? 15);
const plain: number[][] = [];
const checked: number[][] = [];
for (let i = 0; i < rounds; i++) {
  plain.push(sample(YAML_ONLY));
  checked.push(sample(CHECKED));
}
const col = (rows: number[][], i: number) => median(rows.map((r) => r[i]!));
const row = (name: string, rows: number[][]) =>
  console.log(`  ${name.padEnd(34)} load ${col(rows, 0).toFixed(1)} ms   first parse ${col(rows, 1).toFixed(1)} ms   next parse ${col(rows, 2).toFixed(2)} ms`);
console.log(`config load, ${rounds} interleaved fresh processes each (median):`);
row('yaml parseDocument only', plain);
row('digestpin parseConfig (ajv)', checked);
const total = (rows: number[][]) => col(rows, 0) + col(rows, 1);
console.log(`  added by the schema check          ${(total(checked) - total(plain)).toFixed(1)} ms once per run (${(total(checked) / total(plain)).toFixed(2)}x the yaml-only read)`);
