/* Workshops: rewrite <time data-local-time> from UTC into the reader's own time zone (the browser's).
   Without JavaScript the UTC text, with its offset written out, stays. */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) { return; }
  var lang = document.documentElement.lang || undefined;
  var options = {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  };
  var format;
  try { format = new Intl.DateTimeFormat(lang, options); } catch (error) { return; }
  var zone = format.resolvedOptions().timeZone || "";
  document.querySelectorAll("time[data-local-time]").forEach(function (element) {
    var start = new Date(element.getAttribute("datetime"));
    var end = element.dataset.end ? new Date(element.dataset.end) : null;
    if (isNaN(start.getTime())) { return; }
    var text = end && !isNaN(end.getTime()) && format.formatRange ? format.formatRange(start, end) : format.format(start);
    element.textContent = zone ? text + " (" + zone + ")" : text;
  });
}());
