// Writing a transmission: show the DAR fields or the note (the chosen mode), and prefill the
// theme from the chosen cible. Without this script both sections stay visible and the chosen
// type decides what is saved.
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("form.tr-write");
    if (!form) {
      return;
    }
    var radios = form.querySelectorAll("input[name='mode']");
    var sections = form.querySelectorAll(".tr-section[data-mode]");

    function showMode() {
      var checked = form.querySelector("input[name='mode']:checked");
      var mode = checked ? checked.value : "dar";
      sections.forEach(function (section) {
        section.hidden = section.getAttribute("data-mode") !== mode;
      });
    }

    radios.forEach(function (radio) {
      radio.addEventListener("change", showMode);
    });
    showMode();

    // The patient banner of the chosen person (allergies, alerts), fetched from the server.
    var bannerBox = document.getElementById("tr-banner");
    var concerne = form.querySelector("select[name='concerne']");
    if (bannerBox && concerne) {
      var shown = concerne.value;
      var showBanner = function () {
        var value = concerne.value;
        if (value === shown && bannerBox.innerHTML.trim() !== "") {
          return;
        }
        shown = value;
        if (!/^p[0-9]+$/.test(value)) {
          bannerBox.innerHTML = "";
          return;
        }
        var url = bannerBox.getAttribute("data-url").replace(/0\/bandeau\/$/, value.slice(1) + "/bandeau/");
        fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
          .then(function (response) {
            return response.ok ? response.text() : "";
          })
          .then(function (html) {
            if (concerne.value === value) {
              bannerBox.innerHTML = html;
            }
          })
          .catch(function () {
            bannerBox.innerHTML = "";
          });
      };
      concerne.addEventListener("change", showBanner);
      if (bannerBox.innerHTML.trim() === "" && /^p[0-9]+$/.test(concerne.value)) {
        shown = "";
        showBanner();
      }
    }

    var themesNode = document.getElementById("tr-cible-themes");
    var cible = form.querySelector("select[name='cible']");
    var theme = form.querySelector("select[name='theme']");
    var freeCible = form.querySelector("input[name='free_cible']");
    if (themesNode && cible && theme) {
      var themes = JSON.parse(themesNode.textContent);
      cible.addEventListener("change", function () {
        if (themes[cible.value]) {
          theme.value = themes[cible.value];
          if (freeCible) {
            freeCible.value = "";
          }
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
