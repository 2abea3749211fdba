// `digestpin verify REF --key PUBKEY [--key ...] [--attestation TYPE] [--json]`: checks a cosign signature by
// one of the keys and/or the buildx provenance of REF's digest at the registry. Exit 0 when the policy holds;
// otherwise one line saying which policy failed and why (exit 1), or which flag is wrong (exit 2).
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../runtime/errors.js';
import { createArtifactReader } from '../registry/artifacts.js';
import { createRegistryClient, defaultDockerConfigPath, formatReference, parseAliases, parseReference, reachedRegistry } from '../registry/index.js';
import type { RegistryClientOptions } from '../registry/index.js';
import { keylessIdentity, type KeylessNames } from '../verify/identity.js';
import { loadTrustedKeys } from '../verify/keys.js';
import { verifiedLines, verifyImage } from '../verify/verify-image.js';
import type { VerifyPolicy } from '../verify/types.js';
import { parseCommandArgs } from './args.js';
import type { CliIO, CommandMain } from './types.js';
import { envCredentials } from './env-credentials.js';

const FLAG_NAMES: KeylessNames = {
  trustedRoot: '--trusted-root',
  identity: '--certificate-identity',
  identityRegexp: '--certificate-identity-regexp',
  issuer: '--certificate-oidc-issuer',
};

const HELP = `usage: digestpin verify REF --key PUBKEY [--key ...] [--attestation TYPE] [options]
       digestpin verify REF --attestation TYPE --trusted-root trusted_root.json --certificate-identity ID --certificate-oidc-issuer URL

Checks, at the registry, that REF's digest (a tag is resolved first) is signed with cosign by one of the
keys, and with --attestation that buildx's provenance of that type names each platform image as its subject.
Exit 0 when the policy holds; otherwise one line says which policy failed and why. No cosign binary is used.

options:
  --key PUBKEY                 a PEM public key file (e.g. cosign.pub); repeatable; any one key may sign
  --attestation TYPE           check provenance of this predicate type (e.g. https://slsa.dev/provenance/v0.2)
  --builder-id ID              with --attestation: the builder id the provenance must name
  --source-repository REPO     with --attestation: the source repository it must name (owner/name or a URL)
  --trusted-root FILE          with --attestation: accept keyless Sigstore bundles that verify against this
                               Sigstore trusted_root.json (no public-good root is built in)
  --certificate-identity ID    keyless: the signing certificate's identity (SAN), exactly
  --certificate-identity-regexp RE   keyless: a regexp the whole identity must match
  --certificate-oidc-issuer URL      keyless: the OIDC issuer the certificate must name, exactly
  --json                       print what was verified as JSON
  --insecure-registry HOST     reach HOST over plain http (loopback hosts always are); repeatable
  --alias CLUSTER=HOST         reach registry CLUSTER at HOST; repeatable

credentials: DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, else the docker config.`;


export const main: CommandMain = async (argv: string[], io: CliIO) => {
  const { values, positionals } = parseCommandArgs(
    'verify',
    argv,
    {
      key: { type: 'string', multiple: true },
      attestation: { type: 'string' },
      'builder-id': { type: 'string' },
      'source-repository': { type: 'string' },
      'trusted-root': { type: 'string' },
      'certificate-identity': { type: 'string' },
      'certificate-identity-regexp': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      json: { type: 'boolean' },
      'insecure-registry': { type: 'string', multiple: true },
      alias: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError('REF', `give exactly one image reference (got ${positionals.length}); see 'digestpin verify --help'`);
  const keysGiven = values.key ?? [];
  if (!keysGiven.length && !values.attestation) throw new InputError('--key', "give --key PUBKEY (a signature check) and/or --attestation TYPE; see 'digestpin verify --help'");
  if (!values.attestation && (values['builder-id'] || values['source-repository'])) {
    throw new InputError(values['builder-id'] ? '--builder-id' : '--source-repository', 'needs --attestation TYPE');
  }
  const ref = parseReference(positionals[0]!, 'REF');
  const aliases = parseAliases(values.alias ?? [], '--alias');
  const options: RegistryClientOptions = {
    aliases,
    insecureRegistries: values['insecure-registry'] ?? [],
    credentials: envCredentials(io.env, [ref.registry, reachedRegistry(ref.registry, aliases)]),
    dockerConfigPath: defaultDockerConfigPath(io.env),
    notFoundWindowMs: 0,
    logger: io.logger,
  };
  const keys = await loadTrustedKeys(keysGiven, io.cwd, '--key');
  const root = values['trusted-root'];
  const policy: VerifyPolicy = {
    require: values.attestation ? 'attestation' : 'signature',
    keys: keysGiven,
    predicateType: values.attestation,
    builderId: values['builder-id'],
    sourceRepository: values['source-repository'],
    trustedRoot: root && !isAbsolute(root) ? resolve(io.cwd, root) : root,
    certificateIdentity: values['certificate-identity'],
    certificateIdentityRegexp: values['certificate-identity-regexp'],
    certificateOidcIssuer: values['certificate-oidc-issuer'],
  };
  keylessIdentity(policy, FLAG_NAMES);
  // A tag is resolved to the digest it names now; everything after checks that digest only.
  const digest = ref.digest ?? (await createRegistryClient(options).resolve(ref, { waitForPush: false })).digest;
  const report = await verifyImage(createArtifactReader(options), ref, digest, policy, keys);
  if (values.json) {
    io.stdout(JSON.stringify({ reference: formatReference({ ...ref, digest }), digest, require: report.require, verified: report.checks }, null, 2));
  } else {
    io.stdout([`verified ${report.image}`, ...verifiedLines(report).map((l) => `  ${l}`)].join('\n'));
  }
  return 0;
};
