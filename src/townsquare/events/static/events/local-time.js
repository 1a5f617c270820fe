// Shows event times in the viewer's own time zone. The server writes each time in the event's
// zone as <time datetime="UTC" data-local-time="datetime|date|time|long" data-event-zone="…">;
// where the viewer's zone differs, the text becomes the viewer's time and the event's own time
// moves to the title. Elements marked [data-your-zone] are filled with the viewer's zone name
// and un-hidden. Without JavaScript the event's own times stay, each labelled with its zone.
(function () {
  "use strict";
  var viewerZone;
  try {
    viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!viewerZone) return;

  var OPTIONS = {
    datetime: { weekday: "short", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
    long: { weekday: "long", day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
    date: { weekday: "short", day: "numeric", month: "short", year: "numeric" },
    time: { hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  };

  function rewrite(element) {
    var eventZone = element.getAttribute("data-event-zone");
    if (!eventZone || eventZone === viewerZone) return;
    var moment = new Date(element.getAttribute("datetime"));
    if (isNaN(moment.getTime())) return;
    var style = OPTIONS[element.getAttribute("data-local-time")] || OPTIONS.datetime;
    var options = Object.assign({ timeZone: viewerZone }, style);
    var original = element.textContent.trim();
    element.textContent = new Intl.DateTimeFormat(undefined, options).format(moment);
    element.setAttribute("title", "Event time: " + original + " (" + eventZone + ")");
    element.classList.add("is-viewer-time");
  }

  function run() {
    document.querySelectorAll("time[data-local-time]").forEach(rewrite);
    document.querySelectorAll("[data-your-zone]").forEach(function (element) {
      var eventZone = element.getAttribute("data-event-zone");
      if (eventZone && eventZone === viewerZone) return;
      var slot = element.querySelector("[data-your-zone-name]");
      if (slot) slot.textContent = viewerZone;
      element.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
  document.addEventListener("htmx:afterSwap", run);
})();
