import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import AdmZip from 'adm-zip';

/**
 * Walks the text inside a run's output the way a reader of it could reach it: plain files, the entries
 * of zips (Playwright traces, also when Allure copies them as attachments), and the zip that Playwright's
 * HTML report embeds in its index.html as a base64 data URL. The scrub rewrites that text; the canary
 * search reads it. Both go through here, so neither can miss a place the other reaches.
 */

export type TextVisitor = (text: string, where: string) => string;

const EMBEDDED_ZIP = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/g;
// Static application code shipped with reports: it holds no run data, and rewriting it would break it.
const APPLICATION_CODE = new Set(['.js', '.mjs', '.css', '.map', '.woff', '.woff2', '.ttf']);

/** The files under a folder, or the file itself. */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  if (statSync(root).isFile()) return [root];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Applies `visit` to every text in the tree and writes back what it changed; returns how many files changed. */
export function visitTexts(root: string, visit: TextVisitor, options: { skipApplicationCode: boolean }): number {
  let changed = 0;
  for (const file of listFiles(root)) {
    if (options.skipApplicationCode && APPLICATION_CODE.has(extname(file))) continue;
    const before = readFileSync(file);
    const after = transform(before, relative(root, file) || basename(file), visit, options);
    if (after !== before) {
      writeFileSync(file, after);
      changed++;
    }
  }
  return changed;
}

/** Returns the same Buffer when nothing changed. */
function transform(content: Buffer, where: string, visit: TextVisitor, options: { skipApplicationCode: boolean }): Buffer {
  if (isZip(content)) return transformZip(content, where, visit, options);
  if (!isText(content)) return content;
  const text = content.toString('utf8');
  const hasEmbeddedZip = text.includes('data:application/zip;base64,');
  // A report page that embeds its data: only the data is the run's; the rest is the report's own code.
  let result = text.replace(EMBEDDED_ZIP, (match, base64: string) => {
    const zip = Buffer.from(base64, 'base64');
    const scrubbed = transformZip(zip, `${where} (embedded zip)`, visit, options);
    return scrubbed === zip ? match : `data:application/zip;base64,${scrubbed.toString('base64')}`;
  });
  if (!hasEmbeddedZip || !options.skipApplicationCode) result = visit(result, where);
  return result === text ? content : Buffer.from(result, 'utf8');
}

function transformZip(content: Buffer, where: string, visit: TextVisitor, options: { skipApplicationCode: boolean }): Buffer {
  const zip = new AdmZip(content);
  let changed = false;
  for (const entry of zip.getEntries()) {
    if (entry.isDirectory) continue;
    const before = entry.getData();
    const after = transform(before, `${where}!${entry.entryName}`, visit, options);
    if (after !== before) {
      zip.updateFile(entry, after);
      changed = true;
    }
  }
  return changed ? zip.toBuffer() : content;
}

function isZip(content: Buffer): boolean {
  return content.length > 4 && content.readUInt32LE(0) === 0x04034b50;
}

/** UTF-8 without NUL bytes: binary attachments (PNG, JPEG, WebM) are not text and cannot be redacted as such. */
function isText(content: Buffer): boolean {
  if (content.subarray(0, 8192).includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}
