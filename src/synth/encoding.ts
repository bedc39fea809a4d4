/**
 * Windows-1252 encoding (Node's `latin1` is ISO-8859-1 and gets € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™
 * š › œ ž Ÿ wrong) and the mojibake of text that went through the wrong encoding.
 */

/** Bytes 0x80–0x9F of Windows-1252 (undefined positions are -1). */
const HIGH = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1,
  0x017d, -1, -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, -1, 0x017e, 0x0178,
];

const ENCODE = new Uint8Array(0x10000);
const ENCODABLE = new Uint8Array(0x10000);
const DECODE: number[] = [];
for (let b = 0; b < 256; b++) {
  const cp = b >= 0x80 && b < 0xa0 ? (HIGH[b - 0x80] as number) : b;
  DECODE.push(cp < 0 ? 0xfffd : cp);
  if (cp >= 0) {
    ENCODE[cp] = b;
    ENCODABLE[cp] = 1;
  }
}

export function isCp1252Encodable(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!ENCODABLE[text.charCodeAt(i)]) return false;
  return true;
}

/** Encode to Windows-1252; characters outside it become `?` (as a legacy export would do). */
export function encodeCp1252(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = ENCODABLE[c] ? (ENCODE[c] as number) : 0x3f;
  }
  return out;
}

const NON_LATIN1 = /[^\u0000-\u00ff]/g; // eslint-disable-line no-control-regex

/** Encode into `out` at `pos` (one byte per character); returns the number of bytes written. */
export function encodeCp1252Into(text: string, out: Buffer, pos: number): number {
  const n = out.write(text, pos, 'latin1');
  // latin1 keeps the low byte of every UTF-16 unit; fix the characters above U+00FF
  NON_LATIN1.lastIndex = 0;
  for (let m = NON_LATIN1.exec(text); m; m = NON_LATIN1.exec(text)) {
    const c = text.charCodeAt(m.index);
    out[pos + m.index] = ENCODABLE[c] ? (ENCODE[c] as number) : 0x3f;
  }
  return n;
}

export function decodeCp1252(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    s += String.fromCharCode(...Array.from(chunk, (b) => DECODE[b] as number));
  }
  return s;
}

/** The text as it looks when its UTF-8 bytes are read as Windows-1252: "Müller" → "MÃ¼ller". */
export function mojibake(text: string): string {
  return decodeCp1252(Buffer.from(text, 'utf8'));
}

/**
 * Whether `mojibake(text)` is still plain Windows-1252 (so writing it into a cp1252 file gives back
 * exactly the UTF-8 bytes of `text`): false when a UTF-8 byte falls on an undefined cp1252 position.
 */
export function hasCleanMojibake(text: string): boolean {
  if (!/[^\u0000-\u007f]/.test(text)) return false; // eslint-disable-line no-control-regex
  return !mojibake(text).includes('\ufffd');
}
