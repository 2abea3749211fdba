// Time and registry requests to verify one signed digest: digestpin's native check (in-process, and the bundled
// CLI as a process) against `cosign verify --key` on the same image, in the same run. Requests are counted from
// the registry's own access log, so both tools are measured the same way. Then a keyless Sigstore bundle (a
// local mock Sigstore, as in the tests) verified against its trusted root, against the key-based check.
import { existsSync } from 'node:fs';
import { exec } from '../src/runtime/exec.js';
import { createArtifactReader } from '../src/registry/artifacts.js';
import { loadTrustedKeys } from '../src/verify/keys.js';
import type { TrustedKey, VerifyPolicy } from '../src/verify/types.js';
import { verifyImage } from '../src/verify/verify-image.js';
import { pushImage, startRegistry, type RegistryServer } from '../test/support/registry-server.js';
import { cosignKeyPair, cosignSign } from '../test/integration/verify/fixtures.js';
import { GITHUB_ISSUER, attachBundle, keylessBundle, localSigstore, writeRoot } from '../test/integration/verify/keyless-fixtures.js';

const IN_PROCESS = 50;
const PROCESSES = 5;

async function logged(registry: RegistryServer): Promise<number> {
  // The registry writes its access log asynchronously; give it a moment to catch up.
  await new Promise((r) => setTimeout(r, 150));
  return registry.accessLog().length;
}

interface Row {
  tool: string;
  msPerVerify: number;
  requestsPerVerify: number;
}

async function timeProcesses(tool: string, registry: RegistryServer, file: string, args: string[]): Promise<Row> {
  const before = await logged(registry);
  let ms = 0;
  for (let i = 0; i < PROCESSES; i++) {
    const start = performance.now();
    await exec(file, args, { quiet: true, timeoutMs: 60_000 });
    ms += performance.now() - start;
  }
  return { tool, msPerVerify: ms / PROCESSES, requestsPerVerify: ((await logged(registry)) - before) / PROCESSES };
}

/** In-process verifications of `digest` under `policy`, each with a fresh reader: ms and requests per verify. */
async function timeInProcess(registry: RegistryServer, repo: { registry: string; repository: string }, digest: string, policy: VerifyPolicy, keys: TrustedKey[]): Promise<Row & { counted: number }> {
  await verifyImage(createArtifactReader({ dockerConfigPath: false }), repo, digest, policy, keys);
  const before = await logged(registry);
  let counted = 0;
  const start = performance.now();
  for (let i = 0; i < IN_PROCESS; i++) counted += (await verifyImage(createArtifactReader({ dockerConfigPath: false }), repo, digest, policy, keys)).requests;
  const ms = performance.now() - start;
  return { tool: '', msPerVerify: ms / IN_PROCESS, requestsPerVerify: ((await logged(registry)) - before) / IN_PROCESS, counted: counted / IN_PROCESS };
}

/** A keyless bundle by a workflow identity on its own image: verified against its root, next to the key-based check. */
async function keyless(registry: RegistryServer, keyBased: Row): Promise<void> {
  const sigstore = await localSigstore('bench');
  const identity = 'https://github.com/bench/svc/.github/workflows/release.yml@refs/heads/main';
  const image = await pushImage(`${registry.host}/bench/keyless:v1`, { content: `keyless ${Date.now()}`, platforms: ['linux/amd64', 'linux/arm64'] });
  await attachBundle(`${registry.host}/bench/keyless@${image.digest}`, await keylessBundle(sigstore, { digest: image.digest, identity }));
  const policy: VerifyPolicy = { require: 'attestation', keys: [], trustedRoot: writeRoot(sigstore), certificateIdentity: identity, certificateOidcIssuer: GITHUB_ISSUER };
  const row = { ...(await timeInProcess(registry, { registry: registry.host, repository: 'bench/keyless' }, image.digest, policy, [])), tool: 'digestpin keyless bundle (in-process)' };
  console.log(`keyless Sigstore bundle (certificate chain, SCT, tlog promise + proof, identity), ${IN_PROCESS} in-process runs; the trusted root is read once per verification`);
  console.table(
    [keyBased, row].map((r) => ({
      tool: r.tool,
      'ms/verify': r.msPerVerify.toFixed(1),
      'requests/verify': r.requestsPerVerify.toFixed(1),
      'time vs key-based': `${(r.msPerVerify / keyBased.msPerVerify).toFixed(2)}x`,
    })),
  );
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  try {
    const pair = await cosignKeyPair('bench');
    const image = await pushImage(`${registry.host}/bench/signed:v1`, { content: `bench ${Date.now()}`, platforms: ['linux/amd64', 'linux/arm64'], provenance: true });
    const ref = `${registry.host}/bench/signed@${image.digest}`;
    await cosignSign(pair, ref);
    const policy = { require: 'signature' as const, keys: [pair.pub] };
    const parsed = { registry: registry.host, repository: 'bench/signed' };
    const rows: Row[] = [];

    // digestpin in-process: a fresh reader (and so fresh connections and auth state) per verification.
    const keys = await loadTrustedKeys([pair.pub], process.cwd(), '--key');
    const { counted, ...inProcess } = await timeInProcess(registry, parsed, image.digest, policy, keys);
    rows.push({ ...inProcess, tool: 'digestpin verifyImage (in-process)' });
    if (counted !== rows[0]!.requestsPerVerify) console.log(`note: the client counted ${counted} requests per verification`);

    if (existsSync('dist/cli.js')) rows.push(await timeProcesses('digestpin verify (dist/cli.js process)', registry, process.execPath, ['dist/cli.js', 'verify', ref, '--key', pair.pub]));
    else console.log('dist/cli.js is missing (npm run build): the CLI process row is skipped');
    rows.push(await timeProcesses('cosign verify --key (process)', registry, 'cosign', ['verify', '--key', pair.pub, '--insecure-ignore-tlog=true', '--allow-insecure-registry', ref]));

    const baseline = rows.at(-1)!;
    console.log(`one signed multi-platform index, key-based; ${IN_PROCESS} in-process runs, ${PROCESSES} process runs each`);
    console.table(
      rows.map((r) => ({
        tool: r.tool,
        'ms/verify': r.msPerVerify.toFixed(1),
        'requests/verify': r.requestsPerVerify.toFixed(1),
        'time vs cosign': `${(r.msPerVerify / baseline.msPerVerify).toFixed(2)}x`,
        'requests vs cosign': `${(r.requestsPerVerify / baseline.requestsPerVerify).toFixed(2)}x`,
      })),
    );
    await keyless(registry, rows[0]!);
  } finally {
    await registry.stop();
  }
}

await main();
