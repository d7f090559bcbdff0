// Splitting the editor text into the payloads it contains: one JSON document,
// or an NDJSON log with one payload per line.

/**
 * Splits `text` into records { text, start, line }: `start` is the UTF-16
 * index of the record in `text` and `line` its 1-based line number.
 *
 * The text counts as NDJSON when it has at least two non-blank lines and
 * every one of them, trimmed, starts with "{" and ends with "}". A line that
 * looks like an object but is not valid JSON stays a record of its own, so
 * the validator reports its syntax error instead of the whole log failing
 * as one document. A pretty-printed object never qualifies, because its
 * first line is a lone "{". Anything else is a single record.
 */
export function splitRecords(text) {
  const lines = [];
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    // A CR before the LF belongs to the line break, not to the payload.
    const content = text.slice(start, end).replace(/\r$/, '');
    if (content.trim() !== '') {
      lines.push({ text: content, start, line });
    }
    if (newline === -1) break;
    start = newline + 1;
    line++;
  }

  const looksLikeLog =
    lines.length >= 2 &&
    lines.every((record) => {
      const trimmed = record.text.trim();
      return trimmed.startsWith('{') && trimmed.endsWith('}');
    });

  if (looksLikeLog) {
    return { ndjson: true, records: lines };
  }
  return { ndjson: false, records: [{ text, start: 0, line: 1 }] };
}
