// Status updates are pasted through tools that read UTF-8 as a single-byte code page, so ✅ arrives as
// `âœ…` (Windows-1252) or `‚úÖ` (Mac Roman). The marks decide what a line states, so they are put back.

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

// Windows-1252 first: it is what the issue trackers and terminals that mangle these updates use most.
const CODE_PAGES: readonly CodePage[] = [windows1252(), macRoman()];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The length of the UTF-8 sequence a lead byte starts (0: not a lead byte of a multi-byte sequence). */
function sequenceLength(byte: number): number {
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

/**
 * Within a run of characters that all map to high bytes, each stretch whose bytes form a valid UTF-8
 * sequence becomes the character it encodes; anything else (a genuine `é` or `—`) stays as it was.
 */
function repairRun(characters: string[], codePage: CodePage): string {
  const bytes = characters.map((character) => codePage.get(character)!);
  let repaired = '';
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes[index]!);
    if (length > 0 && index + length <= bytes.length) {
      try {
        repaired += utf8.decode(Uint8Array.from(bytes.slice(index, index + length)));
        index += length;
        continue;
      } catch {
        // not a valid sequence: keep the character as written
      }
    }
    repaired += characters[index];
    index++;
  }
  return repaired;
}

function repairWith(text: string, codePage: CodePage): string {
  let result = '';
  let run: string[] = [];
  for (const character of text) {
    if (codePage.has(character)) {
      run.push(character);
      continue;
    }
    if (run.length > 0) result += repairRun(run, codePage);
    run = [];
    result += character;
  }
  return result + (run.length > 0 ? repairRun(run, codePage) : '');
}

/** Text with UTF-8 that was read as Windows-1252, Latin-1 or Mac Roman put back; other text is unchanged. */
export function repairMisencodedUtf8(text: string): string {
  return CODE_PAGES.reduce((repaired, codePage) => repairWith(repaired, codePage), text);
}
