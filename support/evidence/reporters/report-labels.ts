import { basename, sep } from 'node:path';
import type { TestInfo } from '@playwright/test';

/** Each test folder is one area of the claim: the report's epic. */
const AREAS: Record<string, string> = {
  'golden-path': 'Golden path',
  auth: 'Authentication and security',
  websocket: 'WebSocket',
  health: 'Health',
  isolation: 'Isolation',
  evidence: 'Evidence',
  'self-test': 'Self-test',
  unit: 'Harness units',
  'reference-service': 'Reference service',
};

export interface ReportLabels {
  epic: string;
  feature: string;
  story: string;
  severity: 'blocker' | 'critical' | 'normal' | 'minor';
  owner: string | undefined;
}

/**
 * Labels from where a test lives and how it is tagged, so no spec repeats them: epic = its folder,
 * feature = its file, story = its describe block (or its title), severity from its tags, owner from an
 * `owner` annotation when a test has one.
 */
export function reportLabelsOf(testInfo: Pick<TestInfo, 'file' | 'titlePath' | 'tags' | 'annotations' | 'title'>): ReportLabels {
  const folders = testInfo.file.split(sep);
  const area = folders[folders.lastIndexOf('tests') + 1] ?? '';
  const describe = testInfo.titlePath.slice(1, -1).join(' › ');
  return {
    epic: AREAS[area] ?? area,
    feature: basename(testInfo.file)
      .replace(/\.spec\.ts$/, '')
      .replace(/-/g, ' '),
    story: describe || testInfo.title,
    severity: testInfo.tags.includes('@golden-path') ? 'blocker' : testInfo.tags.includes('@smoke') ? 'critical' : 'normal',
    owner: testInfo.annotations.find((annotation) => annotation.type === 'owner')?.description,
  };
}
