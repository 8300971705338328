// Keyboard and screen-reader help on every page; each page works without it.
(function () {
  // A refused form comes back with its fields marked: put the focus on the first field in
  // error (its message is read with it, through aria-describedby), else on the error message.
  var main = document.getElementById("main");
  if (main) {
    var target = main.querySelector("[aria-invalid=true]") ||
                 main.querySelector("[data-error-summary], .flash-error[role=alert]");
    if (target) {
      if (!target.matches("input, select, textarea, button, a[href]")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  }

  // Escape closes an open menu (the "My labs" dropdown) and gives the focus back to it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    document.querySelectorAll("details.dropdown[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      if (menu.contains(document.activeElement) || document.activeElement === document.body) {
        menu.querySelector("summary").focus();
      }
    });
  });

  // A table wider than the screen scrolls sideways in its wrapper: make the wrapper reachable
  // and scrollable by keyboard, named after the table's caption or the heading above it.
  function labelOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) { return node.textContent.trim(); }
    }
    var heading = wrap.closest("section, article");
    heading = heading && heading.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }
  function reachable() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("data-made-reachable", "");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", labelOf(wrap));
        }
      } else if (!scrolls && wrap.hasAttribute("data-made-reachable")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("data-made-reachable");
      }
    });
  }
  reachable();
  window.addEventListener("resize", reachable);
})();
