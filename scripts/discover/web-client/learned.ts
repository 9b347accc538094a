import type { Finding, Observation } from '../discovery.ts';

/** What one part of a recording taught: the settings with what was seen, and what it could not teach and why. */
export interface Learned {
  observations: Observation[];
  notLearned: NotLearned[];
  /** What a healthy service must not do, seen in the recording: reported, never configured around. */
  findings?: Finding[];
}

/** Settings a recording did not show: today's probing (or the harness's default) decides them. */
export interface NotLearned {
  settings: string[];
  why: string;
}

export const found = (subject: string, saw: string, settings: Record<string, string>): Observation => ({
  subject: `${subject} (web client)`,
  status: 'found',
  saw,
  settings,
});

/** A JSON Web Token's shape: three base64url parts, the first a JSON header. */
export const looksLikeJwt = (text: string) => /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(text);
