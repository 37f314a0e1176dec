// The span picker (templates/claims/_span_picker.html): select words inside a container of [data-offset]
// elements, press Source / Cue / Content (or 1 / 2 / 3) and the selection becomes a chip posting
// "role:start:end" in document offsets. Listeners sit on the document, so pickers that htmx swaps in work.
(() => {
  "use strict";

  const ROLES = ["source", "cue", "content"];
  const KEYS = { 1: "source", 2: "cue", 3: "content" };
  const canHighlight = Boolean(window.CSS && CSS.highlights && window.Highlight);

  const pickers = () => [...document.querySelectorAll("[data-span-picker]")];
  const sourceOf = (picker) => document.querySelector(picker.dataset.spanSource);
  const toolbarOf = (picker) => picker.querySelector(".span-toolbar");

  // The document offset of a boundary point: inside a [data-offset] element it is that element's offset
  // plus the characters before the point; elsewhere (between blocks, in a post's header) it snaps to the
  // next piece of text for a start and to the end of the previous one for an end.
  function offsetAt(root, node, offset, isEnd) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const holder = element && element.closest("[data-offset]");
    if (holder && root.contains(holder)) {
      const before = document.createRange();
      before.setStart(holder, 0);
      before.setEnd(node, offset);
      return Number(holder.dataset.offset) + before.toString().length;
    }
    const point = document.createRange();
    point.setStart(node, offset);
    const holders = [...root.querySelectorAll("[data-offset]")];
    if (isEnd) {
      const last = holders.filter((el) => point.comparePoint(el, el.childNodes.length) <= 0).pop();
      return last ? Number(last.dataset.offset) + last.textContent.length : null;
    }
    const first = holders.find((el) => point.comparePoint(el, 0) >= 0);
    return first ? Number(first.dataset.offset) : null;
  }

  // The current selection's part inside `root` as {start, end, text, rect}, or null.
  function selectionIn(root) {
    const selection = window.getSelection();
    if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0).cloneRange();
    if (!range.intersectsNode(root)) return null;
    if (!root.contains(range.startContainer)) range.setStart(root, 0);
    if (!root.contains(range.endContainer)) range.setEnd(root, root.childNodes.length);
    const start = offsetAt(root, range.startContainer, range.startOffset, false);
    const end = offsetAt(root, range.endContainer, range.endOffset, true);
    const text = range.toString().replace(/\s+/g, " ").trim();
    if (start === null || end === null || end <= start || !text) return null;
    return { start, end, text, rect: range.getBoundingClientRect() };
  }

  // A DOM position for a document offset inside `root`, for drawing the draft's pieces.
  function pointAt(root, offset, isEnd) {
    for (const holder of root.querySelectorAll("[data-offset]")) {
      const from = Number(holder.dataset.offset);
      const length = holder.textContent.length;
      if (offset < from || offset > from + length || (!isEnd && offset === from + length)) continue;
      let rest = offset - from;
      const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (rest <= node.length) return [node, rest];
        rest -= node.length;
      }
    }
    return null;
  }

  const chipsOf = (picker) => [...picker.querySelectorAll(".span-chip input[name=span]")].map((input) => {
    const [role, start, end] = input.value.split(":");
    return { role, start: Number(start), end: Number(end) };
  });

  // Draw every picker's pieces over its text with the CSS Custom Highlight API (no DOM changes, so the
  // offsets of the text stay as they are); browsers without it simply show the chips.
  function drawPieces() {
    if (!canHighlight) return;
    const ranges = Object.fromEntries(ROLES.map((role) => [role, []]));
    for (const picker of pickers()) {
      const root = sourceOf(picker);
      if (!root) continue;
      for (const piece of chipsOf(picker)) {
        const start = pointAt(root, piece.start, false);
        const end = pointAt(root, piece.end, true);
        if (!start || !end || !ranges[piece.role]) continue;
        const range = document.createRange();
        range.setStart(...start);
        range.setEnd(...end);
        ranges[piece.role].push(range);
      }
    }
    for (const role of ROLES) CSS.highlights.set(`draft-${role}`, new Highlight(...ranges[role]));
  }

  let pending = null; // {picker, start, end, text} while a selection can be marked

  function hideToolbars() {
    pending = null;
    for (const picker of pickers()) toolbarOf(picker).hidden = true;
  }

  function showToolbar() {
    hideToolbars();
    for (const picker of pickers()) {
      const chosen = selectionIn(sourceOf(picker));
      if (!chosen) continue;
      const toolbar = toolbarOf(picker);
      toolbar.hidden = false;
      // CSSOM properties are allowed by our style-src 'self' policy (style attributes in markup are not).
      const left = Math.min(chosen.rect.left, window.innerWidth - toolbar.offsetWidth - 8);
      const below = chosen.rect.bottom + 6;
      const top = below + toolbar.offsetHeight > window.innerHeight ? chosen.rect.top - toolbar.offsetHeight - 6 : below;
      toolbar.style.left = `${Math.max(8, left)}px`;
      toolbar.style.top = `${Math.max(8, top)}px`;
      pending = { picker, ...chosen };
      return;
    }
  }

  function addPiece(role) {
    if (!pending) return;
    const { picker, start, end, text } = pending;
    const value = `${role}:${start}:${end}`;
    const list = picker.querySelector(".span-chips");
    if (!chipsOf(picker).some((piece) => `${piece.role}:${piece.start}:${piece.end}` === value)) {
      const chip = picker.querySelector(".span-chip-template").content.firstElementChild.cloneNode(true);
      const shown = text.length > 80 ? `${text.slice(0, 79)}…` : text;
      chip.classList.add(`chip-${role}`);
      chip.querySelector("input").value = value;
      chip.querySelector(".chip-role").textContent = role;
      chip.querySelector(".chip-text").textContent = shown;
      chip.querySelector(".chip-remove").setAttribute("aria-label", `Remove ${role} “${shown.slice(0, 40)}”`);
      list.append(chip);
    }
    window.getSelection().removeAllRanges();
    hideToolbars();
    drawPieces();
    picker.dispatchEvent(new CustomEvent("spanpicker:change", { bubbles: true, detail: { role, start, end } }));
  }

  let scheduled = false;
  document.addEventListener("selectionchange", () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      showToolbar();
    });
  });

  // Keep the selection when a toolbar button is pressed.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest(".span-toolbar")) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".span-toolbar button[data-role]");
    if (button) {
      addPiece(button.dataset.role);
      return;
    }
    const remove = event.target.closest(".span-chip .chip-remove");
    if (remove) {
      const picker = remove.closest("[data-span-picker]");
      const chip = remove.closest(".span-chip");
      const next = chip.nextElementSibling || chip.previousElementSibling;
      chip.remove();
      (next ? next.querySelector(".chip-remove") : picker.querySelector(".span-picker-hint"))?.focus();
      drawPieces();
      picker.dispatchEvent(new CustomEvent("spanpicker:change", { bubbles: true }));
    }
  });

  // Capture phase, so Escape hides the toolbar before the page's own Escape handling sees it.
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.target.closest("input, textarea, select, [contenteditable]")) return;
      if (KEYS[event.key]) {
        showToolbar(); // the selection may have changed since the last frame
        if (!pending) return;
        event.preventDefault();
        addPiece(KEYS[event.key]);
      } else if (event.key === "Escape" && pending) {
        event.preventDefault();
        hideToolbars();
      }
    },
    true,
  );

  document.addEventListener("htmx:afterSettle", drawPieces);
  window.addEventListener("scroll", () => pending && showToolbar(), { passive: true });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawPieces);
  else drawPieces();
})();
