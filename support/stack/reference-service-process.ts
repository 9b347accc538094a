import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { registerSecret } from '../evidence/redaction/secrets.ts';

const SERVICE_ENTRY = fileURLToPath(new URL('../../reference-service/src/main.ts', import.meta.url));
const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_LIMIT_BYTES = 4 * 1024 * 1024;

export interface ReferenceServiceOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Generated per instance when omitted. */
  jwtSecret?: string;
  /** Fault switches, `name` or `name:parameter`; they turn TEST_MODE on. */
  faults?: readonly string[];
  /** Further settings, e.g. TEST_MODE=false to prove faults are refused outside test mode. */
  env?: Record<string, string>;
}

export interface RunningReferenceService {
  readonly baseUrl: string;
  /** The auth routes' host: the auth listener's URL with AUTH_PORT set, else baseUrl. */
  readonly authUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly jwtSecret: string;
  /** Everything the process wrote so far (JSON log lines on stdout, startup failures on stderr). */
  log(): string;
  stop(): Promise<void>;
}

export interface ExitedReferenceService {
  exitCode: number | null;
  stderr: string;
  log: string;
}

export class ReferenceServiceStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly log: string,
  ) {
    super(message);
  }
}

function launch(options: ReferenceServiceOptions) {
  const jwtSecret = options.jwtSecret ?? randomBytes(32).toString('base64url');
  registerSecret(jwtSecret);
  const faults = options.faults ?? [];
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE_ENTRY], {
    // A clean environment: a FAULTS or PORT exported in the caller's shell must not leak into the service.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      JWT_SECRET: jwtSecret,
      TEST_MODE: faults.length > 0 ? 'true' : 'false',
      FAULTS: faults.join(','),
      ...options.env,
    },
    // The IPC channel tells us the port, and ends the service if this process dies.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = { all: '', stderr: '' };
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString();
    if (output.all.length < LOG_LIMIT_BYTES) output.all += text;
    if (stream === 'stderr') output.stderr += text;
  };
  child.stdout!.on('data', collect('stdout'));
  child.stderr!.on('data', collect('stderr'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, jwtSecret, output, exited };
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts the bundled reference service on a free port and resolves once it is listening and ready. */
export async function startReferenceService(options: ReferenceServiceOptions): Promise<RunningReferenceService> {
  const { child, jwtSecret, output, exited } = launch(options);
  const listening = new Promise<{ port: number; authPort: number | undefined }>((resolve, reject) => {
    child.on('message', (message: { event?: string; port?: number; authPort?: number }) => {
      if (message.event === 'listening' && typeof message.port === 'number') {
        resolve({ port: message.port, authPort: typeof message.authPort === 'number' ? message.authPort : undefined });
      }
    });
    void exited.then((code) =>
      reject(new ReferenceServiceStartError(`the reference service exited with code ${code} before listening:\n${output.stderr.trim()}`, code, output.all)),
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReferenceServiceStartError(`the reference service did not listen within ${STARTUP_TIMEOUT_MS} ms`, null, output.all)),
      STARTUP_TIMEOUT_MS,
    );
  });
  let port: number;
  let authPort: number | undefined;
  try {
    ({ port, authPort } = await Promise.race([listening, timeout]));
  } catch (error) {
    await stopProcess(child, exited);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    authUrl: authPort === undefined ? baseUrl : `http://127.0.0.1:${authPort}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    port,
    jwtSecret,
    log: () => output.all,
    stop: () => stopProcess(child, exited),
  };
}

/** Runs a service expected to fail at startup and returns how it ended. */
export async function runReferenceServiceUntilExit(options: ReferenceServiceOptions): Promise<ExitedReferenceService> {
  const { child, output, exited } = launch(options);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STARTUP_TIMEOUT_MS)));
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await stopProcess(child, exited);
    throw new Error(`the reference service was expected to exit but still ran after ${STARTUP_TIMEOUT_MS} ms:\n${output.all}`);
  }
  return { exitCode: outcome, stderr: output.stderr, log: output.all };
}
