// Pins 1,000 generated values files (~400 lines each) and compares with yaml's parseDocument (the cost
// ceiling of any approach that parses) and parseDocument + toString (what re-printing tools do), same run.
import { parseDocument } from 'yaml';
import { pinText, type Pin } from '../src/values/index.js';

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
  return `${lines.join('\n')}\n`;
}

const files = Array.from({ length: FILES }, (_, i) => valuesFile(i));
const avgLines = files.reduce((n, f) => n + f.split('\n').length - 1, 0) / FILES;
const pins: Pin[] = [{ target: { kind: 'helm', path: 'image' }, digest: NEW, repository: 'docker.io/acme/app' }];
const threePins: Pin[] = [
  ...pins,
  { target: { kind: 'helm', path: 'worker.image' }, digest: NEW },
  { target: { kind: 'helm', path: 'backup.image' }, digest: NEW, tag: { mode: 'remove' } },
];

const contenders: [string, (text: string) => unknown][] = [
  ['yaml parseDocument', (t) => parseDocument(t)],
  ['yaml parseDocument + toString', (t) => parseDocument(t).toString()],
  ['digestpin pinText (1 pin)', (t) => pinText(t, pins, { file: 'values.yaml' })],
  ['digestpin pinText (3 pins)', (t) => pinText(t, threePins, { file: 'values.yaml' })],
  ['digestpin pinText (1 pin, verify)', (t) => pinText(t, pins, { file: 'values.yaml', verify: true })],
];

// Rounds interleave the contenders, so drift on a shared machine hits all of them alike; the median round counts.
const ROUNDS = 3;
for (const [, fn] of contenders) for (const f of files.slice(0, 100)) fn(f);
const samples = contenders.map(() => [] as number[]);
for (let r = 0; r < ROUNDS; r++) {
  contenders.forEach(([, fn], c) => {
    const start = process.hrtime.bigint();
    for (const f of files) fn(f);
    samples[c]!.push(Number(process.hrtime.bigint() - start) / 1e6);
  });
}
const median = samples.map((s) => s.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!);
console.log(`${FILES} values files, ${avgLines.toFixed(0)} lines each (median of ${ROUNDS} interleaved rounds)`);
contenders.forEach(([label], c) => {
  const ms = median[c]!;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${((FILES / ms) * 1000).toFixed(0).padStart(6)} files/s`);
});
const [parseOnly, reprint, pinOne, pinThree, verified] = median as [number, number, number, number, number];

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
console.log(`pinText (1 pin) / parseDocument           ${(pinOne / parseOnly).toFixed(2)}x   (target <= 1.5x)`);
console.log(`pinText (3 pins) / parseDocument          ${(pinThree / parseOnly).toFixed(2)}x`);
console.log(`pinText (1 pin, verify) / parseDocument   ${(verified / parseOnly).toFixed(2)}x`);
console.log(`pinText (1 pin) / parseDocument+toString  ${(pinOne / reprint).toFixed(2)}x`);
console.log(`byte-exact: digestpin ${exact}/${FILES}, parseDocument+setIn+toString ${reprintExact}/${FILES}`);
if (exact !== FILES) process.exitCode = 1;
