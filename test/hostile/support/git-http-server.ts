// A git smart-HTTP server on loopback for the hostile suite: real `git http-backend` (CGI) over a bare repository,
// Basic auth, and one fault per mode: a redirect to another origin, a lost push acknowledgement (the push is
// applied, then the connection is dropped before the answer), and replies that stall. Records every request.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type GitServerMode = 'ok' | 'redirect' | 'lost-ack' | 'stall';

export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT/gitops.git` (no credentials). */
  url: string;
  origin: string;
  seen: SeenRequest[];
  /** Pushes the backend applied whose answer was then dropped. */
  droppedAcks: number;
  mode: GitServerMode;
  stop(): Promise<void>;
}

export interface GitServerOptions {
  /** Folder holding `<name>.git` bare repositories (http.receivepack must be on). */
  root: string;
  mode: GitServerMode;
  /** Basic credentials the server demands; absent: anonymous. */
  credentials?: { user: string; password: string };
  /** For `redirect`: where every request is sent (another origin). */
  redirectTo?: string;
}

function authorised(req: IncomingMessage, options: GitServerOptions): boolean {
  if (!options.credentials) return true;
  const expected = `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`;
  return req.headers.authorization === expected;
}

/** Runs `git http-backend` for one request; resolves with its raw CGI output (headers, blank line, body). */
function runBackend(req: IncomingMessage, root: string): Promise<Buffer> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_USER: 'hostile-test',
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  const out: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  req.pipe(child.stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(out)));
  });
}

function sendCgi(res: ServerResponse, raw: Buffer): void {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('latin1');
  let status = 200;
  for (const line of head.split('\r\n')) {
    const [name, ...rest] = line.split(':');
    const value = rest.join(':').trim();
    if (!name) continue;
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else res.setHeader(name, value);
  }
  res.statusCode = status;
  res.end(raw.subarray(split + 4));
}

export async function startGitHttpServer(options: GitServerOptions): Promise<GitHttpServer> {
  const sockets = new Set<Socket>();
  const seen: SeenRequest[] = [];
  const state = { droppedAcks: 0 };
  const server = createServer(async (req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    if (options.mode === 'stall') return; // never answers; the socket stays open until stop()
    if (options.mode === 'redirect') {
      res.writeHead(302, { location: `${options.redirectTo}${req.url}` }).end();
      return;
    }
    if (!authorised(req, options)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="gitops"' }).end();
      return;
    }
    const raw = await runBackend(req, options.root);
    if (options.mode === 'lost-ack' && req.url?.includes('git-receive-pack') && req.method === 'POST') {
      // The ref is updated by now; the client never hears so.
      state.droppedAcks++;
      req.socket.destroy();
      return;
    }
    sendCgi(res, raw);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/gitops.git`,
    origin,
    seen,
    get droppedAcks() {
      return state.droppedAcks;
    },
    mode: options.mode,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
