// The reader (templates/articles/document_detail.html): a click on a highlight opens its claim in the panel
// beside the text, or, where several claims cover the spot, lists them first; Escape goes back to the
// document's claim list. Without this script the list links to each claim's page.
(() => {
  "use strict";

  const panel = () => document.getElementById("claim-panel");
  const index = () => document.getElementById("claim-index");

  function openClaim(id) {
    const link = index()?.querySelector(`[data-claim="${id}"] a[data-panel-url]`);
    if (link) htmx.ajax("GET", link.dataset.panelUrl, { target: "#claim-panel" });
  }

  // The claim list, all of it (ids null) or only the claims covering a clicked spot, the innermost marked
  // and focused.
  function showIndex(ids) {
    const list = index();
    if (!list) return;
    panel().replaceChildren();
    list.hidden = false;
    const heading = list.querySelector("h2");
    heading.dataset.allLabel ??= heading.textContent;
    heading.textContent = ids ? `${ids.length} claims cover this passage` : heading.dataset.allLabel;
    for (const item of list.querySelectorAll("li[data-claim]")) {
      item.hidden = Boolean(ids) && !ids.includes(item.dataset.claim);
      item.classList.toggle("innermost", Boolean(ids) && item.dataset.claim === ids[0]);
    }
    if (ids) list.querySelector(`[data-claim="${ids[0]}"] a`)?.focus();
  }

  function filtered() {
    return Boolean(index()?.querySelector("li[data-claim][hidden]"));
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("#claim-index a[data-panel-url]");
    if (link) {
      event.preventDefault();
      openClaim(link.closest("[data-claim]").dataset.claim);
      return;
    }
    const mark = event.target.closest("#reading mark[data-claims]");
    if (!mark || !window.getSelection().isCollapsed) return; // a drag selects text, it does not open
    const ids = mark.dataset.claims.split(" ");
    if (ids.length === 1) openClaim(ids[0]);
    else showIndex(ids);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    if (event.target.closest("input, textarea, select")) return; // a half-typed form is not thrown away
    if (panel()?.childElementCount || filtered()) {
      showIndex(null);
      index()?.querySelector("h2")?.focus();
    }
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "claim-panel") {
      index().hidden = true;
      panel().focus();
    }
  });

  // Sent by the server (HX-Trigger-After-Swap) once a new claim is stored and the text redrawn.
  document.addEventListener("claim-created", (event) => openClaim(String(event.detail.id)));

  // A claim confirmed, rejected, corrected or undone in the panel: redraw the text and the claim list
  // (the server answers an htmx GET of the document with both, out of band).
  document.addEventListener("claimSaved", () => {
    if (document.getElementById("reading")) htmx.ajax("GET", window.location.pathname, { swap: "none" });
  });
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    if (event.detail.target.id === "claim-index") index().hidden = panel().childElementCount > 0;
  });

  // A link to "#claim-<id>" (from a claim's page) opens that claim beside the text and shows where it is.
  const linked = window.location.hash.match(/^#claim-(\d+)$/);
  if (linked) {
    openClaim(linked[1]);
    document.querySelector(`#reading mark[data-claims~="${linked[1]}"]`)?.scrollIntoView({ block: "center" });
  }
})();
