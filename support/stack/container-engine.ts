import { request } from 'node:http';

const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
const PING_TIMEOUT_MS = 2000;

/** Where Testcontainers will look for the engine: DOCKER_HOST, or Docker's default socket. */
export function containerEngineAddress(env: NodeJS.ProcessEnv = process.env): { socketPath: string } | { host: string; port: number } {
  const dockerHost = env.DOCKER_HOST;
  if (!dockerHost) return { socketPath: DEFAULT_DOCKER_SOCKET };
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/** Resolves to undefined when the engine answers its _ping, or to a sentence saying what is wrong. */
export function pingContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const address = containerEngineAddress(env);
  const where = 'socketPath' in address ? address.socketPath : `${address.host}:${address.port}`;
  return new Promise((resolve) => {
    const ping = request({ ...address, path: '/_ping', timeout: PING_TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 ? undefined : `the container engine at ${where} answered HTTP ${response.statusCode} to /_ping`);
    });
    ping.on('timeout', () => ping.destroy(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)));
    ping.on('error', (error) => resolve(`no container engine answers at ${where} (${error.message})`));
    ping.end();
  });
}
