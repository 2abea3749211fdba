// Pins 1,000 generated values files (~400 lines each) in every pin style and compares with yaml's parseDocument
// (the cost ceiling of any approach that parses) and parseDocument + toString (what re-printing tools do), same run.
// Then: pin time on one file of 0.1, 1, 10 and 50 MB against bare parseDocument (uniqueKeys: false) on the same
// file (the ratio must stay flat: pinning is linear), and `lint --chart` on a chart of 100 templates.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { pinText, type Pin } from '../src/values/index.js';
import { chartReads } from '../src/values/chart-check.js';
import { lintAgainstChart } from '../src/values/chart-lint.js';
import { readLocalChart } from '../src/chart/read-chart.js';


const FILES = 1000;
const OLD = `sha256:${'0'.repeat(64)}`;
const NEW = `sha256:${'f'.repeat(64)}`;

function block(name: string, indent: string, digest: boolean): string[] {
  return [
    `${indent}# -- ${name} image`,
    `${indent}image:`,
    `${indent}  registry: docker.io`,
    `${indent}  repository: acme/${name}   # the ${name} image`,
    `${indent}  tag: "1.${name.length}.0"`,
    ...(digest ? [`${indent}  digest: ${OLD}`] : [`${indent}  digest: ""`]),
    `${indent}  pullPolicy: IfNotPresent`,
  ];
}

/** One chart-shaped values file: global section, the main image, components with their own images, long config. */
function valuesFile(i: number): string {
  const lines = ['## Generated values', 'global:', '  imageRegistry: ""', '  imagePullSecrets: []', ''];
  lines.push(...block('app', '', true), '');
  for (const component of ['worker', 'migrations', 'metrics', 'backup', 'proxy']) {
    lines.push(`${component}:`, '  enabled: true', '  replicaCount: 2', ...block(component, '  ', false));
    lines.push('  resources:', '    limits: {cpu: 500m, memory: 256Mi}', '    requests:', '      cpu: 100m', "      memory: '128Mi'");
    lines.push('  env:', ...Array.from({ length: 8 }, (_, k) => `    - {name: VAR_${k}, value: "${component}-${k}-${i}"}`));
    lines.push('  podAnnotations: &ann', '    prometheus.io/scrape: "true"', '', '  # trailing comment', '');
  }
  lines.push('config:', '  settings:');
  while (lines.length < 395) lines.push(`    key${lines.length}: value ${lines.length} # note`);
  lines.push('extra:', '  annotations: *ann', 'nodeSelector: {}', 'tolerations: []');
  lines.push(`proxyImage: docker.io/acme/proxy:1.2.${i % 10} # digestpin: proxy`);
  return `${lines.join('\n')}\n`;
}

if (process.env.DIGESTPIN_BENCH_LARGE) {
  await largeFiles(process.env.DIGESTPIN_BENCH_LARGE.split(',').map(Number));
  process.exit(0);
}

const files = Array.from({ length: FILES }, (_, i) => valuesFile(i));
const avgLines = files.reduce((n, f) => n + f.split('\n').length - 1, 0) / FILES;
const pins: Pin[] = [{ target: { kind: 'helm', path: 'image' }, digest: NEW, repository: 'docker.io/acme/app' }];
const threePins: Pin[] = [
  ...pins,
  { target: { kind: 'helm', path: 'worker.image' }, digest: NEW },
  { target: { kind: 'helm', path: 'backup.image' }, digest: NEW, tag: { mode: 'remove' } },
];

const style = (target: Pin['target'], extra: Partial<Pin> = {}): Pin[] => [{ target, digest: NEW, ...extra }];
const styles: [string, Pin[]][] = [
  ['style digest', pins],
  ['style sha', style({ kind: 'helm', path: 'image', style: 'sha' })],
  ['style tag-digest', style({ kind: 'helm', path: 'worker.image', style: 'tag-digest' })],
  ['style registry', style({ kind: 'helm', path: 'image', style: 'registry' }, { repository: 'docker.io/acme/app' })],
  ['style reference', style({ kind: 'reference', path: 'proxyImage' })],
  ['setter marker', style({ kind: 'marker', name: 'proxy' })],
];

const contenders: [string, (text: string) => unknown][] = [
  ['yaml parseDocument', (t) => parseDocument(t)],
  ['yaml parseDocument uniqueKeys:false', (t) => parseDocument(t, { uniqueKeys: false })],
  ['yaml parseDocument + toString', (t) => parseDocument(t).toString()],
  ...styles.map(([label, p]): [string, (text: string) => unknown] => [`pinText, ${label}`, (t) => pinText(t, p, { file: 'values.yaml' })]),
  ['digestpin pinText (3 pins)', (t) => pinText(t, threePins, { file: 'values.yaml' })],
  ['digestpin pinText (1 pin, verify)', (t) => pinText(t, pins, { file: 'values.yaml', verify: true })],
];

// Every file runs through every contender in turn, so drift on a shared machine hits all of them alike;
// the median of the rounds counts.
const ROUNDS = 3;
for (const [, fn] of contenders) for (const f of files.slice(0, 100)) fn(f);
const samples = contenders.map(() => [] as number[]);
for (let r = 0; r < ROUNDS; r++) {
  const total = contenders.map(() => 0);
  for (const f of files) {
    contenders.forEach(([, fn], c) => {
      const start = process.hrtime.bigint();
      fn(f);
      total[c]! += Number(process.hrtime.bigint() - start) / 1e6;
    });
  }
  total.forEach((ms, c) => samples[c]!.push(ms));
}
const median = samples.map((s) => s.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!);
console.log(`${FILES} values files, ${avgLines.toFixed(0)} lines each (median of ${ROUNDS} rounds, contenders interleaved file by file)`);
contenders.forEach(([label], c) => {
  const ms = median[c]!;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${((FILES / ms) * 1000).toFixed(0).padStart(6)} files/s`);
});
const [parseOnly, parseNoUnique, reprint] = median as [number, number, number];
const at = (label: string) => median[contenders.findIndex(([l]) => l === label)]!;
const pinOne = at('pinText, style digest');
const pinThree = at('digestpin pinText (3 pins)');
const verified = at('digestpin pinText (1 pin, verify)');

// Byte-exactness: the pinned output must be the input with exactly the digest line replaced.
let exact = 0;
let reprintExact = 0;
for (const f of files) {
  const out = pinText(f, pins, { file: 'values.yaml' }).text;
  if (out === f.replace(`  digest: ${OLD}`, `  digest: ${NEW}`)) exact++;
  const doc = parseDocument(f);
  doc.setIn(['image', 'digest'], NEW);
  if (doc.toString() === f.replace(`  digest: ${OLD}`, `  digest: ${NEW}`)) reprintExact++;
}

console.log('');
for (const [label] of styles) console.log(`pinText, ${label.padEnd(17)} / parseDocument   ${(at(`pinText, ${label}`) / parseOnly).toFixed(2)}x   (target <= 1.5x; vs uniqueKeys:false ${(at(`pinText, ${label}`) / parseNoUnique).toFixed(2)}x)`);
console.log(`pinText (3 pins) / parseDocument          ${(pinThree / parseOnly).toFixed(2)}x`);
console.log(`pinText (1 pin, verify) / parseDocument   ${(verified / parseOnly).toFixed(2)}x`);
console.log(`pinText (1 pin) / parseDocument+toString  ${(pinOne / reprint).toFixed(2)}x`);
console.log(`byte-exact: digestpin ${exact}/${FILES}, parseDocument+setIn+toString ${reprintExact}/${FILES}`);
if (exact !== FILES) process.exitCode = 1;

// --- Large files: pinning is linear in the file's size ------------------------------------------------------
/** A chart-shaped values file of about `bytes` bytes: many components, each with an image block and settings. */
function largeValues(bytes: number): string {
  const parts = [...block('app', '', true), ''].map((l) => `${l}\n`);
  let size = parts.join('').length;
  for (let i = 0; size < bytes; i++) {
    const part = `component${i}:\n  enabled: true\n  replicaCount: ${i % 5}\n${block(`c${i}`, '  ', false).join('\n')}\n  env:\n    - {name: VAR_${i}, value: "v-${i}"} # note\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

async function largeFiles(sizes: number[]): Promise<void> {
  const pin: Pin[] = [{ target: { kind: 'helm', path: 'image' }, digest: NEW, repository: 'docker.io/acme/app' }];
  for (const mb of sizes) {
    const text = largeValues(mb * 1e6);
    const time = (fn: () => unknown) => {
      const start = process.hrtime.bigint();
      fn();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const rounds = mb >= 50 ? 1 : mb >= 10 ? 2 : mb >= 1 ? 5 : 10;
    const p: number[] = [];
    const q: number[] = [];
    for (let r = 0; r < rounds; r++) {
      p.push(time(() => parseDocument(text, { uniqueKeys: false })));
      q.push(time(() => pinText(text, pin, { file: 'values.yaml' })));
    }
    const [parse, pinMs] = [Math.min(...p), Math.min(...q)];
    console.log(`${String(mb).padStart(5)} MB: parseDocument(uniqueKeys:false) ${parse.toFixed(0).padStart(7)} ms   pinText ${pinMs.toFixed(0).padStart(7)} ms   ratio ${(pinMs / parse).toFixed(2)}x`);
  }
}

// Each size runs in its own process with room for a 50 MB document's tree, so one size's garbage can't slow the next.
console.log('\nlarge files (pin one block; bare parse of the same file as the baseline, same process):');
for (const mb of (process.env.DIGESTPIN_BENCH_SIZES ?? '0.1,1,10,50').split(',')) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=12288', '--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, DIGESTPIN_BENCH_LARGE: mb } });
  if (r.status !== 0) process.exitCode = 1;
}

// --- lint --chart on a chart of 100 templates ----------------------------------------------------------------
const chartDir = mkdtempSync(join(tmpdir(), 'digestpin-bench-chart-'));
try {
  mkdirSync(join(chartDir, 'templates'));
  writeFileSync(join(chartDir, 'Chart.yaml'), 'apiVersion: v2\nname: bench\nversion: 0.1.0\n');
  const components = ['worker', 'migrations', 'metrics', 'backup', 'proxy'];
  for (let t = 0; t < 100; t++) {
    const c = components[t % components.length]!;
    const body = Array.from({ length: 30 }, (_, k) => `        - name: VAR_${k}\n          value: {{ .Values.${c}.env | toJson | quote }}`).join('\n');
    writeFileSync(join(chartDir, 'templates', `t${t}.yaml`), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "bench.fullname" . }}-${t}\nspec:\n  template:\n    spec:\n      containers:\n      - name: ${c}\n        image: "{{ .Values.${c}.image.registry }}/{{ .Values.${c}.image.repository }}:{{ .Values.${c}.image.tag }}"\n        env:\n${body}\n`);
  }
  const values = files[0]!;
  const time = async (fn: () => unknown) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 1e6 / 20;
  };
  const readOnly = await time(() => readLocalChart(chartDir));
  const parseOnlyChart = await time(() => parseDocument(values));
  const full = await time(async () => {
    const chart = await readLocalChart(chartDir);
    return lintAgainstChart(values, 'values.yaml', chartReads(chart!.templates), chart!.vendored);
  });
  const findings = lintAgainstChart(values, 'values.yaml', chartReads((await readLocalChart(chartDir))!.templates));
  console.log('\nlint --chart, 100 templates, one values file (mean of 20):');
  console.log(`read the chart's templates           ${readOnly.toFixed(1).padStart(7)} ms`);
  console.log(`parseDocument of the values file     ${parseOnlyChart.toFixed(1).padStart(7)} ms`);
  console.log(`read + check every image block       ${full.toFixed(1).padStart(7)} ms   (${(full / (readOnly + parseOnlyChart)).toFixed(2)}x read + parse; ${findings.length} blocks, ${findings.filter((f) => f.severity !== 'info').length} reported)`);
} finally {
  rmSync(chartDir, { recursive: true, force: true });
}
