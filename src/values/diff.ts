// Line diff between two versions of a file: the exact changed lines, for `pin --check`, PR bodies
// and tests. Lines compare without their terminators, so CRLF and a missing final newline don't count.

export interface DiffLine {
  kind: '-' | '+';
  /** 1-based line number: in `before` for '-', in `after` for '+'. */
  line: number;
  text: string;
}

function split(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Myers' O(ND) shortest edit script on the middle part (common head and tail trimmed first). */
function editScript(a: string[], b: string[]): Array<['=' | '-' | '+', number, number]> {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Array<['=' | '-' | '+', number, number]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const t = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && t[max + k - 1]! < t[max + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = t[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push(['=', --x, --y]);
    if (d > 0) ops.push(down ? ['+', x, --y] : ['-', --x, y]);
  }
  return ops.reverse();
}

/** The changed lines between two texts, in file order (removals before the additions that replace them). */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = split(before);
  const b = split(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops = editScript(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const out: DiffLine[] = [];
  let pendingAdds: DiffLine[] = [];
  for (const [op, i, j] of ops) {
    if (op === '-') out.push({ kind: '-', line: head + i + 1, text: a[head + i]! });
    else if (op === '+') pendingAdds.push({ kind: '+', line: head + j + 1, text: b[head + j]! });
    else {
      out.push(...pendingAdds);
      pendingAdds = [];
    }
  }
  out.push(...pendingAdds);
  return out;
}

/** Unified-diff lines (`-old` / `+new`, the marker directly before the line), as `pin --check` and PR bodies show them. */
export function diffLines(before: string, after: string): string[] {
  return lineDiff(before, after).map((d) => `${d.kind}${d.text}`);
}
