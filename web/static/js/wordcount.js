// A live word count for a text area marked data-word-count="<id of its output>": the output
// says how many words there are against its data-min (Kemendagri's 300 for a design). The
// server shows the same count when the page loads; this only keeps it current while typing.
document.querySelectorAll("textarea[data-word-count]").forEach(function (area) {
  var output = document.getElementById(area.dataset.wordCount);
  if (!output) { return; }
  var min = Number(output.dataset.min);
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  function update() {
    var words = area.value.trim().split(/\s+/).filter(Boolean).length;
    var enough = words >= min;
    var template = enough ? output.dataset.templateEnough : output.dataset.template;
    output.textContent = template.replace("{n}", format.format(words))
                                 .replace("{min}", format.format(min));
    output.classList.toggle("words-enough", enough);
    output.classList.toggle("words-short", !enough);
  }
  area.addEventListener("input", update);
});
