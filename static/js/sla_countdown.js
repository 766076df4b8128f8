/* SLA countdown for the dispatcher's admin pages. No library, no CDN.
 *
 * The server renders each clock as
 *   <span class="sd-sla sd-sla--ok" data-sla-state="ok" data-sla-due="ISO" data-sla-warn="ISO">
 *     <b class="sd-sla-label">…</b> <time datetime="ISO">…</time> <span class="sd-sla-left">…</span></span>
 * and the page carries its strings and the server's clock in <script id="sd-sla-i18n" type="application/json">.
 * Every second the remaining time is recomputed from the absolute deadline (so a tab left open or
 * asleep never drifts), and a running clock turns warning/breached when it crosses its moments.
 * Paused and finished clocks do not tick. List pages reload themselves every `refresh` seconds
 * while the dispatcher is idle (nothing ticked, no field focused, tab visible).
 */
(function () {
  "use strict";

  var TICKING = { ok: true, warning: true, breached: true };
  var i18n = null;
  var skew = 0; // server time minus this browser's time, in ms

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : "";
    });
  }

  function span(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400);
    var h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60);
    if (d > 0) return fill(i18n.dh, { d: d, h: h });
    if (h > 0) return fill(i18n.hm, { h: h, m: m });
    if (m > 0) return fill(i18n.m, { m: m });
    return fill(i18n.s, { s: s % 60 });
  }

  function update(el, now) {
    var state = el.getAttribute("data-sla-state");
    if (!TICKING[state]) return;
    var due = Date.parse(el.getAttribute("data-sla-due"));
    if (isNaN(due)) return;
    var warn = Date.parse(el.getAttribute("data-sla-warn") || "");
    var left = due - now;
    var next = left <= 0 ? "breached" : !isNaN(warn) && now >= warn ? "warning" : "ok";
    if (next !== state) {
      el.classList.remove("sd-sla--" + state);
      el.classList.add("sd-sla--" + next);
      el.setAttribute("data-sla-state", next);
      var label = el.querySelector(".sd-sla-label");
      if (label && i18n.states[next]) label.textContent = i18n.states[next];
    }
    var out = el.querySelector(".sd-sla-left");
    if (out) out.textContent = fill(left > 0 ? i18n.left : i18n.over, { t: span(left) });
  }

  function tick() {
    var now = Date.now() + skew;
    var clocks = document.querySelectorAll("[data-sla-state]");
    for (var i = 0; i < clocks.length; i++) update(clocks[i], now);
  }

  function busy() {
    if (document.hidden) return true;
    if (document.querySelector("input.action-select:checked, #action-toggle:checked")) return true;
    var active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.id !== "searchbar") return true;
    var selection = window.getSelection && window.getSelection();
    return !!(selection && String(selection).length);
  }

  function scheduleRefresh(seconds) {
    window.setTimeout(function again() {
      if (busy()) {
        window.setTimeout(again, 10000);
        return;
      }
      // replace(): a GET of the same list with its filters, never a re-sent form.
      window.location.replace(window.location.href);
    }, seconds * 1000);
  }

  function start() {
    var data = document.getElementById("sd-sla-i18n");
    if (!data) return;
    try {
      i18n = JSON.parse(data.textContent);
    } catch (e) {
      return;
    }
    var serverNow = Date.parse(i18n.server_now);
    if (!isNaN(serverNow)) skew = serverNow - Date.now();
    tick();
    window.setInterval(tick, 1000);
    if (i18n.refresh > 0) scheduleRefresh(i18n.refresh);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
