// What was verified reaches the PR body and the job summary, one line per check.
import { describe, expect, it } from 'vitest';
import { promotionBody } from '../../../src/report/promotion-text.js';
import { summaryMarkdown } from '../../../src/report/summary.js';

const entry = { service: 'svc', environment: 'prod', file: 'envs/prod.yaml', pinnedRef: `reg/acme/svc@sha256:${'a'.repeat(64)}`, newDigest: `sha256:${'a'.repeat(64)}`, diff: [] };
const verified = ['cosign signature by key sha256:0123456789ab (keys/prod.pub), found at tag sha256-aaaa.sig', 'provenance https://slsa.dev/provenance/v0.2 for linux/amd64'];

describe('verified checks in the report', () => {
  it('are listed in the PR body', () => {
    const body = promotionBody([entry], { serverUrl: 'https://github.com', verified });
    expect(body).toContain('Verified: cosign signature by key sha256:0123456789ab (keys/prod.pub), found at tag sha256-aaaa.sig  ');
    expect(body).toContain('Verified: provenance https://slsa.dev/provenance/v0.2 for linux/amd64  ');
  });

  it('are listed in the job summary, and absent when nothing was verified', () => {
    expect(summaryMarkdown({ entries: [entry], operation: 'created', dryRun: false, source: { serverUrl: 'https://github.com', verified } })).toMatch(/\n- Verified: cosign signature by key sha256:0123456789ab .*\n- Verified: provenance /);
    expect(summaryMarkdown({ entries: [entry], operation: 'created', dryRun: false })).not.toContain('Verified');
  });
});
