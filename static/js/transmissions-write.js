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
