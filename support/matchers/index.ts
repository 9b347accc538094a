import { expect as baseExpect } from '@playwright/test';
import { toBeOwnedBy } from './to-be-owned-by.ts';
import { toBeRefused } from './to-be-refused.ts';
import { toHaveCompleteRun } from './to-have-complete-run.ts';
import { toMeetLatency } from './to-meet-latency.ts';

/** Playwright's expect with the protocol matchers. */
export const expect = baseExpect.extend({ toHaveCompleteRun, toBeOwnedBy, toBeRefused, toMeetLatency });
