/**
 * What counts as analytics in a generated report. Shared by the step that removes it and by the check
 * that fails when any remains, so both agree on the names.
 */

/** Hosts of Google's tag and analytics services; Allure 3 loads gtag.js from the first. */
export const ANALYTICS_HOSTS = ['googletagmanager.com', 'google-analytics.com', 'analytics.google.com', 'doubleclick.net'];

/** Any mention of an analytics host, with or without a subdomain (`www.`, `region1.`). */
export const ANALYTICS_HOST_PATTERN = new RegExp(
  `(?<![a-z0-9-])(?:[a-z0-9-]+\\.)*(?:${ANALYTICS_HOSTS.map((host) => host.replaceAll('.', '\\.')).join('|')})(?![a-z0-9-])`,
  'gi',
);

/** A call of Google's tag function, as in the inline `gtag('config', …)` script. */
export const GTAG_CALL_PATTERN = /(?<![\w$.])gtag\s*\(/g;

export function isAnalyticsHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return ANALYTICS_HOSTS.some((analyticsHost) => host === analyticsHost || host.endsWith(`.${analyticsHost}`));
}
