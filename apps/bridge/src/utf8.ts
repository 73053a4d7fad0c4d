// Cutting text by UTF-8 bytes: Pub/Sub counts attribute sizes in bytes, and a cut inside a multi-byte
// character would leave invalid UTF-8 (or a replacement character) behind.

const ELLIPSIS = '…';

/**
 * `text` if it fits in `maxBytes` of UTF-8, else its longest prefix of whole characters that fits
 * together with a trailing `…`.
 */
export function cutUtf8(text: string, maxBytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - Buffer.byteLength(ELLIPSIS));
  // Step back over continuation bytes (10xxxxxx) to the start of the character being cut.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--;
  return `${encoded.subarray(0, end).toString('utf8')}${ELLIPSIS}`;
}

/** Size of `text` in UTF-8 bytes. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
