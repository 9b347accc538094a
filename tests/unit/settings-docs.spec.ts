import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { SETTINGS } from '../../support/config/settings.ts';

const SETTINGS_DOC = readFileSync(new URL('../../docs/SETTINGS.md', import.meta.url), 'utf8');

/** The rows of the first table of docs/SETTINGS.md, by the setting names in their first cell. */
function documentedRows(): Map<string, string> {
  const rows = new Map<string, string>();
  const table = SETTINGS_DOC.split('\n## ')[0]!;
  for (const line of table.split('\n').filter((line) => line.startsWith('| `'))) {
    for (const [, name] of line.split(' | ')[0]!.matchAll(/`([A-Z0-9_]+)`/g)) rows.set(name!, line);
  }
  return rows;
}

/** A default as the table writes it: a list comma-joined, an object as JSON; nothing for an empty list or map (the table says unset or `{}`). */
function rendered(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(',');
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0 ? undefined : JSON.stringify(value);
  return String(value);
}

// The settings table is the one place a setting is declared; the document must follow it, not drift beside it.
test.describe('docs/SETTINGS.md follows the settings table', () => {
  const rows = documentedRows();
  for (const [name, row] of Object.entries(SETTINGS)) {
    test(`${name} has a row, with its default`, () => {
      expect(rows.has(name), `docs/SETTINGS.md has no row for ${name}`).toBe(true);
      const byDefault = rendered(row.schema.safeParse(undefined).data);
      if (byDefault !== undefined) expect(rows.get(name), `the row of ${name} does not show its default`).toContain(`\`${byDefault}\``);
    });
  }
});
