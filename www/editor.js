// The payload editor: a <textarea> with a line-number gutter and a
// highlight layer drawn behind it, plus the conversion from the
// validator's line/column positions to textarea indices.
//
// The validator counts lines from 1, split at "\n" only, and columns from 1
// in Unicode code points. A textarea indexes UTF-16 code units, where a
// character outside the Basic Multilingual Plane (an emoji, say) takes two
// units, so the two differ after any such character.

/** Returns whether the UTF-16 unit at `index` starts a surrogate pair. */
function startsSurrogatePair(text, index) {
  const unit = text.charCodeAt(index);
  if (unit < 0xd800 || unit > 0xdbff || index + 1 >= text.length) return false;
  const next = text.charCodeAt(index + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

/**
 * Converts a 1-based line and code-point column to a UTF-16 index into
 * `text`. A position past the end of its line stops at the line break, and
 * one past the last line stops at the end of the text.
 */
export function lineColumnToIndex(text, line, column) {
  let index = 0;
  for (let current = 1; current < line; current++) {
    const newline = text.indexOf('\n', index);
    if (newline === -1) return text.length;
    index = newline + 1;
  }

  for (let current = 1; current < column; current++) {
    if (index >= text.length || text[index] === '\n') break;
    index += startsSurrogatePair(text, index) ? 2 : 1;
  }
  return index;
}

/**
 * Returns the UTF-16 range { start, end } that an issue points at in
 * `text`, or null when the issue has no position (a missing field, an
 * oversized body). A syntax error at the end of the text gives an empty
 * range there.
 */
export function issueRange(text, issue) {
  if (issue.line === undefined || issue.column === undefined) return null;

  const start = lineColumnToIndex(text, issue.line, issue.column);
  let end = start;
  if (issue.endLine !== undefined && issue.endColumn !== undefined) {
    end = Math.max(start, lineColumnToIndex(text, issue.endLine, issue.endColumn));
  }
  return { start, end };
}

/**
 * Returns the range of the root object's opening brace, where a missing
 * field belongs, or an empty range at the first non-blank character when
 * the text does not start with an object.
 */
export function rootObjectRange(text) {
  const start = text.search(/\S/);
  if (start === -1) return { start: text.length, end: text.length };
  return { start, end: text[start] === '{' ? start + 1 : start };
}

/** Number of the line (from 1) that contains UTF-16 index `index`. */
export function lineOfIndex(text, index) {
  let line = 1;
  let position = text.indexOf('\n');
  while (position !== -1 && position < index) {
    line++;
    position = text.indexOf('\n', position + 1);
  }
  return line;
}

// Highlight kinds, weakest first: where marks overlap, the stronger one is drawn.
const MARK_PRIORITY = { record: 1, warning: 2, error: 3, active: 4 };

/** Cuts `text` into runs, each with the strongest mark covering all of it. */
function highlightRuns(text, marks) {
  const boundaries = new Set([0, text.length]);
  for (const mark of marks) {
    boundaries.add(mark.start);
    boundaries.add(mark.end);
  }
  const points = [...boundaries].sort((a, b) => a - b);

  const runs = [];
  for (let index = 0; index + 1 < points.length; index++) {
    const start = points[index];
    const end = points[index + 1];
    let kind;
    for (const mark of marks) {
      const covers = mark.start <= start && mark.end >= end && mark.start < mark.end;
      if (covers && (kind === undefined || MARK_PRIORITY[mark.kind] > MARK_PRIORITY[kind])) {
        kind = mark.kind;
      }
    }
    runs.push({ start, end, kind });
  }
  return runs;
}

/**
 * Wraps the editor elements. The textarea stays the only thing a user
 * types into or a screen reader reads. The gutter and the highlight layer
 * are aria-hidden copies kept under it, scrolled in step.
 */
export class Editor {
  constructor({ textarea, highlights, gutter }) {
    this.textarea = textarea;
    this.highlights = highlights;
    this.gutter = gutter;

    // style.css pads this box so the layer can always scroll as far as the textarea.
    this.highlightText = document.createElement('div');
    this.highlights.append(this.highlightText);

    this.textarea.addEventListener('scroll', () => this.syncScroll());
  }

  get text() {
    return this.textarea.value;
  }

  /** Replaces the whole text, scrolls to the top and puts the caret there. */
  setText(text) {
    this.textarea.value = text;
    this.textarea.setSelectionRange(0, 0);
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.syncScroll();
  }

  /**
   * Redraws the highlight layer and the gutter. `marks` are UTF-16 ranges
   * { start, end, kind } with kind 'error', 'warning', 'active' or
   * 'record'. `lineKinds` maps a line number to an array of gutter kinds:
   * 'error', 'warning' and 'current'.
   */
  render(marks, lineKinds) {
    const text = this.text;
    this.renderHighlights(text, marks);
    this.renderGutter(text, lineKinds);
    this.syncScroll();
  }

  renderHighlights(text, marks) {
    const fragment = document.createDocumentFragment();

    // An empty range (a syntax error at the very end) is drawn as a caret-like bar.
    const emptyMarks = marks.filter((mark) => mark.start === mark.end && mark.kind !== 'record');
    const emptyAt = new Map(emptyMarks.map((mark) => [mark.start, mark.kind]));

    for (const run of highlightRuns(text, marks)) {
      if (emptyAt.has(run.start)) {
        fragment.append(this.createMark('', emptyAt.get(run.start), true));
        emptyAt.delete(run.start);
      }
      const slice = text.slice(run.start, run.end);
      fragment.append(run.kind === undefined ? document.createTextNode(slice) : this.createMark(slice, run.kind, false));
    }
    for (const kind of emptyAt.values()) {
      fragment.append(this.createMark('', kind, true));
    }

    // Preformatted text drops the height of a final empty line, which a
    // textarea keeps, so one extra character keeps that line open.
    fragment.append(document.createTextNode(' '));
    this.highlightText.replaceChildren(fragment);
  }

  createMark(text, kind, empty) {
    const mark = document.createElement('mark');
    mark.className = `mark-${kind}${empty ? ' mark-empty' : ''}`;
    mark.textContent = text;
    return mark;
  }

  renderGutter(text, lineKinds) {
    let lineCount = 1;
    for (let position = text.indexOf('\n'); position !== -1; position = text.indexOf('\n', position + 1)) {
      lineCount++;
    }

    const fragment = document.createDocumentFragment();
    for (let line = 1; line <= lineCount; line++) {
      const number = document.createElement('div');
      number.textContent = String(line);
      const kinds = lineKinds.get(line);
      if (kinds !== undefined) number.className = kinds.map((kind) => `line-${kind}`).join(' ');
      fragment.append(number);
    }
    this.gutter.replaceChildren(fragment);
    this.gutter.style.setProperty('--digits', String(String(lineCount).length));
  }

  syncScroll() {
    this.highlights.scrollTop = this.textarea.scrollTop;
    this.highlights.scrollLeft = this.textarea.scrollLeft;
    this.gutter.parentElement.scrollTop = this.textarea.scrollTop;
  }

  /** Focuses the textarea, selects [start, end) and scrolls it into view. */
  select(start, end) {
    this.textarea.focus({ preventScroll: true });
    this.textarea.setSelectionRange(start, end);
    this.scrollIntoView(start, end);
  }

  /** Puts the caret at `index` and scrolls there, without taking focus. */
  moveCaret(index) {
    this.textarea.setSelectionRange(index, index);
    this.scrollIntoView(index, index);
  }

  /**
   * Scrolls so that [start, end) is visible, with some context above it and
   * its whole width on screen when it fits. The textarea does not wrap
   * lines, so a line's offset is its number times the line height.
   */
  scrollIntoView(start, end) {
    const text = this.text;
    const area = this.textarea;
    const style = getComputedStyle(area);
    const lineHeight = parseFloat(style.lineHeight);
    const paddingTop = parseFloat(style.paddingTop);
    const paddingLeft = parseFloat(style.paddingLeft);

    const top = paddingTop + (lineOfIndex(text, start) - 1) * lineHeight;
    if (top < area.scrollTop || top + lineHeight > area.scrollTop + area.clientHeight) {
      area.scrollTop = Math.max(0, top - area.clientHeight / 3);
    }

    // Columns are estimated from the width of a digit: exact for ASCII in a
    // monospace font, and close enough to bring wide characters on screen.
    const width = this.characterWidth();
    const lineStart = start === 0 ? 0 : text.lastIndexOf('\n', start - 1) + 1;
    const left = paddingLeft + (start - lineStart) * width;
    const right = paddingLeft + (Math.max(start, end) - lineStart) * width;
    const margin = 4 * width;
    const visibleLeft = area.scrollLeft;
    const visibleRight = area.scrollLeft + area.clientWidth;
    if (left - margin < visibleLeft || right + margin > visibleRight) {
      // Show the end as well when the range fits, else start at the range.
      const fitsWhole = right - left + 2 * margin <= area.clientWidth;
      const target = fitsWhole ? Math.max(right + margin - area.clientWidth, 0) : left - margin;
      area.scrollLeft = Math.max(0, Math.min(target, left - margin));
    }
    this.syncScroll();
  }

  characterWidth() {
    if (this.measuredWidth === undefined || this.measuredWidth === 0) {
      const probe = document.createElement('span');
      probe.textContent = '0'.repeat(20);
      this.highlights.append(probe);
      this.measuredWidth = probe.getBoundingClientRect().width / 20;
      probe.remove();
    }
    return this.measuredWidth || 8;
  }
}
