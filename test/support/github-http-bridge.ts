// Lets a child process (the bundled action) reach the in-process GitHub double: a loopback HTTP server that
// re-issues each request to https://api.github.com from this process, where nock (the double and the
// contract check) answers it. The action is pointed at it with the github-api-url input.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHubBridge {
  url: string;
  /** Every request the child made, as `METHOD /path` (for call counts and assertions). */
  requests: string[];
  /** Bodies of every request (for secret scans). */
  bodies: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const FORWARD = ['authorization', 'accept', 'content-type', 'user-agent', 'x-github-api-version'];

export async function startGitHubBridge(target = 'https://api.github.com'): Promise<GitHubBridge> {
  const requests: string[] = [];
  const bodies: string[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      requests.push(`${req.method} ${req.url}`);
      bodies.push(body.toString('utf8'));
      const headers: Record<string, string> = {};
      for (const name of FORWARD) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const reply = await fetch(`${target}${req.url}`, { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined });
      const out = Buffer.from(await reply.arrayBuffer());
      const replyHeaders: Record<string, string> = {};
      reply.headers.forEach((v, k) => {
        if (!['content-encoding', 'transfer-encoding', 'content-length', 'connection'].includes(k)) replyHeaders[k] = v;
      });
      res.writeHead(reply.status, replyHeaders);
      res.end(out);
    } catch (error) {
      // A nock contract violation or an unmatched request: make it loud in the child's output.
      res.writeHead(599, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `github bridge: ${error instanceof Error ? error.message : String(error)}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
