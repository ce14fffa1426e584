/* Running score of an evaluation grid while ticking (Algoplus, EN…).
 *
 * Mirrors the grid's scoring from the definition the server renders in <script id="evg-live-data"
 * type="application/json"> (soins.grids.engine.Grid.live). Only a preview: the score recorded is the
 * one the server computes when the form is sent.
 */
(function () {
  "use strict";

  var data = document.getElementById("evg-live-data");
  var box = document.getElementById("evg-live");
  if (!data || !box) {
    return;
  }
  var def = JSON.parse(data.textContent);
  var form = box.closest("form");
  var scoreText = box.querySelector(".evg-live-score");
  var bandText = box.querySelector(".evg-live-band");

  function answer(code) {
    var input = form.querySelector('input[name="' + def.prefix + code + '"]:checked');
    return input ? input.value : null;
  }

  function band(score) {
    var found = null;
    def.bands.forEach(function (entry) {
      if (score >= entry[0]) {
        found = entry;
      }
    });
    return found;
  }

  function update() {
    var missing = def.items.filter(function (code) { return answer(code) === null; }).length;
    var score = null;
    if (def.method === "count_true") {
      score = def.items.filter(function (code) { return answer(code) === def.yes; }).length;
      if (missing === def.items.length) {
        score = null;
      }
    } else {
      var raw = answer(def.item);
      score = raw === null ? null : parseInt(raw, 10);
    }
    box.classList.remove("evg-live-alert", "evg-live-ok");
    if (score === null || isNaN(score)) {
      scoreText.textContent = def.label + " : —";
      bandText.textContent = "cochez les réponses pour voir le score.";
      return;
    }
    var found = band(score);
    scoreText.textContent = def.label + " : " + score + " / " + def.max;
    var text = found ? found[1] : "";
    if (missing > 0) {
      text = "provisoire, " + missing + (missing > 1 ? " réponses manquantes" : " réponse manquante") +
        (text ? " — " + text : "");
    }
    bandText.textContent = text;
    if (found) {
      box.classList.add(found[2] === "alert" ? "evg-live-alert" : "evg-live-ok");
    }
    box.setAttribute("data-score", String(score));
  }

  box.hidden = false;
  form.addEventListener("change", update);
  update();
})();
