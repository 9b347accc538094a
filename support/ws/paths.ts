/** The contract's WebSocket path and its alias: a service that serves both must guard both. */
export const CONTRACT_WEBSOCKET_PATHS = ['/ws', '/api/v1/websocket'] as const;

/** The configured WebSocket URL first, then the contract's other paths on the same origin. */
export function webSocketUrlsToProbe(configuredUrl: string): string[] {
  const configured = new URL(configuredUrl);
  const others = CONTRACT_WEBSOCKET_PATHS.filter((path) => path !== configured.pathname).map((path) => new URL(path, configured).href);
  return [configured.href, ...others];
}
