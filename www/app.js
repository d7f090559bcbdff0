// Wiring of the inspector page: reads the editor, runs the validator from
// the package's browser build and keeps every panel in step with the text.
//
// The package is imported as a namespace so that a build without
// verifySignature() or signPayload() still loads, and the signature panel
// shows what is missing. The import is dynamic so that a missing pkg/ build
// shows a message on the page instead of a blank one.

import { copyText } from './clipboard.js';
import { Editor, issueRange, rootObjectRange } from './editor.js';
import { buildFieldRows, readRawFields, renderFieldRows } from './fields.js';
import { splitRecords } from './records.js';
import { describeVerdict, renderIssues, reportIssues } from './report.js';
import { SAMPLE_GROUPS, SAMPLES } from './samples.js';
import { buildShareUrl, decodeState, maskPayloadText } from './share.js';
import { checkSignature, signNow } from './signature.js';

// Long enough to skip the work between keystrokes of steady typing, short
// enough that the result seems to follow the text.
const VALIDATE_DELAY_MS = 150;

// A textarea becomes sluggish with tens of megabytes in it on any machine,
// and the validator's own limit is 1 MiB per payload.
// NOTE: the figure is a judgement, not a measurement.
const MAX_FILE_BYTES = 16 * 1024 * 1024;

// Chat tools and issue trackers start cutting links somewhere past this size.
const LONG_LINK_CHARS = 8000;

const $ = (id) => document.getElementById(id);

const elements = {
  textarea: $('payload'),
  editorBox: $('editor'),
  dropHint: $('drop-hint'),
  fileInput: $('file-input'),
  samplesMenu: $('samples-menu'),
  samplesPanel: $('samples-panel'),
  modeInputs: [...document.querySelectorAll('input[name="mode"]')],
  shareButton: $('share-button'),
  maskButton: $('mask-button'),
  actionStatus: $('action-status'),
  records: $('records'),
  previousRecord: $('previous-record'),
  nextRecord: $('next-record'),
  nextInvalidRecord: $('next-invalid-record'),
  recordPosition: $('record-position'),
  recordSummary: $('record-summary'),
  signatureHeader: $('signature-header'),
  signingSecret: $('signing-secret'),
  toggleSecret: $('toggle-secret'),
  signButton: $('sign-button'),
  results: $('results'),
  verdict: $('verdict'),
  verdictTitle: $('verdict-title'),
  verdictDetail: $('verdict-detail'),
  signatureVerdict: $('signature-verdict'),
  signatureTitle: $('signature-title'),
  signatureCode: $('signature-code'),
  signatureDetail: $('signature-detail'),
  issues: $('issues'),
  issuesEmpty: $('issues-empty'),
  fieldsNote: $('fields-note'),
  fieldsTable: $('fields'),
  fieldsBody: $('fields-body'),
  copyDialog: $('copy-dialog'),
  copyDialogClose: $('copy-dialog-close'),
};

const editor = new Editor({
  textarea: elements.textarea,
  highlights: $('highlights'),
  gutter: $('gutter-lines'),
});

// Everything the panels are drawn from. The signing secret is not here,
// because it is read from its input only when a check runs.
const view = {
  ready: false,
  meanings: undefined,
  mode: 'lenient',
  records: [],
  ndjson: false,
  reports: [],
  current: 0,
  activeIssue: undefined,
  // Reports by record text for the current mode, so that editing one line
  // of a long log does not validate every other line again.
  cache: new Map(),
};

let validateTimer;

// The package's browser build, once start() has imported it.
let callstatus;

// ---- Validation ----

function validateRecord(text) {
  let report = view.cache.get(text);
  if (report === undefined) {
    report = callstatus.validate(text, { mode: view.mode });
    view.cache.set(text, report);
  }
  return report;
}

/** Returns the index of the record that contains the caret, or of the last one before it. */
function recordAtCaret() {
  const caret = elements.textarea.selectionStart;
  let found = 0;
  view.records.forEach((record, index) => {
    if (record.start <= caret) found = index;
  });
  return found;
}

/** Splits and validates the whole text, then redraws. */
function analyse() {
  clearTimeout(validateTimer);
  if (!view.ready) return;

  const split = splitRecords(editor.text);
  view.ndjson = split.ndjson;
  view.records = split.records;

  const previousCache = view.cache;
  view.cache = new Map();
  view.reports = view.records.map((record) => {
    const cached = previousCache.get(record.text);
    if (cached !== undefined) view.cache.set(record.text, cached);
    return validateRecord(record.text);
  });

  view.current = view.ndjson ? recordAtCaret() : 0;
  render();
}

function scheduleAnalyse() {
  elements.results.dataset.pending = 'true';
  clearTimeout(validateTimer);
  validateTimer = setTimeout(analyse, VALIDATE_DELAY_MS);
}

// ---- Rendering ----

function currentRecord() {
  return view.records[view.current];
}

function currentReport() {
  return view.reports[view.current];
}

function isEmpty() {
  return editor.text.trim() === '';
}

function render() {
  renderVerdict();
  renderIssueList();
  renderEditorMarks();
  renderRecordNavigation();
  renderFields();
  renderSignature();
  elements.results.dataset.pending = 'false';
}

/** Writes text only when it changed, so live regions announce real changes only. */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function renderVerdict() {
  if (isEmpty()) {
    elements.verdict.dataset.verdict = 'empty';
    setText(elements.verdictTitle, 'Nothing to check yet');
    setText(elements.verdictDetail, 'Paste a payload, open a file or pick a sample.');
    return;
  }

  const { verdict, title, detail } = describeVerdict(currentReport(), view.mode);
  const where = view.ndjson ? `Payload ${view.current + 1} of ${view.records.length}: ` : '';
  elements.verdict.dataset.verdict = verdict;
  setText(elements.verdictTitle, title);
  setText(elements.verdictDetail, where + detail);
}

function renderIssueList() {
  const issues = isEmpty() ? [] : reportIssues(currentReport());
  renderIssues(elements.issues, issues, currentRecord().line, view.activeIssue);
  elements.issues.hidden = issues.length === 0;
  elements.issuesEmpty.hidden = issues.length > 0;
  setText(elements.issuesEmpty, isEmpty() ? 'No payload yet.' : 'No issues.');
}

/** Returns the editor range an issue points at, or the root object's for an absent field. */
function issueEditorRange(issue) {
  const record = currentRecord();
  const range = issueRange(record.text, issue) ?? rootObjectRange(record.text);
  return { start: record.start + range.start, end: record.start + range.end };
}

function renderEditorMarks() {
  const marks = [];
  const lineKinds = new Map();
  const addLineKind = (line, kind) => {
    const kinds = lineKinds.get(line) ?? new Set();
    kinds.add(kind);
    lineKinds.set(line, kinds);
  };

  if (!isEmpty()) {
    const record = currentRecord();
    const issues = reportIssues(currentReport());

    if (view.ndjson) {
      marks.push({ start: record.start, end: record.start + record.text.length, kind: 'record' });
      addLineKind(record.line, 'current');
      view.records.forEach((other, index) => {
        const report = view.reports[index];
        if (!report.valid) addLineKind(other.line, 'error');
        else if (report.warnings.length > 0) addLineKind(other.line, 'warning');
      });
    }

    issues.forEach((issue, index) => {
      const range = issueRange(record.text, issue);
      if (range === null) return;
      const start = record.start + range.start;
      const end = record.start + range.end;
      marks.push({ start, end, kind: issue.severity });
      if (index === view.activeIssue) marks.push({ start, end, kind: 'active' });
      if (!view.ndjson) addLineKind(record.line + issue.line - 1, issue.severity);
    });
  }

  const kindLists = new Map([...lineKinds].map(([line, kinds]) => [line, [...kinds]]));
  editor.render(marks, kindLists);
}

function renderRecordNavigation() {
  elements.records.hidden = !view.ndjson;
  if (!view.ndjson) return;

  const total = view.records.length;
  const invalid = view.reports.filter((report) => !report.valid).length;
  setText(elements.recordPosition, `payload ${view.current + 1} of ${total}`);
  setText(elements.recordSummary, `${total - invalid} valid, ${invalid} invalid`);
  elements.previousRecord.disabled = view.current === 0;
  elements.nextRecord.disabled = view.current === total - 1;
  elements.nextInvalidRecord.disabled = invalid === 0 || (invalid === 1 && !currentReport().valid);
}

function renderFields() {
  if (isEmpty()) {
    elements.fieldsTable.hidden = true;
    setText(elements.fieldsNote, 'The fields of the payload appear here.');
    return;
  }

  const report = currentReport();
  const source = report.payload ?? readRawFields(currentRecord().text);
  if (source === undefined) {
    elements.fieldsTable.hidden = true;
    setText(elements.fieldsNote, 'No fields to show, because the body is not a JSON object.');
    return;
  }

  elements.fieldsTable.hidden = false;
  elements.fieldsTable.dataset.source = report.payload === undefined ? 'raw' : 'normalised';
  setText(
    elements.fieldsNote,
    report.payload === undefined
      ? 'Raw values, because the payload is invalid. Where a key appears twice, this shows its first value, the one the validator checked.'
      : 'The normalised payload that parse() returns.',
  );
  renderFieldRows(elements.fieldsBody, buildFieldRows(source, reportIssues(report), view.meanings));
}

function renderSignature() {
  const body = isEmpty() ? '' : currentRecord().text;
  const result = checkSignature(callstatus, body, elements.signatureHeader.value, elements.signingSecret.value);

  elements.signatureVerdict.dataset.state = result.state;
  elements.signatureVerdict.dataset.code = result.code ?? '';
  setText(elements.signatureTitle, result.title);
  setText(elements.signatureCode, result.code ?? '');
  elements.signatureCode.hidden = result.code === undefined;
  setText(elements.signatureDetail, result.detail);
  elements.signButton.hidden = typeof callstatus.signPayload !== 'function';
}

// ---- Actions ----

function showStatus(message) {
  elements.actionStatus.textContent = message;
}

/** Replaces the editor text and validates at once, without the typing delay. */
function loadText(text, { record = 0 } = {}) {
  editor.setText(text);
  view.activeIssue = undefined;
  if (!view.ready) return;
  analyse();
  if (view.ndjson && record > 0 && record < view.records.length) {
    goToRecord(record);
  }
}

function goToRecord(index) {
  view.current = index;
  view.activeIssue = undefined;
  editor.moveCaret(view.records[index].start);
  render();
}

function selectIssue(index) {
  const issue = reportIssues(currentReport())[index];
  if (issue === undefined) return;
  view.activeIssue = index;
  const { start, end } = issueEditorRange(issue);
  renderIssueList();
  renderEditorMarks();
  editor.select(start, end);
}

function setMode(mode) {
  view.mode = mode;
  view.cache = new Map();
  for (const input of elements.modeInputs) input.checked = input.value === mode;
  analyse();
}

function buildSamplesMenu() {
  const fragment = document.createDocumentFragment();
  for (const group of SAMPLE_GROUPS) {
    const heading = document.createElement('p');
    heading.className = 'menu-group';
    heading.id = `samples-${group.id}`;
    heading.textContent = group.label;

    const list = document.createElement('ul');
    list.setAttribute('aria-labelledby', heading.id);
    for (const sample of SAMPLES.filter((candidate) => candidate.group === group.id)) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'menu-item';
      button.dataset.sample = sample.id;

      const label = document.createElement('span');
      label.className = 'menu-item-label';
      label.textContent = sample.label;
      const description = document.createElement('span');
      description.className = 'menu-item-description';
      description.textContent = sample.description;
      button.append(label, description);

      const item = document.createElement('li');
      item.append(button);
      list.append(item);
    }
    fragment.append(heading, list);
  }
  elements.samplesPanel.replaceChildren(fragment);
}

function closeSamplesMenu({ focusSummary }) {
  if (!elements.samplesMenu.open) return;
  elements.samplesMenu.open = false;
  if (focusSummary) elements.samplesMenu.querySelector('summary').focus();
}

async function openFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    showStatus(`${file.name} is ${Math.round(file.size / 1048576)} MiB, but the inspector opens files of at most ${MAX_FILE_BYTES / 1048576} MiB. Validate large logs with the callstatus CLI instead.`);
    return;
  }
  try {
    loadText(await file.text());
    showStatus(`Opened ${file.name}.`);
  } catch (error) {
    showStatus(`Could not read ${file.name}: ${error.message}`);
  }
}

async function shareLink() {
  const url = buildShareUrl(location.href, {
    text: editor.text,
    mode: view.mode,
    header: elements.signatureHeader.value,
    record: view.ndjson ? view.current : 0,
  });
  // replaceState keeps the page from restoring its own link on hashchange.
  history.replaceState(null, '', url);

  const outcome = await copyText(url, elements.copyDialog, 'Copy the link');
  const size = url.length > LONG_LINK_CHARS ? ` It is ${Math.round(url.length / 1000)} kB long, which some chat tools cut.` : '';
  const contents = 'It contains the payload, the mode and the signature header, never the secret.';
  showStatus(outcome === 'copied' ? `Link copied. ${contents}${size}` : `Link ready to copy. ${contents}${size}`);
}

async function copyMasked() {
  if (isEmpty()) {
    showStatus('The editor is empty, so there is nothing to copy.');
    return;
  }
  const masked = maskPayloadText(currentRecord().text);
  const outcome = await copyText(masked, elements.copyDialog, 'Copy the masked payload');
  const subject = view.ndjson ? `Payload ${view.current + 1}` : 'The payload';
  showStatus(`${subject} ${outcome === 'copied' ? 'was copied' : 'is ready to copy'} with the from and to numbers partly hidden.`);
}

/** Restores a view from the link fragment. Returns whether it did. */
function restoreFromFragment() {
  if (location.hash.length <= 1) return false;
  let state;
  try {
    state = decodeState(location.hash);
  } catch (error) {
    showStatus(`This link could not be opened, because ${error.message}.`);
    return false;
  }

  view.mode = state.mode;
  view.cache = new Map();
  for (const input of elements.modeInputs) input.checked = input.value === state.mode;
  elements.signatureHeader.value = state.header;
  loadText(state.text, { record: state.record });
  showStatus('Opened the payload from the link.');
  return true;
}

function signCurrentPayload() {
  const secret = elements.signingSecret.value;
  if (secret === '' || isEmpty()) {
    showStatus('Enter a payload and the signing secret first.');
    return;
  }
  const header = signNow(callstatus, currentRecord().text, secret);
  if (header === undefined) return;
  elements.signatureHeader.value = header;
  renderSignature();
  showStatus('Header filled with a signature made now.');
}

// ---- Events ----

function wireEvents() {
  elements.textarea.addEventListener('input', () => {
    view.activeIssue = undefined;
    scheduleAnalyse();
  });

  // In a log, the payload shown is the one under the caret.
  const followCaret = () => {
    if (!view.ready || !view.ndjson || elements.results.dataset.pending === 'true') return;
    const index = recordAtCaret();
    if (index !== view.current) {
      view.current = index;
      view.activeIssue = undefined;
      render();
    }
  };
  elements.textarea.addEventListener('click', followCaret);
  elements.textarea.addEventListener('keyup', followCaret);

  // Escape takes a keyboard user from the selected text back to its issue.
  elements.textarea.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || view.activeIssue === undefined) return;
    const button = elements.issues.querySelector(`button[data-index="${view.activeIssue}"]`);
    if (button !== null) {
      event.preventDefault();
      button.focus();
    }
  });

  elements.issues.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-index]');
    if (button !== null) selectIssue(Number(button.dataset.index));
  });

  for (const input of elements.modeInputs) {
    input.addEventListener('change', () => {
      if (input.checked) setMode(input.value);
    });
  }

  elements.samplesPanel.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-sample]');
    if (button === null) return;
    const sample = SAMPLES.find((candidate) => candidate.id === button.dataset.sample);
    closeSamplesMenu({ focusSummary: true });
    loadText(sample.text);
    showStatus(`Loaded the sample "${sample.label}".`);
  });
  elements.samplesMenu.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeSamplesMenu({ focusSummary: true });
  });
  document.addEventListener('click', (event) => {
    if (!elements.samplesMenu.contains(event.target)) closeSamplesMenu({ focusSummary: false });
  });

  elements.fileInput.addEventListener('change', () => {
    const [file] = elements.fileInput.files;
    // Clearing the input lets the same file be opened again after edits.
    elements.fileInput.value = '';
    if (file !== undefined) openFile(file);
  });

  wireFileDrop();

  elements.previousRecord.addEventListener('click', () => goToRecord(Math.max(0, view.current - 1)));
  elements.nextRecord.addEventListener('click', () => goToRecord(Math.min(view.records.length - 1, view.current + 1)));
  elements.nextInvalidRecord.addEventListener('click', () => {
    const total = view.records.length;
    for (let step = 1; step <= total; step++) {
      const index = (view.current + step) % total;
      if (!view.reports[index].valid) {
        goToRecord(index);
        return;
      }
    }
  });

  elements.signatureHeader.addEventListener('input', scheduleAnalyse);
  elements.signingSecret.addEventListener('input', scheduleAnalyse);
  elements.toggleSecret.addEventListener('click', () => {
    const show = elements.signingSecret.type === 'password';
    elements.signingSecret.type = show ? 'text' : 'password';
    elements.toggleSecret.setAttribute('aria-pressed', String(show));
    elements.toggleSecret.textContent = show ? 'Hide' : 'Show';
  });
  elements.signButton.addEventListener('click', signCurrentPayload);
  $('signature-form').addEventListener('submit', (event) => event.preventDefault());

  elements.shareButton.addEventListener('click', shareLink);
  elements.maskButton.addEventListener('click', copyMasked);
  elements.copyDialogClose.addEventListener('click', () => elements.copyDialog.close());

  window.addEventListener('hashchange', restoreFromFragment);
}

function wireFileDrop() {
  const hasFiles = (event) => event.dataTransfer !== null && [...event.dataTransfer.types].includes('Files');

  elements.editorBox.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    elements.dropHint.hidden = false;
  });
  elements.editorBox.addEventListener('dragleave', (event) => {
    if (!elements.editorBox.contains(event.relatedTarget)) elements.dropHint.hidden = true;
  });
  elements.editorBox.addEventListener('drop', (event) => {
    elements.dropHint.hidden = true;
    if (!hasFiles(event)) return;
    event.preventDefault();
    const [file] = event.dataTransfer.files;
    if (file !== undefined) openFile(file);
  });
}

// ---- Start ----

async function start() {
  buildSamplesMenu();
  wireEvents();

  try {
    callstatus = await import('/pkg/web/index.js');
    await callstatus.init();
  } catch (error) {
    elements.verdict.dataset.verdict = 'failed';
    setText(elements.verdictTitle, 'The validator did not load');
    setText(elements.verdictDetail, `Loading /pkg/web/ failed (${error.message}). Build it with \`make pkg\` and reload.`);
    return;
  }

  view.meanings = callstatus.meanings();
  view.ready = true;
  if (!restoreFromFragment()) analyse();
}

start();
