import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { test, expect } from '../../fixtures/temp-dir.ts';
import { chooseChromium } from '../../support/ui/browser.ts';
import { reportLocations, type ReportLocations } from '../../scripts/report/locations.ts';
import { findOutsideRequests, findOutsideRequestsInDirectory, type OutsideRequest } from '../../scripts/report/outside-requests.ts';
import { stripAnalytics } from '../../scripts/report/strip-analytics.ts';
import { writeSyntheticAllureResults } from '../../scripts/report/synthetic-results.ts';

// `npm run report` on synthetic Allure results in a temporary REPORTS_DIR: no chat service, no container.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SYNTHETIC_RESULTS = 12;

interface ReportRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run report` as a user runs it (tsx, the repo as working directory), with REPORTS_DIR set. */
function runReport(reportsDir: string): Promise<ReportRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/report.ts'],
      { cwd: REPO, env: { ...process.env, REPORTS_DIR: reportsDir }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

// The app renders in about 1.5 s here, also with the two cores saturated; CI runs this beside self-tests
// that start services, containers and browsers of their own, and once took longer than 15 s.
const RENDER_ALLOWANCE_MS = 30_000;

/** What the page did while it was opened: read when the report does not render, to say why. */
function watchPage(page: Page): () => string {
  const events: string[] = [];
  page.on('pageerror', (error) => events.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') events.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) => events.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('crash', () => events.push('the page crashed'));
  return () => (events.length ? events.join('\n') : 'no page error, console error, failed request or crash');
}

/** The app ran and read the report's data: its name, and the count of the synthetic results. */
async function expectRenderedReport(page: Page, url: string, whatHappened: () => string): Promise<void> {
  const started = Date.now();
  try {
    await expect(page.getByRole('heading', { name: 'Golden path' })).toBeVisible({ timeout: RENDER_ALLOWANCE_MS });
    await expect(page.getByRole('button', { name: `Results ${SYNTHETIC_RESULTS}` })).toBeVisible();
  } catch (error) {
    const shown = await page
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch(() => '(unreadable)');
    throw new Error(
      `the report at ${url} did not render in ${Date.now() - started} ms.\n` +
        `The page shows: ${JSON.stringify(shown.slice(0, 500))}\n${whatHappened()}\n${(error as Error).message}`,
    );
  }
}

const SERVED_ORIGIN = 'http://report.invalid';

/**
 * Opens each URL in Chromium (each must show the report) and returns every request that left for another
 * host, having blocked it. `servedDir` is served at SERVED_ORIGIN. Nothing reaches the network: requests
 * are stopped by the routing, and no host name resolves in this browser anyway.
 */
async function outsideRequestsWhileOpening(servedDir: string, urls: string[]): Promise<string[]> {
  const launch = chooseChromium().launchOptions;
  const browser = await chromium.launch({ ...launch, args: [...(launch.args ?? []), '--host-resolver-rules=MAP * ~NOTFOUND'] });
  try {
    const context = await browser.newContext();
    const outside: string[] = [];
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'file:' || url.protocol === 'data:') return route.continue();
      if (url.origin !== SERVED_ORIGIN) {
        outside.push(url.href);
        return route.abort('blockedbyclient');
      }
      const path = join(servedDir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
      const body = await readFile(path).catch(() => undefined);
      return body ? route.fulfill({ body, contentType: contentTypeOf(path) }) : route.fulfill({ status: 404 });
    });
    const page = await context.newPage();
    page.on('websocket', (socket) => outside.push(socket.url()));
    const whatHappened = watchPage(page);
    for (const url of urls) {
      await page.goto(url);
      await expectRenderedReport(page, url, whatHappened);
    }
    return outside;
  } finally {
    await browser.close();
  }
}

async function historyLines(locations: ReportLocations): Promise<string[]> {
  return (await readFile(locations.historyFile, 'utf8')).split('\n').filter((line) => line.trim());
}

test.describe('npm run report', () => {
  test.describe.configure({ mode: 'serial' });
  test.setTimeout(90_000);

  let reportsDir: string;
  let locations: ReportLocations;
  let firstRun: ReportRun;

  test.beforeAll(async ({ makeWorkerTempDir }) => {
    reportsDir = await makeWorkerTempDir('report-spec-');
    locations = reportLocations({ REPORTS_DIR: reportsDir });
    await writeSyntheticAllureResults(locations.resultsDir, SYNTHETIC_RESULTS);
    firstRun = await runReport(reportsDir);
  });

  test('writes the multi-file and the single-file report and prints where', async () => {
    expect(firstRun.stderr).toBe('');
    expect(firstRun.code).toBe(0);
    for (const phase of ['results', 'history', 'generate', 'strip', 'verify', 'publish']) {
      expect(firstRun.stdout).toMatch(new RegExp(`^report: ${phase} +[\\d,]+ ms `, 'm'));
    }
    expect(firstRun.stdout).toContain(join(locations.multiFileDir, 'index.html'));
    expect(firstRun.stdout).toContain(locations.singleFile);

    const multiFile = (await filesUnder(locations.multiFileDir)).map((path) => relative(locations.multiFileDir, path));
    expect(multiFile).toContain('index.html');
    expect(multiFile.filter((path) => path.startsWith('data/test-results/'))).toHaveLength(SYNTHETIC_RESULTS);
    expect(multiFile.filter((path) => path.startsWith('data/attachments/'))).toHaveLength(SYNTHETIC_RESULTS);
    expect(await readdir(locations.singleFileDir)).toEqual(['index.html']);
    expect(await readFile(locations.singleFile, 'utf8')).toContain('<title> Golden path </title>');
    // Nothing of the generation is left behind next to the reports.
    expect((await readdir(reportsDir)).sort()).toEqual(['allure-history.jsonl', 'allure-report', 'allure-report-single', 'allure-results']);
  });

  test('leaves no outside request in either report, by the check', async () => {
    // Allure did inject its analytics, and it was removed: the check below reads a report that had it.
    expect(firstRun.stdout).toMatch(/^report: strip .*googletagmanager\.com\/gtag\/js.*gtag\(\)/m);
    const multiFile = await findOutsideRequestsInDirectory(locations.multiFileDir, 'allure-report');
    const singleFile = await findOutsideRequestsInDirectory(locations.singleFileDir, 'allure-report-single');
    expect(multiFile.files).toBeGreaterThan(2 * SYNTHETIC_RESULTS);
    expect(singleFile.files).toBe(1);
    expect([...multiFile.findings, ...singleFile.findings]).toEqual([]);
  });

  test('leaves no Google analytics host in any file, by a plain search', async () => {
    const offenders: string[] = [];
    for (const path of [...(await filesUnder(locations.multiFileDir)), ...(await filesUnder(locations.singleFileDir))]) {
      const content = await readFile(path, 'latin1');
      if (/googletagmanager|google-analytics/i.test(content)) offenders.push(relative(reportsDir, path));
    }
    expect(offenders).toEqual([]);
  });

  test('opens both reports in a browser without a single request to another host', async () => {
    const outside = await outsideRequestsWhileOpening(locations.multiFileDir, [
      pathToFileURL(locations.singleFile).href, // the single file as it is used: downloaded from an issue, opened from disk
      `${SERVED_ORIGIN}/index.html`, // the multi-file report served, as a static site would
    ]);
    expect(outside).toEqual([]);
  });

  test('the browser check sees the analytics Allure injects, had they been left in', async () => {
    const planted = join(reportsDir, 'planted.html');
    const singleFile = await readFile(locations.singleFile, 'utf8');
    await writeFile(planted, singleFile.replace('</body>', `${ALLURE_ANALYTICS}</body>`));
    try {
      const outside = await outsideRequestsWhileOpening(locations.multiFileDir, [pathToFileURL(planted).href]);
      expect(outside).toEqual(['https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0']);
    } finally {
      await rm(planted);
    }
  });

  test('keeps the history and carries it into the next report', async () => {
    expect(await historyLines(locations)).toHaveLength(1);
    const firstReport = JSON.parse((await historyLines(locations))[0]!) as { name: string; uuid: string };
    expect(firstReport.name).toBe('Golden path');

    const secondRun = await runReport(reportsDir);
    expect(secondRun.stderr).toBe('');
    expect(secondRun.code).toBe(0);
    expect(secondRun.stdout).toMatch(/^report: history .* 1 earlier run\(s\) in /m);
    expect(await historyLines(locations)).toHaveLength(2);

    // Each test of the new report lists its result from the first report.
    const resultsDir = join(locations.multiFileDir, 'data', 'test-results');
    const [someResult] = await readdir(resultsDir);
    const result = JSON.parse(await readFile(join(resultsDir, someResult!), 'utf8')) as { history: Array<{ name: string }> };
    expect(result.history).toHaveLength(1);
    expect(result.history[0]!.name).toMatch(/^user \d+ logs in and gets the AI answer$/);
  });

  test('names a damaged history file instead of crashing in Allure', async ({ makeTempDir }) => {
    const damaged = await makeTempDir('report-spec-damaged-');
    const damagedLocations = reportLocations({ REPORTS_DIR: damaged });
    await writeSyntheticAllureResults(damagedLocations.resultsDir, 2);
    await writeFile(damagedLocations.historyFile, '{"uuid":"a"}\n{not json\n');
    const run = await runReport(damaged);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the report history ${damagedLocations.historyFile} is damaged: line 2 is not JSON`);
    expect(run.stderr).toContain('Fix: delete the file to start a new history');
  });
});

test.describe('npm run report with a test that attached a page loading an outside image', () => {
  test.setTimeout(60_000);

  test('publishes nothing, keeps the report for inspection and names the file and the match', async ({ makeTempDir }) => {
    const dir = await makeTempDir('report-spec-rejected-');
    const rejectedLocations = reportLocations({ REPORTS_DIR: dir });
    await writeSyntheticAllureResults(rejectedLocations.resultsDir, 2);
    // One result written by hand, in the format allure-playwright writes, with an HTML attachment.
    const uuid = randomUUID();
    await writeFile(
      join(rejectedLocations.resultsDir, `${uuid}-attachment.html`),
      '<html><body><p>captured page</p><img src="https://pixel.example.com/t.gif"></body></html>',
    );
    await writeFile(
      join(rejectedLocations.resultsDir, `${uuid}-result.json`),
      JSON.stringify({
        uuid,
        historyId: 'hand-written',
        name: 'a test that attached a captured page',
        fullName: 'tests/ui/captured.spec.ts:1:1',
        status: 'passed',
        stage: 'finished',
        statusDetails: {},
        start: Date.now() - 1000,
        stop: Date.now(),
        labels: [{ name: 'suite', value: 'ui' }],
        links: [],
        parameters: [],
        steps: [{ name: 'open the page', status: 'passed', stage: 'finished', statusDetails: {}, steps: [], attachments: [], parameters: [] }],
        attachments: [{ name: 'captured page', type: 'text/html', source: `${uuid}-attachment.html` }],
      }),
    );
    // A report of an earlier run is there: it must not pass for this run's.
    await writeSyntheticAllureResults(join(dir, 'allure-report'), 1);

    const run = await runReport(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^report: verify .* 2 outside request\(s\) in \d+ file\(s\)$/m);
    expect(run.stderr).toContain('the generated report would make 2 request(s) to other hosts, so it was not published');
    expect(run.stderr).toMatch(/^ {2}- allure-report\/data\/attachments\/\w+\.html: <img src>: https:\/\/pixel\.example\.com\/t\.gif$/m);
    expect(run.stderr).toMatch(/^ {2}- allure-report-single\/index\.html#data\/attachments\/\w+\.html: <img src>: https:\/\/pixel\.example\.com\/t\.gif$/m);
    expect((await readdir(dir)).sort()).toEqual(['allure-report-rejected', 'allure-results']);
    expect((await readdir(rejectedLocations.rejectedDir)).sort()).toEqual(['awesome', 'awesome-single']);
  });
});

test.describe('npm run report without results', () => {
  test.setTimeout(60_000);

  test('exits 2 and says to run the tests first when allure-results is missing', async ({ makeTempDir }) => {
    const empty = await makeTempDir('report-spec-empty-');
    const run = await runReport(empty);
    expect(run.code).toBe(2);
    const errorLines = run.stderr.trim().split('\n');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toBe(
      `report: no Allure results to report: ${join(empty, 'allure-results')} does not exist. ` +
        'Fix: run `npx playwright test` first (allure-playwright writes the results there), or point REPORTS_DIR at the folder that holds allure-results/',
    );
  });

  test('exits 2 when allure-results holds no test result', async ({ makeTempDir }) => {
    const empty = await makeTempDir('report-spec-empty-');
    const { resultsDir } = reportLocations({ REPORTS_DIR: empty });
    await writeSyntheticAllureResults(resultsDir, 0);
    const run = await runReport(empty);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no Allure results to report: ${resultsDir} is empty`);
    expect(run.stderr).toContain('run `npx playwright test` first');
  });
});

/** Allure 3.18.0's analytics, exactly as its awesome page template writes them. */
const ALLURE_ANALYTICS = `    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-LNDJ3J7WT0', {
          "report": "awesome",
          "allureVersion": "3.18.0",
          "reportUuid": "6df5890d-1d74-41db-aa1d-54c3f09984f6",
          "single_file": ""
        });
    </script>
`;

function page(body: string): string {
  return `<!DOCTYPE html>\n<html>\n<head>\n    <meta charset="utf-8">\n</head>\n<body>\n    <div id="app"></div>\n${body}</body>\n</html>\n`;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const kinds = (findings: OutsideRequest[]) => findings.map(({ kind }) => kind);

test.describe('the outside-request check', () => {
  test('flags the Google tag script Allure plants', () => {
    const findings = findOutsideRequests('index.html', page('    <script src="https://www.googletagmanager.com/gtag/js"></script>\n'));
    expect(findings).toEqual([{ file: 'index.html', kind: '<script src>', match: 'https://www.googletagmanager.com/gtag/js' }]);
  });

  test("flags Allure's whole analytics block, script and inline gtag() calls", () => {
    const findings = findOutsideRequests('index.html', page(ALLURE_ANALYTICS));
    expect(kinds(findings)).toEqual(['<script src>', 'analytics call', 'analytics call', 'analytics call']);
  });

  const REQUESTS: Array<[what: string, file: string, content: string, kind: string]> = [
    ['a stylesheet from a CDN', 'index.html', page('<link rel="stylesheet" href="https://cdn.example.com/x.css">'), '<link href>'],
    ['a preconnect', 'index.html', page('<link rel=preconnect href=//fonts.example.com>'), '<link href>'],
    ['an image', 'index.html', page('<img alt="" src="https://pixel.example.com/1.gif">'), '<img src>'],
    ['a srcset candidate', 'index.html', page('<img srcset="a.png 1x, https://img.example.com/b.png 2x">'), '<img srcset>'],
    ['an iframe, entity-encoded', 'index.html', page('<iframe src="https&colon;&sol;&sol;evil.example.com/"></iframe>'), '<iframe src>'],
    ['an SVG image', 'chart.svg', '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://img.example.com/x.png"/></svg>', '<image href>'],
    ['a base that re-homes every relative URL', 'index.html', page('<base href="https://elsewhere.example.com/">'), '<base href>'],
    ['a meta refresh', 'index.html', page('<meta http-equiv="refresh" content="0; url=https://elsewhere.example.com/">'), '<meta http-equiv=refresh>'],
    ['an inline style url()', 'index.html', page('<div style="background: url(https://img.example.com/bg.png)"></div>'), 'CSS url()'],
    ['a stylesheet @import', 'style.css', '@import "https://fonts.example.com/css";', 'CSS @import'],
    ['a font in a <style>', 'index.html', page('<style>@font-face { src: url("//fonts.example.com/a.woff2") }</style>'), 'CSS url()'],
    ['a fetch() in a script', 'app.js', 'fetch("https://collect.example.com/hit?id=1")', 'URL in a script'],
    ['an escaped URL in a script', 'app.js', 'const u="https:\\/\\/collect.example.com\\/hit"', 'URL in a script'],
    ['a WebSocket in a script', 'app.js', 'new WebSocket("wss://live.example.com/socket")', 'URL in a script'],
    ['a scheme-relative URL in a script', 'app.js', 's.src = "//cdn.example.com/lib.js"', 'scheme-relative URL in a script'],
    [
      'markup loading an image in report data',
      'data/test-results/1.json',
      JSON.stringify({ descriptionHtml: '<p><img src="https://pixel.example.com/x"></p>' }),
      '<img src>',
    ],
    ['an analytics host without a scheme in a script', 'app.js', 's.src = "https://" + "www.googletagmanager.com/gtag/js"', 'analytics host in a script'],
    ['an image in an HTML attachment', 'data/attachments/page.html', '<html><body><img src="https://pixel.example.com/x"></body></html>', '<img src>'],
    ['raw HTML in a Markdown attachment', 'data/attachments/notes.md', '# Notes\n\n<img src="https://pixel.example.com/x">\n', '<img src>'],
  ];
  for (const [what, file, content, kind] of REQUESTS) {
    test(`flags ${what}`, () => {
      expect(kinds(findOutsideRequests(file, content))).toContain(kind);
    });
  }

  test('reads the single-file report inside out: its base64 app and embedded data files', () => {
    const html = page(
      `<script src="data:text/javascript;base64,${base64('fetch("https://collect.example.com/")')}"></script>\n` +
        `<link rel="stylesheet" href="data:text/css;base64,${base64('body{background:url(https://img.example.com/bg.png)}')}">\n` +
        '<script defer>Promise.allSettled([' +
        `d("data/test-results/1.json","${base64(JSON.stringify({ descriptionHtml: '<img src="https://pixel.example.com/x">' }))}"),` +
        `d("data/attachments/2.md","${base64('# Log\n\n<iframe src="https://frame.example.com/"></iframe>\n')}")` +
        ']).then(function(){ window.allureReportDataReady = true; })</script>',
    );
    const findings = findOutsideRequests('allure-report-single/index.html', html);
    expect(findings.map(({ file, kind }) => `${file}: ${kind}`).sort()).toEqual([
      'allure-report-single/index.html#<link href> data:text/css: CSS url()',
      'allure-report-single/index.html#<script src> data:text/javascript: URL in a script',
      'allure-report-single/index.html#data/attachments/2.md: <iframe src>',
      'allure-report-single/index.html#data/test-results/1.json: <img src>',
    ]);
  });

  const HARMLESS: Array<[what: string, file: string, content: string]> = [
    ['the SVG namespace of inline markup', 'index.html', page('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M0 0"/></svg>')],
    ['an SVG favicon as a data: URI', 'index.html', page(`<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3C/svg%3E">`)],
    ['namespaces passed to createElementNS', 'app.js', 'document.createElementNS("http://www.w3.org/2000/svg","svg");x="http://www.w3.org/1999/xlink"'],
    ['a link the reader may click', 'index.html', page('<a href="https://allurereport.org" target="_blank">Powered by</a>')],
    ['a canonical link', 'index.html', page('<link rel="canonical" href="https://example.com/report">')],
    ['an image in a comment', 'index.html', page('<!-- <img src="https://pixel.example.com/x"> -->')],
    [
      'URLs in report data, shown as text or links',
      'data/test-results/1.json',
      JSON.stringify({ message: 'GET https://staging.example.com/health failed', links: [{ url: 'https://issues.example.com/1' }] }),
    ],
    [
      'a CI job link in the report options',
      'index.html',
      page(`<script>\n  window.allureReportOptions = ${JSON.stringify({ ci: { jobRunUrl: 'https://github.com/o/r/actions/runs/1' } })}\n</script>`),
    ],
    ["the URLs reviewed in Allure's app", 'app.js', 'a="https://localhost";b={href:"https://allurereport.org"};c="https://trace.playwright.dev",d=`${c}/`'],
    ['a scheme prefix that turns text into links', 'app.js', 'n=/^www\\./.test(r)?`https://${r}`:r;e.url=`http://${e.url}`;i=normalize("http://"+i)'],
    [
      'relative and local URLs',
      'index.html',
      page('<script src="app-1.js"></script><img src="data/attachments/1.png"><link rel=stylesheet href="/styles.css">'),
    ],
    ['a URL in a text attachment', 'data/attachments/1.txt', 'BASE_URL=https://staging.example.com'],
    ['code in a JSON or script attachment, shown as code', 'data/attachments/1.js', 'fetch("https://collect.example.com/")'],
    ['an analytics host in a binary attachment', 'data/attachments/1.png', '\x89PNG\x00www.google-analytics.com/collect'],
    [
      'the analytics quoted in the code block of a Playwright error context',
      'data/attachments/error-context.md',
      '# Test source\n\n```ts\n  12 | const tag = `<script async src="https://www.googletagmanager.com/gtag/js"></script>`;\n```\n\nand `<img src="https://pixel.example.com/x">` inline\n',
    ],
  ];
  for (const [what, file, content] of HARMLESS) {
    test(`does not flag ${what}`, () => {
      expect(findOutsideRequests(file, content)).toEqual([]);
    });
  }
});

test.describe('the analytics stripping', () => {
  test("removes Allure's two analytics elements and nothing else", () => {
    const appScripts = '    <script   src="app-b3323b2606f19801ef1b.js"></script>\n';
    const dataScript = '    <script async>\n      window.allureReportDataReady = true;\n    </script>\n';
    const { html, removed } = stripAnalytics(page(appScripts + ALLURE_ANALYTICS + dataScript));
    expect(removed).toEqual(['<script src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0">', 'inline <script> calling gtag() for G-LNDJ3J7WT0']);
    expect(html).toBe(page(appScripts + dataScript));
    expect(findOutsideRequests('index.html', html)).toEqual([]);
  });

  test('leaves a page without analytics unchanged', () => {
    const clean = page('    <script src="app.js"></script>\n');
    expect(stripAnalytics(clean)).toEqual({ html: clean, removed: [] });
  });
});

function contentTypeOf(path: string): string {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.json': 'application/json',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
  };
  return types[extname(path)] ?? 'application/octet-stream';
}
