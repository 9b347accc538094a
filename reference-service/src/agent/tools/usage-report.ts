import { sumUsage } from '../../db/usage.ts';
import type { Tool } from '../tool.ts';

export const usageReport: Tool<{ scope: 'all_time' }, { total_tokens: number; records: number }> = {
  name: 'usage_report',

  plan: (prompt) => (/\busage\b/i.test(prompt) ? { scope: 'all_time' } : undefined),

  async execute(_args, { db, userId }) {
    const { totalTokens, records } = await sumUsage(db, userId);
    return { total_tokens: totalTokens, records };
  },

  describe: (_args, { total_tokens, records }) => `Your total usage is ${total_tokens} tokens across ${records} records.`,
};
