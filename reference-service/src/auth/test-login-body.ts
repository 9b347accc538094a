import { z } from 'zod';

/**
 * The test-login body: the contract's `{"email"}`, or `e2e`, the later product's
 * `{"email","name","permissions":[…],"simulate_oauth":true}`, which poses as an OAuth sign-in.
 */
export const TEST_LOGIN_BODIES = ['email', 'e2e'] as const;
export type TestLoginBody = (typeof TEST_LOGIN_BODIES)[number];

const emailBody = z.object({ email: z.email() });
const e2eBody = z.object({ email: z.email(), name: z.string().min(1), permissions: z.array(z.string()), simulate_oauth: z.literal(true) });

export const TEST_LOGIN_BODY_SCHEMAS = { email: emailBody, e2e: e2eBody } as const;

/** The later product refused an e2e login that did not pose as OAuth with 422 and this answer, before reading the rest. */
export function missingOauthSimulation(shape: TestLoginBody, body: unknown): { error: string } | undefined {
  if (shape !== 'e2e') return undefined;
  const simulated = typeof body === 'object' && body !== null && (body as { simulate_oauth?: unknown }).simulate_oauth === true;
  return simulated ? undefined : { error: 'simulate_oauth must be true' };
}
