// Keyboard shortcuts for the linkage review: S same, D different, U unsure. Each presses the form's own
// button (so the CSRF token and the skip list go with it); nothing happens while typing in a field.
"use strict";
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select")) return;
  const button = document.querySelector(`[data-review-form] button[data-key="${event.key.toLowerCase()}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  }
});
