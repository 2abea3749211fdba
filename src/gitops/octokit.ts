// The one Octokit factory: REST + GraphQL with retry (5xx, dropped connections) and throttling (primary limits,
// secondary limits, GraphQL RATE_LIMITED on HTTP 200), mutations one at a time. Waits are bounded and scalable.
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '../runtime/logger.js';
import { InputError } from '../runtime/errors.js';
import { redact, registerSecret } from '../runtime/secrets.js';
import { boundedFetch, GitHubTimeoutError } from './github/bounded-fetch.js';

const DigestpinOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof DigestpinOctokit>;

export interface OctokitOptions {
  /** PAT, GitHub App installation token or the workflow's GITHUB_TOKEN; registered as a secret. */
  token: string;
  /** GitHub Enterprise Server: `https://HOST/api/v3` (GraphQL is derived by Octokit). */
  baseUrl?: string;
  logger?: Logger;
  /** Retries for 5xx and dropped connections, and for each kind of rate limit. Default 3. */
  retries?: number;
  /** Longest single wait for `retry-after` / `x-ratelimit-reset`, in seconds; a longer one fails. Default 600. */
  maxWaitSeconds?: number;
  /** Milliseconds per "second" of waiting: 1000 in production, ~1 in tests so retries are instant. */
  msPerSecond?: number;
  /** Gap between two mutations; GitHub asks for at least 1 s. Default 1000. */
  mutationGapMs?: number;
  /** Gap between two requests that notify people (opening a PR, commenting). Default: the throttling plugin's 3 s. */
  notificationGapMs?: number;
  /** One HTTP attempt (headers and body). Default 30 s. */
  requestTimeoutMs?: number;
  /** One API call, retries and waits included. Default 120 s, like the registry side. */
  callTimeoutMs?: number;
  /** Largest response body accepted. Default 64 MiB (a read of 100 files of 512,000 bytes each stays below). */
  maxResponseBytes?: number;
  /** Injected by tests to observe waits. */
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `GITHUB_TOKEN` / `GH_TOKEN` from the environment, or a clear error naming the variable. */
export function tokenFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new InputError('GITHUB_TOKEN', 'is not set; pass a PAT, a GitHub App installation token or the workflow token');
  registerSecret(token);
  return token;
}

function isMutation(options: { method?: string; url?: string; query?: unknown }): boolean {
  const method = (options.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return false;
  if (/\/graphql$/.test(options.url ?? '')) return /^\s*mutation\b/.test(String(options.query ?? ''));
  return true;
}

/** A lock that lets one mutation run at a time, with a minimum gap between them. */
function mutationLock(gapMs: number, sleep: (ms: number) => Promise<void>) {
  let tail: Promise<unknown> = Promise.resolve();
  let last = 0;
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(async () => {
      const wait = last + gapMs - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        return await fn();
      } finally {
        last = Date.now();
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * A Bottleneck-shaped group (`key(id).schedule([options,] fn, ...args)`) that spaces job starts `gapMs` apart. The
 * throttling plugin only schedules a no-op through its write/notification groups, so spacing is all they do.
 */
function spacingGroup(gapMs: number, sleep: (ms: number) => Promise<void>) {
  let next = 0;
  const schedule = async (...args: unknown[]) => {
    const [fn, ...rest] = (typeof args[0] === 'function' ? args : args.slice(1)) as [(...a: unknown[]) => unknown, ...unknown[]];
    const start = Math.max(Date.now(), next);
    next = start + gapMs;
    if (start > Date.now()) await sleep(start - Date.now());
    return fn(...rest);
  };
  return { key: () => ({ schedule }) };
}

type RequestOptions = { method?: string; url?: string; query?: unknown; request?: { signal?: AbortSignal; deadline?: Deadline } } & Record<string, unknown>;

/** A call's time budget; a rate-limit wait GitHub asked for (retry-after) extends it rather than counting as silence. */
interface Deadline {
  extend(ms: number): void;
}

async function withDeadline<T>(ms: number, req: RequestOptions, request: (o: RequestOptions) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const what = `${(req.method ?? 'GET').toUpperCase()} ${String(req.url ?? '')}${/\/graphql$/.test(String(req.url)) ? ` (${/^\s*(?:query|mutation)\s+(\w+)/.exec(String(req.query ?? ''))?.[1] ?? 'query'})` : ''}`;
  let timer: NodeJS.Timeout | undefined;
  let fail: (e: Error) => void = () => undefined;
  const arm = (after: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      abort.abort();
      fail(new GitHubTimeoutError(`${what} with its retries`, ms));
    }, after);
  };
  let ends = Date.now() + ms;
  const deadline = new Promise<never>((_, reject) => {
    fail = reject;
    arm(ms);
  });
  const extend: Deadline['extend'] = (more) => {
    ends += more;
    arm(ends - Date.now());
  };
  // before-after-hook binds every hook to the same options object (arguments passed to `request` are ignored), so
  // the signal and the deadline reach the inner hooks and fetch only by setting them on that object.
  req.request = { ...req.request, signal: abort.signal, deadline: { extend } };
  try {
    return await Promise.race([request(req), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function createOctokit(options: OctokitOptions): GitHubClient {
  if (!options.token) throw new InputError('token', 'is empty; set GITHUB_TOKEN or pass a token');
  registerSecret(options.token);
  const retries = options.retries ?? 3;
  const maxWait = options.maxWaitSeconds ?? 600;
  const unit = options.msPerSecond ?? 1000;
  const sleep = options.sleep ?? defaultSleep;
  const log = options.logger;
  const onLimit = (kind: string) => (after: number, req: { method: string; url: string; request?: object }, _o: unknown, count: number) => {
    const ok = count < retries && after <= maxWait;
    if (ok) (req.request as { deadline?: Deadline } | undefined)?.deadline?.extend(after * unit);
    log?.warning(`GitHub ${kind} on ${req.method} ${req.url}: ${ok ? `retrying in ${after}s` : `giving up (waited ${count} times, next wait ${after}s)`}`);
    return ok;
  };
  const octokit = new DigestpinOctokit({
    auth: options.token,
    baseUrl: options.baseUrl?.replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'digestpin',
    request: { fetch: boundedFetch({ timeoutMs: options.requestTimeoutMs ?? 30_000, maxBytes: options.maxResponseBytes ?? 64 * 1024 * 1024 }) },
    log: {
      debug: (m: string) => log?.debug(redact(m)),
      info: (m: string) => log?.debug(redact(m)),
      warn: (m: string) => log?.warning(redact(m)),
      // Octokit logs every failed request here; the one top-level catch reports the failure that matters.
      error: (m: string) => log?.debug(redact(m)),
    },
    retry: { retries, retryAfterBaseValue: unit, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: {
      id: `digestpin-${Math.random().toString(36).slice(2)}`,
      retryAfterBaseValue: unit,
      fallbackSecondaryRateRetryAfter: 60,
      // Our lock spaces mutations; the plugin's shared 1 s write queue would also delay GraphQL reads.
      write: spacingGroup(0, sleep) as never,
      ...(options.notificationGapMs !== undefined ? { notifications: spacingGroup(options.notificationGapMs, sleep) as never } : {}),
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
    },
  });
  const lock = mutationLock(options.mutationGapMs ?? 1000, sleep);
  octokit.hook.wrap('request', (request, req) => (isMutation(req) ? lock(async () => request(req)) : request(req)));
  const callTimeout = options.callTimeoutMs ?? 120_000;
  // Outermost: bounds a call with all its retries (rate-limit waits extend it); aborting stops the attempt in flight.
  octokit.hook.wrap('request', (request, req) => withDeadline(callTimeout, req as never, request as never));
  return octokit;
}
