// Reads the status update and the verdict; each problem comes back as one line that names its fix.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { STAGES } from '../../support/verdict/stages.ts';
import type { AuditedVerdict } from './audit.ts';

export interface Read<T> {
  value?: T;
  problem?: string;
}

export interface StatusUpdate {
  /** How the audit names it: the file's name (not its path), or "standard input". */
  name: string;
  markdown: string;
}

/** Standard input, behind a seam so a test need not own the process's. */
export interface StandardInput {
  isTTY: boolean | undefined;
  read(): Buffer;
}

const processStdin: StandardInput = { isTTY: process.stdin.isTTY, read: () => readFileSync(0) };

export function readStatusUpdate(option: string | undefined, stdin: StandardInput = processStdin): Read<StatusUpdate> {
  const how = 'pass the status update as --update status.md, or --update - to read it from standard input';
  if (option === undefined) return { problem: `--update is missing: ${how}` };
  let bytes: Buffer;
  if (option === '-') {
    if (stdin.isTTY)
      return { problem: '--update - reads standard input, which is a terminal here: pipe the update in, e.g. cat status.md | npm run claims -- --update -' };
    bytes = stdin.read();
  } else {
    try {
      bytes = readFileSync(option);
    } catch (error) {
      return { problem: `cannot read the status update ${option} (${describeReadError(error)}): check the path, or pass --update - to read standard input` };
    }
  }
  const name = option === '-' ? 'standard input' : basename(option);
  const markdown = bytes.toString('utf8');
  if (markdown.trim() === '')
    return { problem: `the status update ${option === '-' ? 'on standard input' : option} is empty: pass the Markdown of the update` };
  return { value: { name, markdown } };
}

// The fields the audit reads; the rest of a verdict (harness, timings, the target's differences) may change freely.
const VERDICT_SCHEMA = z.object({
  verdict: z.enum(['PASS', 'FAIL']),
  outcome: z.enum(['passed', 'degraded', 'flaky', 'failed']),
  failingStage: z.enum([...STAGES, 'unattributed']).nullable(),
  category: z.string().nullable(),
  reason: z.string().nullable(),
  stages: z.array(z.object({ stage: z.enum(STAGES), status: z.enum(['passed', 'failed', 'not run']), durationMs: z.number() })),
  tests: z.object({ total: z.number(), passed: z.number(), failed: z.number(), flaky: z.number(), skipped: z.number() }),
  failures: z.array(z.object({ test: z.string(), stage: z.enum([...STAGES, 'unattributed']), message: z.string() })),
  degradations: z.array(z.object({ test: z.string(), message: z.string() })),
  reportUrl: z.string().nullable(),
  // Only a run against the service the update describes can agree with it or contradict it.
  target: z.object({
    kind: z.enum(['local', 'external']),
    url: z.string().optional(),
    profile: z.string().optional(),
    service: z.string().optional(),
  }),
  startedAt: z.string(),
  finishedAt: z.string(),
}) satisfies z.ZodType<AuditedVerdict>;

export function readVerdict(path: string): Read<AuditedVerdict> {
  const runFirst = 'run the tests first (e.g. `npx playwright test`), which write it, or pass --verdict <path>';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `no verdict at ${path}: ${runFirst}` : `cannot read the verdict ${path} (${describeReadError(error)}): ${runFirst}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `the verdict ${path} is not JSON (${(error as Error).message}): pass the verdict.json a test run wrote (not verdict.md)` };
  }
  const parsed = VERDICT_SCHEMA.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { problem: `the verdict ${path} is not one the harness wrote (${first.path.join('.') || 'top level'}: ${first.message}): ${runFirst}` };
  }
  return { value: parsed.data };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (error as Error).message;
}
