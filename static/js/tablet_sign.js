/* The customer's signature on the tablet: signature_pad (vendored from npm) on a canvas sized for
 * the screen's pixel ratio. The drawing and the printed name are kept as a draft on the tablet
 * after every stroke, with the submission id, so a signature made offline is sent later under the
 * same id (the server stores it once). tablet.js does the sending and the queue. */
(function () {
  "use strict";

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function start() {
    var form = document.getElementById("sign-form");
    var canvas = document.getElementById("signature-pad");
    if (!form || !canvas || !window.SignaturePad) return;
    var image = form.querySelector('input[name="image"]');
    var clientId = form.querySelector('input[name="client_id"]');
    var deviceTime = form.querySelector('input[name="device_signed_at"]');
    var pad = new window.SignaturePad(canvas, { penColor: "#0b1f3a", minWidth: 1, maxWidth: 3, backgroundColor: "rgba(0,0,0,0)" });

    function resize() {
      // Keep what is drawn across a rotation (768×1024 ↔ 1024×768).
      var data = pad.isEmpty() ? null : pad.toData();
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      if (data) pad.fromData(data);
      else if (image.value) pad.fromDataURL(image.value, { width: canvas.offsetWidth, height: canvas.offsetHeight });
    }

    function remember() {
      image.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
      if (window.sdTablet) window.sdTablet.saveDraft(form);
    }

    // The draft (restored by tablet.js before this runs) brings back the id and the drawing.
    if (!clientId.value) clientId.value = uuid();
    window.addEventListener("resize", resize);
    resize();
    pad.addEventListener("endStroke", remember);
    document.getElementById("pad-clear").addEventListener("click", function () {
      pad.clear();
      remember();
    });
    form.addEventListener("sd:before-send", function () {
      if (!pad.isEmpty()) image.value = pad.toDataURL("image/png");
      deviceTime.value = new Date().toISOString();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
