import { test, expect } from '@playwright/test';
import {
  CROSS_CUTTING_STAGES,
  GOLDEN_PATH_STAGES,
  StageFailure,
  earliestStage,
  stageOf,
  stageOfStepTitle,
  STAGES,
  stepTitle,
} from '../../support/verdict/stages.ts';

test.describe('StageFailure', () => {
  test('its message starts with the stage marker', () => {
    const failure = new StageFailure('auth', 'Could not log in as alice@example.com: 401 Unauthorized');

    expect(failure).toBeInstanceOf(Error);
    expect(failure.name).toBe('StageFailure');
    expect(failure.stage).toBe('auth');
    expect(failure.message).toBe('[stage:auth] Could not log in as alice@example.com: 401 Unauthorized');
  });
});

test.describe('stageOf', () => {
  for (const stage of [...GOLDEN_PATH_STAGES, ...CROSS_CUTTING_STAGES]) {
    test(`reads the ${stage} stage back from a StageFailure`, () => {
      expect(stageOf(new StageFailure(stage, 'it broke'))).toBe(stage);
    });
  }

  const unmarked: Array<{ title: string; error: { message?: string } | undefined }> = [
    { title: 'a plain error', error: new Error('connect ECONNREFUSED 127.0.0.1:5432') },
    { title: 'an error whose marker is not at the start', error: new Error('retry failed: [stage:auth] 401') },
    { title: 'a marker without the space after it', error: new Error('[stage:auth]401') },
    { title: 'an error without a message', error: {} },
    { title: 'no error at all', error: undefined },
  ];

  for (const { title, error } of unmarked) {
    test(`has no stage for ${title}`, () => {
      expect(stageOf(error)).toBeUndefined();
    });
  }

  test('reads a marker written by hand, as a reporter would see it in a serialised error', () => {
    expect(stageOf({ message: '[stage:agent-events] agent_completed never arrived' })).toBe('agent-events');
  });

  // Bug: the marker pattern accepts any [a-z-]+ name, so stageOf returns strings that are not a Stage
  // while its return type promises one (inStage would then keep the bogus stage instead of its own).
  test('has no stage for a marker naming no known stage', () => {
    expect(stageOf(new Error('[stage:bogus] something'))).toBeUndefined();
  });
});

test.describe('stageOfStepTitle and earliestStage', () => {
  test('read back the stage of an inStage step title, and nothing from other titles', () => {
    expect(stageOfStepTitle('agent-events: all five events arrive')).toBe('agent-events');
    for (const stage of STAGES) expect(stageOfStepTitle(stepTitle(stage, 'a step'))).toBe(stage);
    expect(stageOfStepTitle('screenshot')).toBeUndefined();
    expect(stageOfStepTitle('Before Hooks: x')).toBeUndefined();
    expect(stageOfStepTitle('warmup: not a stage')).toBeUndefined();
  });

  test('pick the earliest stage in the verdict order, ignoring names that are no stage', () => {
    expect(earliestStage(['latency', 'ui', 'unattributed', 'agent-events'])).toBe('agent-events');
    expect(earliestStage(['security', 'persistence'])).toBe('persistence');
    expect(earliestStage(['unattributed'])).toBeUndefined();
  });
});
