// Status updates are pasted through tools that read UTF-8 as a single-byte code page, so ✅ arrives as
// `âœ…` (Windows-1252), `‚úÖ` (Mac Roman) or, for 🎯, `ğŸ\u008E¯` (Windows-1254, Turkish). The marks
// decide what a line states, so they are put back. Some pastes also drop the invisible C1 control a byte
// the code page leaves undefined became (`ğŸ¯`, `âŒ`): see repairDropped.

/** Characters of a single-byte code page → the byte each stands for (only the non-ASCII half matters). */
type CodePage = ReadonlyMap<string, number>;

// Windows-1252's 0x80–0x9F differ from Latin-1's C1 controls. Node's TextDecoder decodes the label
// 'windows-1252' as Latin-1 (nodejs/node#56542), so this half is spelled out; undefined bytes keep their
// C1 control, which is also what a Latin-1 reading of the same bytes produces.
const WINDOWS_1252_HIGH_CONTROLS = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function windows1252(): CodePage {
  const map = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) {
    map.set(String.fromCharCode(byte), byte); // Latin-1 reading
    if (byte >= 0xa0) continue;
    map.set(WINDOWS_1252_HIGH_CONTROLS[byte - 0x80]!, byte);
  }
  return map;
}

function macRoman(): CodePage {
  const bytes = Uint8Array.from({ length: 0x80 }, (_, index) => 0x80 + index);
  const characters = [...new TextDecoder('macintosh').decode(bytes)];
  return new Map(characters.map((character, index) => [character, 0x80 + index]));
}

/**
 * A code page Node decodes as written (Windows-1254 reads 0xF0, the lead byte of every 🎯 🚀 📊, as `ğ`
 * where Windows-1252 reads `ð`); ISO-8859-9 shares its upper half and reads 0x80–0x9F as C1 controls.
 */
function decodedCodePage(label: string): CodePage {
  const characters = [...new TextDecoder(label).decode(Uint8Array.from({ length: 0x80 }, (_, index) => 0x80 + index))];
  const map = new Map(characters.map((character, index) => [character, 0x80 + index]));
  for (let byte = 0x80; byte < 0xa0; byte++) if (!map.has(String.fromCharCode(byte))) map.set(String.fromCharCode(byte), byte);
  return map;
}

interface Reading {
  codePage: CodePage;
  /** The bytes this code page shows as an invisible C1 control, which a paste may drop. */
  invisible: number[];
}

function reading(codePage: CodePage): Reading {
  const invisible = [...codePage].filter(([character, byte]) => character.charCodeAt(0) === byte && byte < 0xa0).map(([, byte]) => byte);
  return { codePage, invisible };
}

// Windows-1252 first: it is what the issue trackers and terminals that mangle these updates use most.
const READINGS: readonly Reading[] = [windows1252(), macRoman(), decodedCodePage('windows-1254')].map(reading);

/**
 * The emoji status updates are written with. Where a dropped byte leaves several pictographs possible
 * (`ğŸ¯` may be 🍯 🎯 🏯 or 🐯), the one of these is meant; if none or several are, the text stays.
 * Written without variation selectors: a candidate is one code point.
 */
const STATUS_EMOJI = new Set([...'✅❌⚠🚨🎯🚀📊🔍💰💼📈🏗🤖🎉🔧📋🧪🔥⚡🛡📝✨💡🔴🟢🟡🟠⛔🛑✔☑⏭🏁📌🐛']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The length of the UTF-8 sequence a lead byte starts (0: not a lead byte of a multi-byte sequence). */
function sequenceLength(byte: number): number {
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

const PICTOGRAPH = /^(?:\p{Extended_Pictographic}|\uFE0F)$/u;

/**
 * Within a run of characters that all map to high bytes, each stretch whose bytes form a valid UTF-8
 * sequence becomes the character it encodes; anything else (a genuine `é` or `—`) stays as it was. A
 * space inside the run may be the no-break space 0xA0 a paste turned into one (`âš ï¸` is ⚠️): it is
 * read as that byte only where the result is a pictograph.
 */
function repairRun(characters: string[], { codePage, invisible }: Reading): string {
  const bytes = characters.map((character) => codePage.get(character === ' ' ? '\u00A0' : character)!);
  const fits = (from: number, to: number, character: string) => !characters.slice(from, to).includes(' ') || PICTOGRAPH.test(character);
  let repaired = '';
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes[index]!);
    if (length > 0 && index + length <= bytes.length) {
      try {
        const character = utf8.decode(Uint8Array.from(bytes.slice(index, index + length)));
        if (fits(index, index + length, character)) {
          repaired += character;
          index += length;
          continue;
        }
      } catch {
        // not a valid sequence: it may be one whose invisible byte was dropped (below)
      }
    }
    const dropped = length > 0 ? repairDropped(bytes.slice(index, index + length - 1), invisible) : undefined;
    if (dropped && fits(index, index + length - 1, dropped)) {
      repaired += dropped;
      index += length - 1;
      continue;
    }
    repaired += characters[index];
    index++;
  }
  return repaired;
}

/**
 * A sequence one byte short, the missing byte one the code page shows as an invisible control: the
 * character it was, when exactly one such byte makes a pictograph (or the emoji variation selector
 * U+FE0F, the `ï¸` after ⚠), preferring the emoji of status updates when several do.
 */
function repairDropped(bytes: number[], invisible: readonly number[]): string | undefined {
  const candidates = new Set<string>();
  for (let at = 1; at <= bytes.length; at++) {
    for (const byte of invisible) {
      try {
        const character = utf8.decode(Uint8Array.from([...bytes.slice(0, at), byte, ...bytes.slice(at)]));
        if (PICTOGRAPH.test(character)) candidates.add(character);
      } catch {
        // not valid UTF-8 with this byte here
      }
    }
  }
  const meant = candidates.size > 1 ? [...candidates].filter((character) => STATUS_EMOJI.has(character)) : [...candidates];
  return meant.length === 1 ? meant[0] : undefined;
}

function repairWith(text: string, reading: Reading): string {
  const characters = [...text];
  let result = '';
  let run: string[] = [];
  characters.forEach((character, index) => {
    const inRun = reading.codePage.has(character) || (character === ' ' && run.length > 0 && reading.codePage.has(characters[index + 1] ?? ''));
    if (inRun) {
      run.push(character);
      return;
    }
    if (run.length > 0) result += repairRun(run, reading);
    run = [];
    result += character;
  });
  return result + (run.length > 0 ? repairRun(run, reading) : '');
}

/** Text with UTF-8 that was read as Windows-1252, Latin-1, Mac Roman or Windows-1254 put back; other text is unchanged. */
export function repairMisencodedUtf8(text: string): string {
  return READINGS.reduce((repaired, codePage) => repairWith(repaired, codePage), text);
}
