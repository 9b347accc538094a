import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = !inFence && /^#{1,6} (.+)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]!));
  }
  return anchors;
}

/** Every Markdown link `[text](target)` outside code: external ones are left to the reader. */
function linksIn(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/.test(target));
}

test.describe('documentation links', () => {
  for (const document of DOCUMENTS) {
    test(`every link in ${document} reaches a file and a heading that exist`, () => {
      const markdown = readFileSync(join(REPO, document), 'utf8');
      const broken = linksIn(markdown).filter((link) => {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(REPO, document) : join(REPO, dirname(document), path);
        if (!existsSync(target)) return true;
        return anchor !== undefined && target.endsWith('.md') && !anchorsIn(readFileSync(target, 'utf8')).has(anchor);
      });
      expect(broken, `broken links in ${relative(REPO, join(REPO, document))}`).toEqual([]);
    });
  }

  test('the check finds a broken anchor and a missing file', () => {
    const markdown = '# Real heading\n[ok](#real-heading) [bad](#no-such-heading) [gone](docs/NOPE.md)';
    expect(linksIn(markdown)).toEqual(['#real-heading', '#no-such-heading', 'docs/NOPE.md']);
    expect(anchorsIn(markdown).has('real-heading')).toBe(true);
    expect(anchorsIn(markdown).has('no-such-heading')).toBe(false);
    expect(anchorOf('Performance (`npm run bench`)')).toBe('performance-npm-run-bench');
  });
});
