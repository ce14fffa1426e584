// Feuille du jour : le bouton « Imprimer » ouvre la boîte d'impression du navigateur.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
