// Upload page: dropping files on the drop zone puts them into its real <input type=file>, so the form
// submits them as if chosen; without JavaScript the input works on its own.
(function () {
  "use strict";

  function describe(files) {
    if (!files.length) return "";
    if (files.length === 1) return files[0].name;
    return files.length + " files: " + Array.from(files, (file) => file.name).join(", ");
  }

  function setUp(zone) {
    const input = zone.querySelector("input[type=file]");
    const chosen = zone.querySelector(".drop-chosen");
    if (!input || zone.dataset.uploadReady) return;
    zone.dataset.uploadReady = "true";
    const show = () => { chosen.textContent = describe(input.files); };

    ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("is-dragging");
    }));
    ["dragleave", "dragend"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("is-dragging")));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("is-dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
    zone.closest("form").addEventListener("submit", () => zone.classList.add("is-sending"));
    show(); // files chosen before this script ran (a fast hand, a slow page) are listed too
  }

  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll(".drop-zone").forEach(setUp));
})();
