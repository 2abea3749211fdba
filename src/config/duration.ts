// Durations of the config (`soak: 30m`, `2h`, `1d`) in milliseconds, and back to words for reports. Pure.

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** '30m' -> 1_800_000; undefined for anything the schema's pattern would refuse. */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]+)(m|h|d)$/.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/** 5_400_000 -> '1h 30m'; rounds up to the minute, so "0m left" never shows for a hold. */
export function formatDuration(ms: number): string {
  let minutes = Math.max(0, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes || (!days && !hours) ? `${minutes}m` : ''];
  return parts.filter(Boolean).join(' ');
}
