// Renders the job summary and PR body snapshots (test/unit/report/__snapshots__) to HTML with marked, and
// screenshots them with headless chromium into docs/report-screenshot.png: a visual check of what a reviewer sees.
// Usage: node scripts/render-report.mjs [out.png]   (needs `chromium`: apt-get install -y chromium)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { marked } from 'marked';

const root = resolve(import.meta.dirname, '..');
const snapshots = join(root, 'test/unit/report/__snapshots__');
const out = resolve(process.argv[2] ?? join(root, 'docs/report-screenshot.png'));
const read = (name) => readFileSync(join(snapshots, name), 'utf8');
// Folded sections are shown open, so the screenshot shows what a click reveals.
const render = (md) => marked.parse(md, { gfm: true }).replaceAll('<details>', '<details open>');

const css = `body{font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:0;padding:24px;background:#f6f8fa}
.pane{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:16px 24px;margin-bottom:24px}
.label{font-weight:600;color:#59636e;margin-bottom:8px}
table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #d0d7de;padding:6px 13px}th{background:#f6f8fa}
code{background:#eff1f3;border-radius:4px;padding:.1em .3em;font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f6f8fa;padding:12px;border-radius:6px;overflow:auto}pre code{background:none;padding:0}
a{color:#0969da;text-decoration:none}h3{margin-top:0}summary{cursor:pointer;color:#59636e}`;

const title = read('pr-title.txt').trim();
const html = `<!doctype html><meta charset="utf-8"><style>${css}</style>
<div class="pane"><div class="label">Job summary (GITHUB_STEP_SUMMARY)</div>${render(read('summary-promotion.md'))}</div>
<div class="pane"><div class="label">Pull request</div><h2>${title}</h2>${render(read('pr-body.md'))}</div>
<div class="pane"><div class="label">Job summary of a dry run</div>${render(read('summary-dry-run.md'))}</div>`;

const dir = mkdtempSync(join(tmpdir(), 'digestpin-render-'));
try {
  const page = join(dir, 'report.html');
  writeFileSync(page, html);
  execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`,
    '--window-size=1100,1780', `--screenshot=${out}`, `file://${page}`], { stdio: 'ignore' });
  console.log(`wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
