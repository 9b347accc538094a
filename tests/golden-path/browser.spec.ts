import { test, expect } from '../../fixtures/index.ts';
import { answerPattern, arithmeticPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, awaitRunMentioning, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { measureRun } from '../../support/protocol/latency.ts';
import { signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { repetitions } from '../../support/golden-path/repetitions.ts';

const GRACE_MS = 5000;

for (const { suffix } of repetitions()) {
  test(`a user logs in through the browser and gets the correct AI answer${suffix}`, { tag: ['@smoke', '@golden-path'] }, async ({
    chatService,
    testUser,
    loginPage,
    chatPage,
    chatSocket,
    settings,
    evidence,
  }) => {
    const { prompt, needle, expectedAnswer } = arithmeticPrompt();
    const { latency } = settings;

    const session = await inStage('auth', 'the user signs in over HTTP, for an independent observer', () => signIn(chatService.baseUrl, testUser, settings.login));
    const observer = await inStage('websocket', 'the observer opens its own socket as the same user', () => openWelcomed(chatSocket, session, latency.connectMs + GRACE_MS));

    const { strategy, tokenStorageKey } = settings.login;
    if (strategy === 'ui') {
      await inStage('ui', 'the login page renders', async () => {
        await loginPage.goto();
        await expect(loginPage.submit).toBeVisible();
      });
      await inStage('auth', 'the user logs in through the form and reaches the chat', async () => {
        await loginPage.login(testUser.email, testUser.password!);
        await expect(chatPage.input).toBeVisible();
      });
    } else {
      // A UI behind OAuth: the browser is handed the session the API login (or test-login endpoint) gave.
      await inStage('auth', `the browser is handed the ${strategy} session`, () => chatPage.gotoSignedIn(chatService.baseUrl, session.accessToken, tokenStorageKey));
      await inStage('ui', 'the chat renders for the signed-in user', () => expect(chatPage.input).toBeVisible());
    }

    const sentAt = observer.elapsed();
    evidence.recordRun(observer, sentAt);
    await inStage('ui', `the user asks "${prompt}"`, () => chatPage.send(prompt));

    const runId = await inStage('agent-events', 'the run shows up on the observer', () => awaitRunMentioning(observer, needle, latency.firstEventMs + GRACE_MS));
    const answer = await inStage('agent-events', 'all five events arrive, in order, for this user and run', async () => {
      const finalResponse = await awaitCompletion(observer, runId, latency.completionMs + GRACE_MS);
      expect(observer).toHaveCompleteRun({ runId, userId: session.userId });
      return finalResponse!;
    });
    await inStage('ai-response', `the answer carries ${expectedAnswer}`, async () => expect(answer).toMatch(answerPattern(expectedAnswer)));
    await inStage('ui', 'the answer is rendered in the chat', () => expect(chatPage.answers.filter({ hasText: answerPattern(expectedAnswer) })).toBeVisible());
    await inStage('isolation', "the observer saw no other user's events", async () => expect(observer).toBeOwnedBy(session.userId));
    await inStage('latency', 'connect, first event and completion are within their thresholds', async () =>
      expect(measureRun(observer.frames, runId, sentAt)).toMeetLatency(latency),
    );
  });
}
