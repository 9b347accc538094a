import { readFile } from 'node:fs/promises';
import { displayPath } from './locations.ts';
import { ReportError } from './report-error.ts';

/**
 * How many earlier runs Allure's history file holds (0 when there is none yet). Every line must be JSON:
 * Allure itself would crash on a bad line deep inside its reader, with no word about which file.
 */
export async function countHistoryEntries(historyFile: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(historyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const lines = text.split('\n');
  let entries = 0;
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    try {
      JSON.parse(line);
    } catch (error) {
      throw new ReportError(
        `the report history ${displayPath(historyFile)} is damaged: line ${index + 1} is not JSON (${(error as Error).message})`,
        "delete the file to start a new history, or restore it from the previous run's artifact",
      );
    }
    entries += 1;
  }
  return entries;
}
