// Search as you type in the drug referential: fills a <datalist>, keeps the chosen speciality's id
// in the hidden drug_ref field, and says when the typed name is outside the referential.
(function () {
  "use strict";
  const input = document.querySelector("[data-drug-search]");
  const hidden = document.querySelector("[data-drug-ref]");
  const list = document.getElementById("drug-options");
  const state = document.querySelector("[data-drug-state]");
  const urlNode = document.getElementById("drug-search-url");
  if (!input || !hidden || !list || !urlNode) return;
  const url = JSON.parse(urlNode.textContent);
  const known = new Map();
  let timer = null;
  let lastQuery = "";

  function say(text) {
    if (state) state.textContent = text;
  }

  function sync() {
    const id = known.get(input.value.trim().toLowerCase());
    if (id) {
      hidden.value = id;
      say("Référentiel : allergies et maximum journalier contrôlés.");
    } else if (input.value.trim()) {
      hidden.value = "";
      say("Hors référentiel : non vérifiable (ni allergies ni maximum journalier).");
    } else {
      hidden.value = "";
      say("");
    }
  }

  async function search(query) {
    if (query.length < 2 || query === lastQuery) return;
    lastQuery = query;
    try {
      const response = await fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      list.replaceChildren();
      for (const drug of data.results) {
        known.set(drug.name.toLowerCase(), String(drug.id));
        const option = document.createElement("option");
        option.value = drug.name;
        option.label = drug.substances;
        list.appendChild(option);
      }
      sync();
    } catch (error) {
      say("Recherche indisponible : le nom exact du référentiel sera reconnu à l'enregistrement.");
    }
  }

  input.addEventListener("input", function () {
    sync();
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value.trim()); }, 200);
  });
  input.addEventListener("change", sync);
  if (hidden.value && input.value) known.set(input.value.trim().toLowerCase(), hidden.value);
})();
