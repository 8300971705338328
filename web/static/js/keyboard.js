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
})();
