import { knownSecrets } from './secrets.ts';

/**
 * The one redactor every piece of evidence passes through before it is written: attachments, service
 * logs, the verdict, and (after the run) every file under reports/ and test-results/, traces included.
 * Patterns catch what has a shape (JWTs, Authorization headers, cookies, secret-named fields, secrets in
 * URLs); the run's registered secrets catch what has none (a generated password), also when they are
 * URL- or base64-encoded.
 */

export const REDACTED = '[REDACTED]';

// The three dot-separated parts of a JWS; an alg:none token has an empty signature.
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// Any `jwt-auth.<credential>` subprotocol, also one that is not a well-formed JWT.
const JWT_SUBPROTOCOL = /(jwt-auth\.)[^\s,"'\\]+/g;
const BEARER = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/g;
// Header lines and JSON fields named like secrets, with their value in quotes (JSON, possibly escaped
// inside another JSON string) or bare up to the end of the value.
const SECRET_NAMES =
  'authorization|cookie|set-cookie|password|passwd|secret|jwt_secret|client_secret|access_token|refresh_token|id_token|token|ticket|api[-_]?key|x-api-key|bypass[-_]?key|x-test-bypass-key|private[-_]?key|signing[-_]?key';
const QUOTED_SECRET_FIELD = new RegExp(`((?:\\\\*")(?:${SECRET_NAMES})(?:\\\\*")\\s*:\\s*(?:\\\\*"))((?:[^"\\\\]|\\\\(?!"))*)`, 'gi');
const HEADER_LINE = new RegExp(`(^|\\n|[{,]\\s*)((?:${SECRET_NAMES})\\s*:\\s*)([^\\n,}]+)`, 'gi');
// Headers as Playwright's traces and HAR store them: {"name":"cookie","value":"..."}.
const NAME_VALUE_PAIR = new RegExp(`("name"\\s*:\\s*"(?:${SECRET_NAMES})"\\s*,\\s*"value"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)`, 'gi');
const URL_PARAMETER = /([?&;#](?:token|access_token|refresh_token|id_token|ticket|password|key|secret|code)=)[^&\s"'#<]+/gi;
const FORM_FIELD = /(^|[&\s])((?:password|passwd|token|ticket|secret)=)[^&\s"']+/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:)[^@\s/"']+@/gi;
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
// Long enough to carry a token; shorter base64-looking runs (ids, hashes) are not worth decoding.
const BASE64_RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: readonly string[] = knownSecrets()) {
    // Longest first, so a secret that contains another is removed whole.
    this.secrets = [...new Set(secrets.flatMap(encodedForms))].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    result = result
      .replace(PRIVATE_KEY, REDACTED)
      .replace(GITHUB_TOKEN, REDACTED)
      .replace(JWT, REDACTED)
      .replace(JWT_SUBPROTOCOL, `$1${REDACTED}`)
      .replace(BEARER, `$1$2${REDACTED}`)
      .replace(QUOTED_SECRET_FIELD, (_match, prefix: string, value: string) =>
        value === '' || value === REDACTED ? `${prefix}${value}` : `${prefix}${REDACTED}`,
      )
      .replace(NAME_VALUE_PAIR, `$1${REDACTED}`)
      .replace(HEADER_LINE, (match, start: string, name: string, value: string) =>
        value.includes(REDACTED) || value.trim().startsWith('"') ? match : `${start}${name}${REDACTED}`,
      )
      .replace(URL_PARAMETER, `$1${REDACTED}`)
      .replace(FORM_FIELD, `$1$2${REDACTED}`)
      .replace(URL_USERINFO, `$1${REDACTED}@`);
    return result.replace(BASE64_RUN, (run) => (this.hidesSecret(run) ? REDACTED : run));
  }

  /** A deep copy with every string redacted; keys named like secrets lose their value whatever it is. */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }

  /** Whether a base64 run decodes to text that carries a secret. */
  private hidesSecret(run: string): boolean {
    const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
    if (!looksLikeText(decoded)) return false;
    const stripped = decoded.replace(/[^\x20-\x7e]/g, '');
    return this.redactPlain(stripped) !== stripped;
  }

  /** The non-recursive part of redact(), for decoded base64 (which must not be decoded again). */
  private redactPlain(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result.replace(JWT, REDACTED).replace(JWT_SUBPROTOCOL, `$1${REDACTED}`).replace(BEARER, `$1$2${REDACTED}`);
  }
}

/** The forms a secret takes on the way to a file: as is, URL-encoded, JSON-escaped, base64 (both alphabets, all three alignments). */
export function encodedForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  for (const base64 of alignedBase64(secret)) forms.push(base64, base64.replace(/\+/g, '-').replace(/\//g, '_'));
  return forms.filter((form) => form.length >= 6);
}

/**
 * Inside a longer base64 text a secret's encoding depends on where it starts modulo 3; these are the
 * stable middle parts of all three, so the secret is found whatever precedes it.
 */
function alignedBase64(secret: string): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.from(`${'\0'.repeat(offset)}${secret}`)
      .toString('base64')
      .replace(/=+$/, '');
    const start = offset === 0 ? 0 : offset + 1;
    // A final partial group's last character also holds bits of whatever byte follows.
    const endsMidGroup = (offset + Buffer.byteLength(secret)) % 3 !== 0;
    return encoded.slice(start, endsMidGroup ? -1 : undefined);
  });
}

function looksLikeText(decoded: string): boolean {
  if (decoded.length === 0) return false;
  let printable = 0;
  for (const char of decoded) {
    const code = char.charCodeAt(0);
    if ((code >= 0x20 && code < 0x7f) || code === 0x0a || code === 0x0d || code === 0x09) printable++;
  }
  return printable / decoded.length > 0.85;
}

/** The process-wide redactor, rebuilt when the run registers new secrets. */
let shared: { redactor: Redactor; secretCount: number } | undefined;
export function redactor(): Redactor {
  const secrets = knownSecrets();
  if (!shared || shared.secretCount !== secrets.length) shared = { redactor: new Redactor(secrets), secretCount: secrets.length };
  return shared.redactor;
}

export function redact(text: string): string {
  return redactor().redact(text);
}
