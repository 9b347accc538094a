import { test } from '@playwright/test';
import { StageFailure, stageOf, stepTitle, type Stage } from './stages.ts';

/**
 * Runs one step of the golden path as a Playwright step, and attributes whatever fails inside it to
 * `stage`, unless it already names a stage (a failure found early keeps its own).
 */
export function inStage<T>(stage: Stage, title: string, body: () => Promise<T>): Promise<T> {
  return test.step(stepTitle(stage, title), async () => {
    try {
      return await body();
    } catch (error) {
      if (stageOf(error as Error)) throw error;
      throw new StageFailure(stage, (error as Error).message ?? String(error));
    }
  });
}
