// Check-in page: keeps the counts fresh while several doors check people in, and keeps the code
// field focused so a scanner (which types the code and presses Enter) always lands in it.
// Without JavaScript the form still posts and the page shows the same counts after each scan.
(function () {
  "use strict";
  var box = document.getElementById("checkin-counts");
  if (!box) return;
  var url = box.getAttribute("data-counts-url");
  var field = document.getElementById("id_code");

  function refresh() {
    if (document.hidden) return;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (!counts) return;
        ["checked_in", "remaining", "confirmed"].forEach(function (key) {
          var cell = box.querySelector('[data-count="' + key + '"]');
          if (cell && typeof counts[key] === "number") cell.textContent = String(counts[key]);
        });
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  window.setInterval(refresh, 5000);
  if (field) {
    field.value = "";
    field.focus();
  }
})();
