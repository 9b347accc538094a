/**
 * Whether a run's frames name their user (`present`, the contract's) or carry `"user_id": null`, as the
 * real product's often do. Fan-out goes by the run's user either way: the frame's field is only what
 * clients are told.
 */
export const EVENT_USER_IDS = ['present', 'null'] as const;
export type EventUserId = (typeof EVENT_USER_IDS)[number];

/** The fields that tie a frame to its run; every frame of a run carries them. */
export type RunBinding = {
  user_id: string | null;
  thread_id: string;
  run_id: string;
};

export function runBinding(run: { userId: string; threadId: string; runId: string }, eventUserId: EventUserId): RunBinding {
  return { user_id: eventUserId === 'present' ? run.userId : null, thread_id: run.threadId, run_id: run.runId };
}
