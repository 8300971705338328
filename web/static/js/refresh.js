// A page with [data-refresh=N] reloads itself every N seconds while it waits for
// background work (an activation in progress).
(function () {
  var el = document.querySelector("[data-refresh]");
  if (!el) { return; }
  var seconds = Math.max(1, Number(el.getAttribute("data-refresh")) || 5);
  setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
