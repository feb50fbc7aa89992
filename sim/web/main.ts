// The explorer's script, one bundle for two places: the page (a window) and its Web Worker, which is
// started from this same script's text (a Blob URL: a page opened from disk can do that, and the
// simulator is not shipped twice). Each side's modules are evaluated only where they are used.
if (typeof document === 'undefined') {
  void import('./worker.js').then((m) => m.startWorker());
} else {
  // Only while this script runs does the document say which script it is.
  const source = document.currentScript?.textContent ?? '';
  const start = (): void => void import('./page.js').then((m) => m.startPage(source));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
