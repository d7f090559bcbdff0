// Copying to the clipboard, with a dialog to copy by hand where the
// Clipboard API is missing (an insecure context) or rejects the write (no permission).

/**
 * Copies `text`. Resolves to 'copied', or to 'dialog' after showing `text`
 * selected in the fallback dialog. `dialog` is a <dialog> holding a
 * heading, a <textarea> and a close button.
 */
export async function copyText(text, dialog, heading) {
  if (navigator.clipboard !== undefined && typeof navigator.clipboard.writeText === 'function') {
    try {
      await navigator.clipboard.writeText(text);
      return 'copied';
    } catch {
      // Permission denied or the document lost focus: the dialog below still works.
    }
  }

  dialog.querySelector('h2').textContent = heading;
  const area = dialog.querySelector('textarea');
  area.value = text;
  if (!dialog.open) dialog.showModal();
  area.focus();
  area.select();
  return 'dialog';
}
