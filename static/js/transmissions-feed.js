// The feed's person filter: the list of matching persons comes from the server as the user
// types (htmx fills the datalist). Picking one puts its id in the hidden field; typing anything
// else clears it, and the form then searches the typed words itself (as without JavaScript).
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.personId) return;
  const hidden = document.getElementById(input.dataset.personId);
  const options = input.list ? Array.from(input.list.options) : [];
  const chosen = options.find((option) => option.value === input.value);
  hidden.value = chosen ? chosen.dataset.id : "";
});
