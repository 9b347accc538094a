import { test, expect } from '../../fixtures/index.ts';
import { answerAt } from '../../support/golden-path/answer.ts';
import { goldenPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, watchTurn, withAccountTurn } from '../../support/golden-path/turn.ts';
import { GRACE_MS, measureRun } from '../../support/protocol/latency.ts';
import { signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import { repetitions } from '../../support/golden-path/repetitions.ts';

for (const { suffix } of repetitions()) {
  test(
    `a user logs in through the browser and gets the correct AI answer${suffix}`,
    { tag: ['@smoke', '@golden-path'] },
    async ({ chatService, testUser, loginPage, chatPage, chatSocket, settings, evidence }) => {
      const golden = goldenPrompt(settings.goldenPrompt);
      const { prompt, expectedAnswer } = golden;
      const { latency } = settings;

      const session = await inStage('auth', 'the user signs in over HTTP, for an independent observer', () =>
        signIn(chatService.baseUrl, testUser, settings.login),
      );
      const observer = await inStage('websocket', 'the observer opens its own socket as the same user', () =>
        openWelcomed(chatSocket, session, latency.connectMs + GRACE_MS),
      );

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
        await inStage('auth', `the browser is handed the ${strategy} session`, () =>
          chatPage.gotoSignedIn(chatService.baseUrl, session.accessToken, tokenStorageKey),
        );
        await inStage('ui', 'the chat renders for the signed-in user', () => expect(chatPage.input).toBeVisible());
      }

      const { turn, runId, completion } = await withAccountTurn(settings.target, testUser.email, async () => {
        const turn = watchTurn(observer, golden, session.userId);
        evidence.recordRun(observer, turn.sentAt);
        await inStage('ui', `the user asks "${prompt}"`, () => chatPage.send(prompt));
        const { runId, foundBy } = await inStage('agent-events', 'the run shows up on the observer', () =>
          awaitOwnRun(observer, turn, latency.firstEventMs + GRACE_MS),
        );
        test.info().annotations.push({ type: 'run found by', description: foundBy });
        const completion = await inStage('agent-events', 'all five events arrive, in order, for this user and run', async () => {
          const completed = await awaitCompletion(observer, runId, latency.completionMs + GRACE_MS);
          // The UI chose the conversation: the run is bound to the thread its first event names.
          const threadId = observer.framesOfRun(runId)[0]?.thread_id ?? undefined;
          expect(observer).toHaveCompleteRun({ runId, userId: session.userId, threadId });
          return completed!;
        });
        return { turn, runId, completion };
      });
      await inStage('ai-response', `the answer carries ${expectedAnswer}`, async () => expect(answerAt(completion)).toMatch(golden.answer));
      await inStage('ui', 'the answer is rendered in the chat', () => expect(chatPage.answers.filter({ hasText: golden.answer })).toBeVisible());
      await inStage('isolation', "the observer saw no other user's events", async () => expect(observer).toBeOwnedBy(session.userId));
      await inStage('latency', 'connect, first event and completion are within their thresholds', async () =>
        expect(measureRun(observer.frames, runId, turn.sentAt)).toMeetLatency(latency),
      );
    },
  );
}
