/* Small behaviours every page may use, in place of inline event handlers (the Content-Security-Policy
   allows no inline script): a button with data-print prints the page; a field with data-autosubmit
   submits its form when changed; an element with data-bar="NN" gets that percentage as its width
   (progress bars; CSP refuses style="" attributes). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.submit();
    }
  });
  function bars(root) {
    root.querySelectorAll("[data-bar]").forEach(function (el) {
      var value = parseFloat(el.getAttribute("data-bar"));
      if (!isNaN(value)) {
        el.style.width = Math.max(0, Math.min(100, value)) + "%";
      }
    });
    root.querySelectorAll("[data-bar-left]").forEach(function (el) {
      var value = parseFloat(el.getAttribute("data-bar-left"));
      if (!isNaN(value)) {
        el.style.left = Math.max(0, Math.min(100, value)) + "%";
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bars(document); });
  } else {
    bars(document);
  }
})();
