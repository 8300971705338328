// Suggest people while typing "@" in a comment (text areas marked data-mentions='["Name", …]').
// Up and down choose, Enter or Tab takes the name, Escape closes; a click works too. Without
// JavaScript a person types the name after "@" and the server finds it all the same.
(function () {
  var counter = 0;
  document.querySelectorAll("textarea[data-mentions]").forEach(function (area) {
    var names;
    try { names = JSON.parse(area.dataset.mentions); } catch (e) { return; }
    if (!names.length) { return; }
    var wrap = document.createElement("div");
    wrap.className = "mention-wrap";
    area.parentNode.insertBefore(wrap, area);
    wrap.appendChild(area);
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = "mention-list-" + (++counter);
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrap.appendChild(list);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    var matches = [], active = 0, start = -1;

    function query() {
      var before = area.value.slice(0, area.selectionStart);
      var at = before.lastIndexOf("@");
      if (at < 0 || (at > 0 && /[\w]/.test(before.charAt(at - 1)))) { return null; }
      var typed = before.slice(at + 1);
      if (typed.length > 40 || /\n/.test(typed)) { return null; }
      start = at;
      return typed.toLocaleLowerCase();
    }
    function close() { list.hidden = true; area.removeAttribute("aria-activedescendant"); }
    function show() {
      list.innerHTML = "";
      matches.forEach(function (name, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", i === active ? "true" : "false");
        item.textContent = name;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); take(i); });
        list.appendChild(item);
      });
      list.hidden = !matches.length;
      if (matches.length) { area.setAttribute("aria-activedescendant", list.id + "-" + active); }
    }
    function take(i) {
      var name = matches[i];
      var end = area.selectionStart;
      area.value = area.value.slice(0, start) + "@" + name + " " + area.value.slice(end);
      var caret = start + name.length + 2;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    }
    area.addEventListener("input", function () {
      var typed = query();
      if (typed === null) { close(); return; }
      matches = names.filter(function (name) {
        var lower = name.toLocaleLowerCase();
        return lower.indexOf(typed) === 0 || lower.indexOf(" " + typed) > 0;
      }).slice(0, 6);
      active = 0;
      show();
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
        show();
        event.preventDefault();
      } else if (event.key === "Enter" || event.key === "Tab") {
        take(active);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });
    area.addEventListener("blur", close);
  });
})();
