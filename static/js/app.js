// Page-wide behaviour: when an htmx request fails, say so where messages appear, instead of nothing
// happening. 409 and 422 are swapped as fragments (see htmx-config in base.html), so they never land here.
(() => {
  "use strict";
  const REASONS = {
    400: "The request was not understood.",
    403: "You are not allowed to do that. Sign in with an editor account.",
    404: "That item no longer exists.",
    405: "That action is not available here.",
    503: "The database is unavailable; nothing was saved. Try again in a moment.",
  };

  const say = (text) => {
    const messages = document.getElementById("messages");
    if (!messages) return;
    const message = document.createElement("p");
    message.className = "message message-error";
    message.textContent = text;
    messages.replaceChildren(message);
  };

  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    say(REASONS[status] || `The server could not do that (error ${status}). Nothing was changed; try again.`);
  });
  document.addEventListener("htmx:sendError", () => {
    say("The server could not be reached. Nothing was saved; check the connection and try again.");
  });
})();
