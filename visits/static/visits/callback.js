/* The callback questionnaire, keyboard first: 1–4 rate the highlighted question and move to the next,
   Enter saves and opens the next callback (the "Save and next" button). No framework, no build. */
(function () {
  "use strict";
  var form = document.querySelector("[data-callback-form]");
  if (!form) { return; }
  var groups = Array.prototype.slice.call(form.querySelectorAll("[data-rating]"));
  var current = 0;

  function mark() {
    groups.forEach(function (group, i) { group.classList.toggle("rating-active", i === current); });
  }
  function typing(el) {
    if (!el) { return false; }
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
    return el.tagName === "INPUT" && el.type !== "radio" && el.type !== "checkbox";
  }
  groups.forEach(function (group, i) {
    group.addEventListener("focusin", function () { current = i; mark(); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var el = document.activeElement;
    if (/^[1-4]$/.test(event.key) && groups.length && !typing(el)) {
      var input = groups[current].querySelector('input[value="' + event.key + '"]');
      if (!input) { return; }
      event.preventDefault();
      input.checked = true;
      current = Math.min(current + 1, groups.length - 1);
      var next = groups[current].querySelector("input:checked") || groups[current].querySelector("input");
      if (next) { next.focus(); }
      mark();
    } else if (event.key === "Enter" && !event.shiftKey && el && form.contains(el) &&
               el.tagName !== "TEXTAREA" && el.tagName !== "BUTTON" && el.tagName !== "A") {
      event.preventDefault();
      var submitter = form.querySelector('button[name="next"]');
      if (form.requestSubmit) { form.requestSubmit(submitter); } else { submitter.click(); }
    }
  });
  mark();
}());
