// The review queue's keyboard and focus (templates/claims/review.html). Keys press the card's own
// buttons and links, so they do exactly what a click does, with or without htmx.
(() => {
  "use strict";

  const ACTION_KEYS = new Set(["a", "e", "r", "s", "j", "k"]);
  const card = () => document.getElementById("review-card");
  const help = () => document.getElementById("review-help");
  let shown = null;

  const isTyping = (target) =>
    target instanceof Element &&
    (target.closest("input, textarea, select") !== null || target.closest("[contenteditable]") !== null);

  // A request already on its way (htmx marks its element): a second key would decide on a stale card.
  const isBusy = (element) =>
    element.classList.contains("htmx-request") || element.querySelector(".htmx-request") !== null;

  const toggleHelp = () => {
    const dialog = help();
    if (!dialog) return;
    if (dialog.open) dialog.close();
    else dialog.showModal();
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.defaultPrevented) return;
    if (isTyping(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      toggleHelp();
      return;
    }
    if (event.shiftKey || event.repeat || !ACTION_KEYS.has(event.key) || help()?.open) return;
    const current = card();
    // A card swapped in but not yet settled has controls htmx has not taken over: a click there would
    // load a whole page. Such a key (within htmx's 20 ms settle) is dropped.
    if (!current || current !== shown || isBusy(current)) return;
    const control = current.querySelector(`[data-key="${event.key}"]`);
    if (!control || control.disabled) return;
    event.preventDefault();
    control.click();
  });

  // After a swap: a new card takes the focus (keys keep working, screen readers start there) and is
  // announced; content loaded into the card (the edit form) gets the focus on its first field.
  document.addEventListener("htmx:afterSettle", () => {
    const current = card();
    if (!current) return;
    if (current !== shown) {
      shown = current;
      current.focus();
      const announce = document.getElementById("review-announce");
      if (announce) announce.textContent = current.dataset.announce || "";
      return;
    }
    const field = current.querySelector("input:not([type=hidden]), textarea, select");
    if (field && !current.contains(document.activeElement)) field.focus();
  });

  // The page as loaded, or as htmx fetched it again for the back button, is settled.
  const settled = () => {
    shown = card();
  };
  document.addEventListener("DOMContentLoaded", settled);
  document.addEventListener("htmx:historyRestore", settled);
})();
