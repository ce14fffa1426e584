// Messagerie : filtre de la liste des personnes destinataires (amélioration progressive : sans
// JavaScript, la liste complète reste utilisable).
(function () {
  "use strict";
  var filter = document.querySelector("[data-msg-filter]");
  var people = document.querySelector("[data-msg-people]");
  if (!filter || !people) {
    return;
  }
  var input = filter.querySelector("input");
  var normalise = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  filter.hidden = false;
  input.addEventListener("input", function () {
    var wanted = normalise(input.value.trim());
    people.querySelectorAll("label").forEach(function (label) {
      var box = label.querySelector("input");
      label.hidden = wanted !== "" && !(box && box.checked) && normalise(label.textContent).indexOf(wanted) === -1;
    });
  });
})();
