// Actor picker (templates/sources/_actor_picker.html): an ARIA combobox whose listbox htmx fills from
// actor-autocomplete. This script only handles choosing: the keyboard (ArrowUp/ArrowDown, Enter, Escape),
// clicks, and the hidden fields <name> (actor id) and <name>_new (name for a new actor). Each picker keeps
// its own state, so several on one page stay independent; pickers htmx swaps in later are set up too.
(function () {
  "use strict";

  function setUp(picker) {
    if (picker.dataset.pickerReady) return;
    picker.dataset.pickerReady = "true";
    const input = picker.querySelector("[role=combobox]");
    const listbox = picker.querySelector("[role=listbox]");
    const chosen = picker.querySelector("[data-picker-chosen]");
    const newName = picker.querySelector("[data-picker-new]");
    let active = -1;

    const options = () => Array.from(listbox.querySelectorAll("[role=option]"));

    function open() {
      const hasOptions = listbox.children.length > 0;
      listbox.hidden = !hasOptions;
      input.setAttribute("aria-expanded", hasOptions ? "true" : "false");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function pick(option) {
      if (option.dataset.newName !== undefined) {
        newName.value = option.dataset.newName;
        chosen.value = "";
        input.value = option.dataset.newName;
      } else {
        chosen.value = option.dataset.actorId;
        newName.value = "";
        input.value = option.dataset.actorName;
      }
      input.setCustomValidity("");
      close();
      picker.dispatchEvent(new CustomEvent("actor-picked", { bubbles: true, detail: { id: chosen.value, newName: newName.value } }));
    }

    listbox.addEventListener("htmx:afterSwap", () => {
      options().forEach((option, i) => { option.id = `${listbox.id}-${i}`; });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (document.activeElement === input) open();
    });

    input.addEventListener("input", () => {
      // The typed text no longer names the chosen actor: nothing is chosen until an option is picked.
      chosen.value = "";
      newName.value = "";
      input.setCustomValidity("");
    });

    input.addEventListener("keydown", (event) => {
      const isOpen = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen) open();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && isOpen && active >= 0) {
        event.preventDefault();
        pick(options()[active]);
      } else if (event.key === "Escape" && isOpen) {
        event.preventDefault();
        close();
      }
    });

    // mousedown would blur the input before the click lands; keep the focus where the user typed.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) pick(option);
    });

    picker.addEventListener("focusout", (event) => {
      if (!picker.contains(event.relatedTarget)) close();
    });

    if (input.form) {
      input.form.addEventListener("submit", (event) => {
        if (input.value.trim() && !chosen.value && !newName.value) {
          event.preventDefault();
          input.setCustomValidity(listbox.querySelector("[data-new-name]")
            ? "Pick an actor from the list, or “＋ new actor”."
            : "Pick an actor from the list.");
          input.reportValidity();
        }
      });
    }
  }

  function setUpAll(root) {
    if (root.matches && root.matches("[data-actor-picker]")) setUp(root);
    root.querySelectorAll("[data-actor-picker]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", () => setUpAll(document));
  document.addEventListener("htmx:load", (event) => setUpAll(event.target));
})();
