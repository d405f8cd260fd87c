/* Tandem: keyboard shortcuts and small progressive enhancements. No inline script is allowed (CSP). */
(function () {
  "use strict";

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function firstField(container) {
    return container.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.key === "c") {
      var form = document.querySelector("[data-shortcut=contact]");
      var field = form && firstField(form);
      if (field) {
        event.preventDefault();
        form.scrollIntoView({block: "start"});
        field.focus();
      }
    } else if (event.key === "/") {
      var search = document.querySelector("[data-shortcut=search]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    }
  });

  // The closure reason matters only when the case closes: hide it otherwise (it stays in the page without JS).
  function syncClosureReason() {
    var reason = document.getElementById("id_closure_reason");
    if (!reason) return;
    var wrapper = reason.closest(".field");
    var closing = document.querySelector("input[name=to_state][value=closed]:checked");
    if (wrapper) wrapper.hidden = !closing && !wrapper.classList.contains("field--error");
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "to_state") syncClosureReason();
  });
  document.addEventListener("DOMContentLoaded", syncClosureReason);

  // After a contact is recorded through htmx, move focus to the confirmation so screen readers hear it.
  document.addEventListener("htmx:afterSettle", function () {
    var status = document.querySelector("#add-contact [role=status], #add-contact [role=alert]");
    if (status) {
      status.setAttribute("tabindex", "-1");
      status.focus();
    }
  });
})();
