// A Docker token server on loopback for token-auth registries: checks Basic credentials (or allows anonymous
// pull), issues RS256 JWTs whose x5c cert is in the registry's rootcertbundle, and logs each request.
import { createPrivateKey, createSign, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../src/runtime/exec.js';
import { freePort } from './registry-server.js';

export interface TokenServerOptions {
  users: Record<string, string>;
  /** Grant pull to requests without credentials (as GHCR does for public images). */
  anonymousPull?: boolean;
  /** expires_in of issued tokens, seconds. */
  expiresIn?: number;
  /** Answer with `access_token` only (ACR style) instead of `token`. */
  accessTokenOnly?: boolean;
}

export interface TokenRequestRecord {
  scope: string[];
  service: string | null;
  user?: string;
  authorized: boolean;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  rootCertPath: string;
  requests: TokenRequestRecord[];
  stop(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Self-signed signing cert via openssl (node:crypto can parse certificates but not issue them). */
async function makeSigningCert(dir: string): Promise<{ key: KeyObject; certDer: string; certPath: string }> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await exec(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=digestpin-test-token'],
    { quiet: true },
  );
  const cert = new X509Certificate(readFileSync(certPath));
  return { key: createPrivateKey(readFileSync(keyPath)), certDer: cert.raw.toString('base64'), certPath };
}

function signJwt(key: KeyObject, certDer: string, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer] }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${base64url(signature)}`;
}

function basicUser(req: IncomingMessage): { user: string; password: string } | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const pair = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  return colon < 0 ? undefined : { user: pair.slice(0, colon), password: pair.slice(colon + 1) };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `repository:name:pull,push` -> access entries, trimmed to what this caller may do. */
function grant(scopes: string[], authenticated: boolean, anonymousPull: boolean) {
  return scopes.flatMap((scope) => {
    const [type, name, actions] = scope.split(':');
    if (type !== 'repository' || !name || !actions) return [];
    const allowed = actions.split(',').filter((a) => authenticated || (anonymousPull && a === 'pull'));
    return allowed.length ? [{ type, name, actions: allowed }] : [];
  });
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-token-'));
  const { key, certDer, certPath } = await makeSigningCert(dir);
  const port = await freePort();
  const service = 'digestpin-test-registry';
  const issuer = 'digestpin-test-issuer';
  const requests: TokenRequestRecord[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // containerd (buildkit pushes) first tries the OAuth2 POST form with grant_type=password.
    const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : undefined;
    const params = form ?? url.searchParams;
    const scope = params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const creds =
      form?.get('grant_type') === 'password' ? { user: form.get('username') ?? '', password: form.get('password') ?? '' } : basicUser(req);
    const authorized = Boolean(creds && options.users[creds.user] === creds.password);
    requests.push({ scope, service: params.get('service'), user: creds?.user, authorized });
    if (creds && !authorized) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"invalid credentials"}');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 300;
    const token = signJwt(key, certDer, {
      iss: issuer,
      sub: creds?.user ?? '',
      aud: service,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: grant(scope, authorized, options.anonymousPull ?? false),
    });
    const body = options.accessTokenOnly
      ? { access_token: token, expires_in: expiresIn }
      : { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertPath: certPath,
    requests,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
