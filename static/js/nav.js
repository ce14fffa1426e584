/* Main menu: one "Menu" disclosure on phones, a bar of section drop-downs from 48rem up.
   Without this script the <details> still open and close by touch and keyboard. */
(function () {
  "use strict";
  var menu = document.querySelector("[data-nav-menu]");
  if (!menu) {
    return;
  }
  var wide = window.matchMedia("(min-width: 48rem)");
  var groups = Array.prototype.slice.call(menu.querySelectorAll("details.nav-group"));

  function closeGroups(except) {
    groups.forEach(function (group) {
      if (group !== except) {
        group.open = false;
      }
    });
  }

  function layout() {
    if (wide.matches) {
      menu.open = true;
      closeGroups(null);
    } else {
      menu.open = false;
      groups.forEach(function (group) {
        group.open = true;
      });
    }
  }

  menu.classList.add("nav-enhanced");
  layout();
  if (wide.addEventListener) {
    wide.addEventListener("change", layout);
  }

  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (wide.matches && group.open) {
        closeGroups(group);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = groups.filter(function (group) {
      return group.open && group.contains(document.activeElement);
    })[0];
    if (wide.matches && open) {
      open.open = false;
      open.querySelector("summary").focus();
    } else if (!wide.matches && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (wide.matches && !menu.contains(event.target)) {
      closeGroups(null);
    }
  });
})();
