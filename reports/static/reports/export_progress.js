// Polls an export job's progress.json and shows the bar, then the download link. No dependencies.
(function () {
  "use strict";
  var box = document.querySelector("[data-export-progress]");
  if (!box) return;
  var url = box.getAttribute("data-export-progress");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-label]");
  var link = box.querySelector("[data-download]");
  var error = box.querySelector("[data-error]");
  var delay = 1000;

  function show(job) {
    bar.value = job.progress;
    label.textContent = job.status_label + " · " + job.progress + "% (" + job.rows_done + " / " + job.rows_total + ")";
    if (job.download_url) {
      link.href = job.download_url;
      link.hidden = false;
      return true;
    }
    if (job.status === "failed") {
      error.textContent = job.error;
      error.hidden = false;
      return true;
    }
    return false;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (job) { if (!show(job)) { delay = Math.min(delay * 1.3, 5000); setTimeout(poll, delay); } })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
