import { bypassLogin, requestJson, type LoginResult } from '../../support/client/http.ts';
import type { Account } from '../../support/config/settings.ts';
import { registerSecret } from '../../support/evidence/redaction/secrets.ts';
import { NothingDiscovered, type Discovery } from './discovery.ts';
import type { DiscoverInputs } from './inputs.ts';

export interface DiscoveredSession {
  email: string;
  userId: string;
  accessToken: string;
}

export interface DiscoveredLogin {
  /** How the API gives the harness a session: the contract's password login, or the test-login endpoint. */
  way: 'password' | 'bypass';
  user: DiscoveredSession;
  secondUser: DiscoveredSession | undefined;
}

type Attempt = { session: DiscoveredSession; tried: string } | { session?: undefined; tried: string };

/**
 * Logs the test account in: the contract's POST /auth/login with the password given, then, only if that
 * fails and BYPASS_KEY is given, the test-login endpoint. No other password is ever tried: a staging
 * account locked by a guessing harness would be a worse outcome than a clear "not found".
 */
export async function discoverLogin(inputs: DiscoverInputs, discovery: Discovery): Promise<DiscoveredLogin> {
  const password = await passwordLogin(inputs.baseUrl, inputs.user);
  const bypass = password.session || !inputs.bypass.key ? undefined : await bypassAttempt(inputs, inputs.user.email);
  const chosen = password.session ? password : bypass?.session ? bypass : undefined;
  if (!chosen?.session) {
    const tried = [password.tried, bypass?.tried ?? 'the test-login endpoint: not tried, as BYPASS_KEY is not set'];
    throw new NothingDiscovered(`could not log in as ${inputs.user.email}`, tried);
  }
  const way = chosen === password ? 'password' : 'bypass';
  const bypassSettings: Record<string, string> = way === 'bypass' ? { BYPASS_LOGIN_PATH: inputs.bypass.path, BYPASS_HEADER: inputs.bypass.header } : {};
  discovery.observe('login', 'found', way === 'password' ? chosen.tried : `${password.tried}; then ${chosen.tried}`, {
    TEST_USER_EMAIL: inputs.user.email,
    ...bypassSettings,
  });
  if (way === 'password' && inputs.bypass.key) {
    const spare = await bypassAttempt(inputs, inputs.user.email);
    discovery.observe('test-login endpoint', spare.session ? 'found' : 'not found', `${spare.tried} (not used: the password login works)`);
  }

  let secondUser: DiscoveredSession | undefined;
  if (inputs.secondUser) {
    const second = way === 'password' ? await passwordLogin(inputs.baseUrl, inputs.secondUser) : await bypassAttempt(inputs, inputs.secondUser.email);
    secondUser = second.session;
    if (secondUser && secondUser.userId === chosen.session.userId) {
      discovery.find('isolation', `TEST_USER2_EMAIL logged in as the same user as TEST_USER_EMAIL (${secondUser.userId}): two accounts must be two users`);
    }
    if (secondUser) discovery.observe('second account', 'found', second.tried, { TEST_USER2_EMAIL: inputs.secondUser.email });
    else discovery.observe('second account', 'not found', `${second.tried}: left out of the profile, so the two-user tests skip themselves`);
  } else {
    discovery.observe('second account', 'not found', 'TEST_USER2_EMAIL and TEST_USER2_PASSWORD are not set: the two-user isolation tests skip themselves');
  }
  return { way, user: chosen.session, secondUser };
}

async function passwordLogin(baseUrl: string, account: Account): Promise<Attempt> {
  const response = await requestJson<Partial<LoginResult>>('POST', `${baseUrl}/auth/login`, { body: { email: account.email, password: account.password } });
  const took = `${Math.round(response.elapsedMs)} ms`;
  const session = sessionOf(account.email, response.body);
  if (response.status === 200 && session) return { session, tried: `POST /auth/login answered 200 with an access token for user ${session.userId} in ${took}` };
  if (response.status === 200) {
    return {
      tried: `POST /auth/login answered 200 without the contract's access_token and user.id (${Object.keys(response.body ?? {}).join(', ')}): the harness cannot read this login`,
    };
  }
  const answer = `${response.status} ${JSON.stringify(response.body).slice(0, 160)}`;
  if (response.status === 401 || response.status === 403) {
    return {
      tried: `POST /auth/login refused ${account.email}'s password (${answer}): check TEST_USER_EMAIL and TEST_USER_PASSWORD (no other password is tried)`,
    };
  }
  return { tried: `POST /auth/login answered ${answer} in ${took}` };
}

async function bypassAttempt(inputs: DiscoverInputs, email: string): Promise<Attempt> {
  try {
    const answer = await bypassLogin(inputs.baseUrl, email, inputs.bypass);
    const session = sessionOf(email, answer);
    if (session)
      return { session, tried: `POST ${inputs.bypass.path} with ${inputs.bypass.header} answered 200 with an access token for user ${session.userId}` };
    return { tried: `POST ${inputs.bypass.path} answered 200 without user.id` };
  } catch (error) {
    return { tried: (error as Error).message };
  }
}

function sessionOf(email: string, body: Partial<LoginResult> | undefined): DiscoveredSession | undefined {
  if (typeof body?.access_token !== 'string' || typeof body.user?.id !== 'string') return undefined;
  registerSecret(body.access_token);
  registerSecret(body.refresh_token);
  return { email, userId: body.user.id, accessToken: body.access_token };
}
