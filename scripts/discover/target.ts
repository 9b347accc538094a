import { requestJson } from '../../support/client/http.ts';
import { NothingDiscovered, type Discovery } from './discovery.ts';

/** As long as the suite's preflight waits: a target that says nothing in 3 s is not there. */
const REACHABILITY_TIMEOUT_MS = 3000;

/** Readiness endpoints seen on chat services, the contract's first. */
const READINESS_PATHS = ['/health/ready', '/ready', '/readyz', '/api/health/ready'] as const;

/** Liveness endpoints seen on chat services, the contract's first. */
const LIVENESS_PATHS = ['/health', '/healthz', '/api/health', '/livez'] as const;

/**
 * Whether anything answers at BASE_URL, and where it says it is alive. Any HTTP answer will do for the
 * first (even a 404: the health route may be elsewhere); a refused or silent address ends discover at
 * once, as nothing else could be learnt. The first liveness path that answers 200 is HEALTH_PATH.
 */
export async function checkReachable(baseUrl: string, discovery: Discovery): Promise<void> {
  const answers: string[] = [];
  for (const path of LIVENESS_PATHS) {
    const url = `${baseUrl}${path}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(REACHABILITY_TIMEOUT_MS) });
      answers.push(`${path} ${response.status}`);
      if (response.ok) {
        discovery.observe(
          'health',
          'found',
          `GET ${path} answered HTTP ${response.status}${answers.length > 1 ? ` (${answers.slice(0, -1).join(', ')})` : ''}`,
          {
            HEALTH_PATH: path,
          },
        );
        return;
      }
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${REACHABILITY_TIMEOUT_MS} ms` : describeFetchError(error);
      throw new NothingDiscovered(`nothing answers at BASE_URL (${baseUrl}): check the address, the VPN, and that the deploy finished`, [
        `GET ${url}: ${reason}`,
      ]);
    }
  }
  discovery.observe('health', 'not found', `no liveness endpoint answered 200 (${answers.join(', ')})`);
}

/** Where the target reports its dependencies: the first path that answers 200 or 503 with a JSON object. */
export async function discoverReadiness(baseUrl: string, discovery: Discovery): Promise<void> {
  const answers: string[] = [];
  for (const path of READINESS_PATHS) {
    const response = await requestJson('GET', `${baseUrl}${path}`);
    answers.push(`${path} ${response.status}`);
    if ((response.status === 200 || response.status === 503) && typeof response.body === 'object' && response.body !== null) {
      discovery.observe('readiness', 'found', `GET ${path} answered ${response.status} ${JSON.stringify(response.body).slice(0, 120)}`, {
        READINESS_PATH: path,
      });
      return;
    }
  }
  discovery.observe('readiness', 'not found', `no readiness endpoint (${answers.join(', ')}): the readiness test will skip itself`);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
