// `digestpin resolve REF`: prints the digest the registry serves for REF (or, with --json, digest, kind,
// media type, platforms and labels). Credentials come from DIGESTPIN_REGISTRY_USERNAME/PASSWORD or docker config.
import { InputError } from '../runtime/errors.js';
import {
  createRegistryClient,
  defaultDockerConfigPath,
  formatReference,
  isPlatformString,
  parseAliases,
  parseReference,
  reachedRegistry,
} from '../registry/index.js';
import type { RegistryClientOptions } from '../registry/index.js';
import { parseCommandArgs } from './args.js';
import type { CliIO, CommandMain } from './types.js';
import { envCredentials } from './env-credentials.js';

const HELP = `usage: digestpin resolve REF [options]

Prints the digest the registry serves for REF (host[:port]/path/name[:tag][@digest]).
A multi-platform image resolves to its index digest, as pushed. No tag means :latest, as in docker;
with @digest, the registry is asked for that digest (one request proves it holds it). What is printed
is the digest of the content the registry served, never only its Docker-Content-Digest header.

options:
  --platform OS/ARCH        print that platform's manifest digest instead of the index digest
  --json                    print digest, kind, mediaType, platforms and labels as JSON
  --labels                  also print the image config's labels, one KEY=VALUE per line (implied by --json)
  --insecure-registry HOST  reach HOST over plain http (loopback hosts always are); repeatable
  --alias CLUSTER=HOST      reach registry CLUSTER at HOST (e.g. k3d-dev-reg:5000=localhost:5000); repeatable
  --wait SECONDS            retry a 404 this long, for a push that just finished (default 0)

credentials: DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, else the docker config
($DOCKER_CONFIG/config.json or ~/.docker/config.json).`;

function parseWait(value: string | undefined): number {
  if (value === undefined) return 0;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds)) throw new InputError('--wait', `'${value}' must be a number of seconds, e.g. 30`);
  return Math.round(seconds * 1000);
}


export const main: CommandMain = async (argv: string[], io: CliIO) => {
  const { values, positionals } = parseCommandArgs(
    'resolve',
    argv,
    {
      platform: { type: 'string' },
      json: { type: 'boolean' },
      labels: { type: 'boolean' },
      'insecure-registry': { type: 'string', multiple: true },
      alias: { type: 'string', multiple: true },
      wait: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new InputError('REF', `give exactly one image reference (got ${positionals.length}); see 'digestpin resolve --help'`);
  }
  const ref = parseReference(positionals[0]!, 'REF');
  if (values.platform && !isPlatformString(values.platform)) {
    throw new InputError('--platform', `'${values.platform}' must look like os/arch or os/arch/variant, e.g. linux/arm64`);
  }
  const aliases = parseAliases(values.alias ?? [], '--alias');
  const options: RegistryClientOptions = {
    aliases,
    insecureRegistries: values['insecure-registry'] ?? [],
    credentials: envCredentials(io.env, [ref.registry, reachedRegistry(ref.registry, aliases)]),
    dockerConfigPath: defaultDockerConfigPath(io.env),
    notFoundWindowMs: parseWait(values.wait),
    logger: io.logger,
  };
  const client = createRegistryClient(options);
  const resolution = await client.resolve(ref, {
    platform: values.platform,
    labels: Boolean(values.labels || values.json),
    describe: Boolean(values.json),
    // What is printed must have been hashed: a HEAD's digest header is only the server's word.
    verifyContent: true,
  });
  if (!values.json) {
    const labels = Object.entries(resolution.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    io.stdout([resolution.digest, ...labels].join('\n'));
    return 0;
  }
  const { digest, kind, mediaType, platforms, labels } = resolution;
  const reference = formatReference({ ...ref, digest });
  io.stdout(JSON.stringify({ reference, digest, kind, mediaType, platforms, labels: labels ?? {} }, null, 2));
  return 0;
};
