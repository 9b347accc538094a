import type { Discovery } from './discovery.ts';

const WIDTH = { subject: 24, status: 10, settings: 46 };

/** The terminal's table: each thing looked for, found / assumed / not found, the settings chosen and what was seen. */
export function summaryTable(discovery: Discovery): string {
  const rows = discovery.observations.map(({ subject, status, settings, saw }) => {
    const chosen = Object.entries(settings)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    return [subject.padEnd(WIDTH.subject), status.padEnd(WIDTH.status), cut(chosen || '–', WIDTH.settings).padEnd(WIDTH.settings), cut(saw, 100)].join('  ');
  });
  const header = ['what'.padEnd(WIDTH.subject), 'status'.padEnd(WIDTH.status), 'setting'.padEnd(WIDTH.settings), 'what it saw'].join('  ');
  const findings = discovery.findings.map(({ stage, what }) => `  [${stage}] ${what}`);
  return [
    header,
    '-'.repeat(header.length + 40),
    ...rows,
    ...(findings.length > 0 ? ['', `findings (${findings.length}): not configured around; the smoke run fails on them at their stage`, ...findings] : []),
  ].join('\n');
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
