import { CONTRACT_PROTOCOL } from '../protocol/profile.ts';
import { WS_AUTH_TRANSPORTS } from '../ws/recording-socket.ts';
import type { HarnessSettings } from './settings.ts';

/**
 * What the settings allow the target to do differently from the contract, in words, for the verdict's
 * environment: a green verdict is read with these beside it, so no setting relaxes a check unseen.
 */
export function contractDifferences(settings: HarnessSettings): string[] {
  const { protocol, login } = settings;
  const differences: string[] = [];
  const refused = WS_AUTH_TRANSPORTS.filter((transport) => !settings.wsAuthAccepted.includes(transport));
  if (refused.length > 0) differences.push(`WebSocket auth by ${settings.wsAuthAccepted.join(', ')} only (${refused.join(', ')} must be refused)`);
  if (protocol.envelope !== CONTRACT_PROTOCOL.envelope) differences.push(`event fields wrapped in ${protocol.envelope}`);
  if (protocol.welcomeTypes.join() !== CONTRACT_PROTOCOL.welcomeTypes.join()) differences.push(`welcome frame ${protocol.welcomeTypes.join(' or ')}`);
  const renamed = Object.entries(protocol.eventNames);
  if (renamed.length > 0) differences.push(`event names ${renamed.map(([contract, own]) => `${contract} = ${own}`).join(', ')}`);
  if (protocol.startMessage !== CONTRACT_PROTOCOL.startMessage) differences.push(`start message ${protocol.startMessage}`);
  if (protocol.answerPath !== CONTRACT_PROTOCOL.answerPath) differences.push(`answer read at ${protocol.answerPath}`);
  if (protocol.extraRunEvents.length > 0) differences.push(`events inside a run outside the order rules: ${protocol.extraRunEvents.join(', ')}`);
  if (protocol.eventFields === 'essential') {
    differences.push(
      "event fields: only those correctness needs (run id, execution ids, the answer); epoch timestamps accepted; events without a user id bound by the harness's thread id",
    );
  }
  if (settings.goldenPrompt !== undefined) differences.push(`golden prompt "${settings.goldenPrompt}" (a code, not arithmetic)`);
  if (settings.readinessPath !== '/health/ready') differences.push(`readiness at ${settings.readinessPath}`);
  if (login.strategy !== 'ui') differences.push(`browser signed in by ${login.strategy}, not the login form`);
  if (Object.keys(settings.uiSelectors).length > 0) differences.push(`UI hooks ${Object.keys(settings.uiSelectors).join(', ')} found by UI_SELECTORS`);
  return differences;
}
