import type { TokenService } from './tokens.ts';

/**
 * What the password login answers: the contract's token pair and user, or `token`, a gateway's
 * `{"token":<access jwt>,"user":{…}}` with no refresh token.
 */
export const LOGIN_RESPONSES = ['contract', 'token'] as const;
export type LoginResponse = (typeof LOGIN_RESPONSES)[number];

type TokenPair = Awaited<ReturnType<TokenService['issuePair']>>;

export function loginAnswer(shape: LoginResponse, pair: TokenPair, user: { id: string; email: string }) {
  const who = { id: user.id, email: user.email };
  return shape === 'contract' ? { ...pair, user: who } : { token: pair.access_token, user: who };
}
