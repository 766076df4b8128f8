/* The technician's tablet: drafts kept in the browser, submits queued while the network is down,
 * photos downscaled before upload. No library, no build step.
 *
 *  <form data-draft="report-12">   every input is kept in localStorage while typing and put back
 *                                  after a reload; cleared once the server has taken the form.
 *  <form data-offline="queue">     submitted with fetch; if the network is down the form's fields
 *                                  are queued in localStorage and re-sent when `online` fires (or
 *                                  at the next page load). The server makes a re-send harmless
 *                                  (the signature's submission id, the part's idempotency key,
 *                                  the photo's hash).
 *  <form data-photo>               the chosen image is drawn on a canvas at ≤1600 px on its long
 *                                  side and sent as a JPEG (quality 0.8, lower if still > 500 KB).
 */
(function () {
  "use strict";

  var QUEUE_KEY = "sd-tablet-queue";
  var DRAFT_PREFIX = "sd-draft:";
  var MAX_SIDE = 1600;
  var MAX_BYTES = 500 * 1024;

  // --- storage ---------------------------------------------------------------------------------
  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function store(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false; // full or disabled: the form still posts normally
    }
  }
  function forget(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }

  // --- banner ----------------------------------------------------------------------------------
  function banner(kind, tone) {
    var el = document.getElementById("offline-banner");
    if (!el) return;
    var text = el.getAttribute("data-text-" + kind);
    if (!text) { el.hidden = true; return; }
    el.textContent = text;
    el.className = "offline-banner" + (tone ? " " + tone : "");
    el.hidden = false;
  }
  function showQueueState() {
    var queue = load(QUEUE_KEY, []);
    if (queue.length) banner("queued");
    else if (!navigator.onLine) banner("offline");
  }

  // --- drafts ----------------------------------------------------------------------------------
  function draftKey(form) { return DRAFT_PREFIX + form.getAttribute("data-draft"); }
  function keptHidden(form) { return (form.getAttribute("data-draft-keep") || "").split(/\s+/); }

  function draftFields(form) {
    var keep = keptHidden(form);
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "button") return;
      if (el.type === "hidden" && keep.indexOf(el.name) < 0) return;
      if (el.type === "checkbox") out[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) out[el.name] = el.value; }
      else out[el.name] = el.value;
    });
    return out;
  }
  function saveDraft(form) {
    if (!form.hasAttribute("data-draft")) return;
    store(draftKey(form), { at: Date.now(), fields: draftFields(form) });
    var note = form.querySelector("[data-draft-status]");
    if (note) note.hidden = false;
  }
  function restoreDraft(form) {
    var draft = load(draftKey(form), null);
    if (!draft || !draft.fields) return false;
    var changed = false;
    Object.keys(draft.fields).forEach(function (name) {
      var value = draft.fields[name];
      var els = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === "checkbox") { if (el.checked !== value) { el.checked = !!value; changed = true; } }
        else if (el.type === "radio") { var on = el.value === value; if (el.checked !== on) { el.checked = on; changed = true; } }
        else if (el.value !== value) { el.value = value; changed = true; }
      });
    });
    form.dispatchEvent(new CustomEvent("sd:draft-restored", { detail: draft }));
    return changed;
  }
  window.sdTablet = { saveDraft: saveDraft, banner: banner };

  // --- sending and the queue -------------------------------------------------------------------
  function entriesOf(form, extra) {
    var data = new FormData(form);
    var entries = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") entries.push([name, value]);
    });
    return entries.concat(extra || []);
  }
  function bodyOf(entries, blobs) {
    var data = new FormData();
    entries.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (blobs || []).forEach(function (b) { data.append(b[0], b[1], b[2]); });
    return data;
  }
  function post(action, body) {
    return window.fetch(action, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow",
      headers: { "X-Requested-With": "fetch" },
    });
  }
  function showPage(response) {
    return response.text().then(function (html) {
      document.open();
      document.write(html);
      document.close();
    });
  }
  function nextPage(response) {
    // The server answers the script's fetch with {"location": …}; anything else ok: reload.
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") < 0) return Promise.resolve(response.url || window.location.href);
    return response.json().then(function (body) { return body.location || window.location.href; });
  }
  function go(url) {
    var target = new URL(url, window.location.href);
    if (target.pathname === window.location.pathname && target.search === window.location.search) {
      // The same page (another #anchor would only scroll): reload it to show the new state; the
      // browser keeps the scroll position, so the technician stays where he was.
      window.location.reload();
    } else {
      window.location.assign(target.href);
    }
  }
  function settle(response, draft) {
    if (response.ok) {
      if (draft) forget(draft);
      return nextPage(response).then(function (url) { go(url); return "done"; });
    }
    if (response.status === 400) return showPage(response).then(function () { return "refused"; });
    banner("failed", "bad");
    return Promise.resolve("failed");
  }
  function enqueue(form, entries) {
    var queue = load(QUEUE_KEY, []);
    queue.push({
      action: form.action, page: window.location.pathname, entries: entries,
      draft: form.hasAttribute("data-draft") ? draftKey(form) : null, at: Date.now(),
    });
    if (!store(QUEUE_KEY, queue)) { banner("failed", "bad"); return; }
    banner("queued");
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return;
    var queue = load(QUEUE_KEY, []);
    if (!queue.length) return;
    flushing = true;
    banner("sending");
    var sent = 0;
    (function next() {
      var queue = load(QUEUE_KEY, []);
      if (!queue.length) {
        flushing = false;
        banner("sent", "ok");
        if (sent) window.setTimeout(function () { window.location.reload(); }, 600);
        return;
      }
      var job = queue[0];
      post(job.action, bodyOf(job.entries)).then(function (response) {
        store(QUEUE_KEY, load(QUEUE_KEY, []).slice(1));
        if (response.ok) {
          sent += 1;
          if (job.draft) forget(job.draft);
          next();
        } else if (response.status === 400 && job.page === window.location.pathname) {
          flushing = false;
          showPage(response); // the errors next to their fields, the typed text kept in the form
        } else {
          banner("failed", "bad");
          next();
        }
      }, function () {
        flushing = false; // still no network: keep the queue for the next `online`
        banner("queued");
      });
    })();
  }

  // --- photos ----------------------------------------------------------------------------------
  function decode(file) {
    if (window.createImageBitmap) {
      return window.createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return window.createImageBitmap(file);
      });
    }
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = reject;
      img.src = URL.createObjectURL(file);
    });
  }
  function toBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }
  function downscale(file) {
    return decode(file).then(function (img) {
      var w = img.width, h = img.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      if (img.close) img.close();
      var quality = 0.8;
      function attempt() {
        return toBlob(canvas, quality).then(function (blob) {
          if (blob && blob.size > MAX_BYTES && quality > 0.45) {
            quality -= 0.1;
            return attempt();
          }
          return blob;
        });
      }
      return attempt();
    });
  }
  function kb(n) { return Math.round(n / 1024) + " KB"; }
  function blobToDataURL(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = reject;
      reader.readAsDataURL(blob);
    });
  }
  function setupPhoto(form) {
    var input = form.querySelector('input[type="file"]');
    var status = form.querySelector("[data-photo-status]");
    var submit = form.querySelector("[data-photo-submit]");
    if (!input || !window.HTMLCanvasElement) return;
    input.addEventListener("change", function () {
      form._photo = null;
      var file = input.files && input.files[0];
      if (!file) return;
      if (submit) submit.disabled = true;
      if (status) status.textContent = "…";
      downscale(file).then(function (blob) {
        form._photo = blob;
        if (status) status.textContent = kb(file.size) + " → " + kb(blob.size);
        form.setAttribute("data-photo-ready", String(blob.size));
      }, function () {
        if (status) status.textContent = ""; // not decodable here: the server will say why
      }).then(function () { if (submit) submit.disabled = false; });
    });
  }

  // --- forms -----------------------------------------------------------------------------------
  function setupForm(form) {
    if (form.hasAttribute("data-draft")) {
      if (restoreDraft(form)) banner("draft");
      form.addEventListener("input", function () { saveDraft(form); });
      form.addEventListener("change", function () { saveDraft(form); });
    }
    if (form.hasAttribute("data-photo")) setupPhoto(form);
    if (!form.hasAttribute("data-offline") || !window.fetch || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form._sending) return; // a double tap sends once
      form._sending = true;
      Array.prototype.forEach.call(form.querySelectorAll("[data-device-time]"), function (el) {
        el.value = new Date().toISOString();
      });
      form.dispatchEvent(new CustomEvent("sd:before-send"));
      var entries = entriesOf(form);
      var blobs = [];
      if (form._photo) {
        entries = entries.filter(function (pair) { return pair[0] !== "image_data"; });
        blobs.push(["image", form._photo, "photo.jpg"]);
      } else if (form.hasAttribute("data-photo")) {
        var file = form.querySelector('input[type="file"]');
        if (file && file.files && file.files[0]) blobs.push(["image", file.files[0], file.files[0].name]);
      }
      var draft = form.hasAttribute("data-draft") ? draftKey(form) : null;
      var queueIt = function () {
        var ready = form._photo ? blobToDataURL(form._photo).then(function (url) {
          return entries.filter(function (p) { return p[0] !== "image_data"; }).concat([["image_data", url]]);
        }) : Promise.resolve(entries);
        return ready.then(function (list) { enqueue(form, list); form._sending = false; });
      };
      if (!navigator.onLine) { queueIt(); return; }
      post(form.action, bodyOf(entries, blobs)).then(function (response) {
        form._sending = false;
        return settle(response, draft);
      }, queueIt);
    });
  }

  function focusFirstError() {
    var error = document.querySelector(".field-error");
    if (!error) return;
    var row = error.closest(".form-row") || error.closest(".card") || error;
    row.scrollIntoView({ block: "center" });
    var input = row.querySelector && row.querySelector("input:not([type=hidden]), select, textarea");
    if (input) input.focus({ preventScroll: true });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft], form[data-offline], form[data-photo]"), setupForm);
    showQueueState();
    focusFirstError();
    // After document.write (a refused submit shown in place) the window keeps its listeners.
    if (!window.__sdTabletOnline) {
      window.__sdTabletOnline = true;
      window.addEventListener("online", flush);
      window.addEventListener("offline", function () { banner("offline"); });
    }
    flush();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
