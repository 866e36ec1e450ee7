/**
 * RFC 5322 messages for the outbox export: CRLF line ends, an RFC 2047 encoded-word subject when
 * it is not ASCII, a UTF-8 text body in quoted-printable (RFC 2045) so no line is too long.
 * Small and fixed enough not to need a mail library.
 */

export interface EmlMessage {
  id: number;
  from: string;
  to: string;
  /** ISO 8601 instant. */
  date: string;
  subject: string;
  body: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `Mon, 10 Mar 2025 09:00:00 +0000` (RFC 5322 3.3), in UTC. */
export function rfc5322Date(instant: string): string {
  const d = new Date(instant);
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The subject as is when printable ASCII, else `=?UTF-8?B?…?=` words of at most 75 characters, never splitting a character. */
export function encodeHeader(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    // 45 bytes of UTF-8 are 60 of base64: with `=?UTF-8?B?` and `?=`, 72 characters a word
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** Quoted-printable of UTF-8 text: lines end in CRLF, none longer than 76 characters. */
export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line);
      const out: string[] = [];
      let current = '';
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        const token = plain
          ? String.fromCharCode(b)
          : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
        if (current.length + token.length > 75) {
          out.push(current + '=');
          current = '';
        }
        current += token;
      });
      out.push(current);
      return out.join('\r\n');
    })
    .join('\r\n');
}

export function composeEml(m: EmlMessage, domain = 'chorus-admin.dgfip.finances.gouv.fr'): string {
  const headers = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Date: ${rfc5322Date(m.date)}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Message-ID: <notification-${m.id}.${Date.parse(m.date)}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${quotedPrintable(m.body)}\r\n`;
}
