// The validation verdict and the list of issues, built from one report of
// validate().

// Codes that can report a field that is absent, which therefore has no position.
const ABSENCE_CODES = ['missing_field', 'incomplete_recording', 'missing_parent_call_id'];

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Returns { verdict, title, detail } for a report: verdict is 'valid',
 * 'warnings' or 'invalid', the value the page exposes as data-verdict.
 */
export function describeVerdict(report, mode) {
  const errors = report.errors.length;
  const warnings = report.warnings.length;
  const inMode = `in ${mode} mode`;

  if (!report.valid) {
    const counts = warnings === 0 ? plural(errors, 'error') : `${plural(errors, 'error')} and ${plural(warnings, 'warning')}`;
    return { verdict: 'invalid', title: 'Invalid', detail: `${counts} ${inMode}.` };
  }
  if (warnings > 0) {
    return { verdict: 'warnings', title: 'Valid with warnings', detail: `${plural(warnings, 'warning')} ${inMode}.` };
  }
  return { verdict: 'valid', title: 'Valid', detail: `No issues ${inMode}.` };
}

/** Errors first, then warnings, each in the order the validator found them. */
export function reportIssues(report) {
  return [...report.errors, ...report.warnings];
}

/**
 * Describes where an issue is, counting lines from the start of the whole
 * editor text: `firstLine` is the editor line on which the payload starts.
 */
function describeLocation(issue, firstLine) {
  if (issue.line === undefined) {
    if (ABSENCE_CODES.includes(issue.code)) return 'missing';
    return issue.path === '' ? 'whole body' : 'no position';
  }
  return `line ${firstLine + issue.line - 1}, column ${issue.column}`;
}

function part(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

/**
 * Fills the <ol> with one button per issue. Buttons carry data-index (the
 * position in reportIssues()) so a click handler on the list can find the
 * issue, and data-code and data-path for tests and styling.
 */
export function renderIssues(list, issues, firstLine, activeIndex) {
  const fragment = document.createDocumentFragment();
  issues.forEach((issue, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `issue issue-${issue.severity}`;
    button.dataset.index = String(index);
    button.dataset.code = issue.code;
    button.dataset.path = issue.path;
    if (index === activeIndex) button.setAttribute('aria-current', 'true');

    const heading = document.createElement('span');
    heading.className = 'issue-heading';
    heading.append(
      part('span', `severity severity-${issue.severity}`, issue.severity),
      part('code', 'issue-path', issue.path === '' ? '(body)' : issue.path),
      part('code', 'issue-code', issue.code),
      part('span', 'issue-location', describeLocation(issue, firstLine)),
    );
    button.append(heading, part('span', 'issue-message', issue.message));

    const item = document.createElement('li');
    item.append(button);
    fragment.append(item);
  });
  list.replaceChildren(fragment);
}
